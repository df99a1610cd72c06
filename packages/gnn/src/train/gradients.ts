import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { rocAuc, rocAucWithoutSelfLoops } from '@hypertrack/metrics';
import { namedGradients } from '@hypertrack/nn';
import { prepareGraph } from '../graph';
import { edgeContrastiveLoss, edgeFocalLoss } from '../losses';
import type { EdgePredictor } from '../model';
import type { TrainerConfig } from './config';
import type { TrainingExample } from './example';
import type { LatentLossExtension } from './latent-loss';

/** The loss parts of one event, already read from the device. */
export interface EventLosses {
  /** The weighted total divided by the batch size (what the gradient is taken of). */
  readonly value: number;
  readonly edgeBCE: number;
  readonly edgeContrastive: number | null;
  /** Edge AUC on at most `aucEdges` edges; -1 with one class only. */
  readonly edgeAuc: number;
  /** The same edges' AUC with the self-loops left out (they are positives by definition). */
  readonly edgeAucNoSelf: number;
  /** What a LatentLossExtension reported (absent without one). */
  readonly extension?: Readonly<Record<string, number>>;
  /** Milliseconds of each stage of this event, in the order they ran (prepare, forward, edge losses, transformer, backward, auc). */
  readonly stageMs?: Readonly<Record<string, number>>;
}

/** Where eventLoss notes the time of its stages (filled in place). */
export type StageTimes = Record<string, number>;

/**
 * The weighted edge losses of one event (reference 4.3 a and b, weights of 3.9): tensors for the
 * gradient, plus the logits' values (the contrastive loss and the AUC need them on the host).
 */
export function eventLoss(
  model: EdgePredictor,
  example: TrainingExample,
  graph: ReturnType<typeof prepareGraph>,
  config: TrainerConfig,
  rng: Rng,
  extension?: LatentLossExtension,
  times: StageTimes = {},
): { total: tf.Scalar; edgeBCE: tf.Scalar; edgeContrastive: tf.Scalar | null; logitValues: Float32Array; extension?: Readonly<Record<string, number>> } {
  const { edgeBCE: wBCE, edgeContrastive: wContrastive } = config.lossWeights;
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    times[stage] = (times[stage] ?? 0) + now - t;
    t = now;
  };
  const { z, logits } = model.forward(graph);
  const logitValues = Float32Array.from(logits.dataSync() as Float32Array);
  lap('forward');
  const edgeBCE = edgeFocalLoss(logits, example.labels, config.focal);
  const edgeContrastive =
    wContrastive > 0
      ? edgeContrastiveLoss(logits, { edges: example, hitTrack: example.hitTrack, hitWeight: example.hitWeight, logitValues }, config.contrastive, rng)
      : null;
  const edgeTotal = tf.tidy(() => {
    const focalPart = tf.mul(edgeBCE, wBCE);
    return (edgeContrastive === null ? focalPart : tf.add(focalPart, tf.mul(edgeContrastive, wContrastive))) as tf.Scalar;
  });
  logits.dispose();
  edgeBCE.dataSync();
  lap('edge losses');
  // z stays to the enclosing gradient scope, as before (ops on the tape may hold it).
  if (extension === undefined) return { total: edgeTotal, edgeBCE, edgeContrastive, logitValues };
  const probabilities = Float32Array.from(logitValues, (l) => 1 / (1 + Math.exp(-l)));
  const extra = extension.loss(z, probabilities, example, rng.split('extension'));
  const total = tf.add(edgeTotal, extra.total) as tf.Scalar;
  lap('transformer');
  return { total, edgeBCE, edgeContrastive, logitValues, extension: extra.scalars };
}

/**
 * AUC on a random subset of at most `maxEdges` edges, as the reference's training metric, with and
 * without the self-loops among them (metrics' rocAuc and rocAucWithoutSelfLoops); -1 where a class
 * is empty.
 */
export function sampledEdgeAuc(
  scores: Float32Array,
  labels: Uint8Array,
  edges: { readonly src: Int32Array; readonly dst: Int32Array },
  maxEdges: number,
  rng: Rng,
): { edgeAuc: number; edgeAucNoSelf: number } {
  let [s, l, src, dst] = [scores, labels, edges.src, edges.dst];
  if (scores.length > maxEdges) {
    const pick = rng.choiceWithoutReplacement(scores.length, maxEdges);
    [s, l] = [Float32Array.from(pick, (e) => scores[e]), Uint8Array.from(pick, (e) => labels[e])];
    [src, dst] = [Int32Array.from(pick, (e) => edges.src[e]), Int32Array.from(pick, (e) => edges.dst[e])];
  }
  const orMinusOne = (auc: number) => (Number.isFinite(auc) ? auc : -1);
  return { edgeAuc: orMinusOne(rocAuc(s, l)), edgeAucNoSelf: orMinusOne(rocAucWithoutSelfLoops(s, l, src, dst)) };
}

/**
 * Gradients of one event's loss / batchSize with respect to the model's parameters, by name, in
 * training mode (BatchNorm uses and updates batch statistics). The event's random choices come
 * from `rng` (split into 'contrastive' and 'auc'), so the same call gives the same result on the
 * main thread or in a worker.
 */
export function eventGradients(
  model: EdgePredictor,
  example: TrainingExample,
  batchSize: number,
  config: TrainerConfig,
  rng: Rng,
  extension?: LatentLossExtension,
): { grads: Map<string, tf.Tensor>; losses: EventLosses } {
  const times: StageTimes = {};
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    times[stage] = (times[stage] ?? 0) + now - t;
    t = now;
  };
  model.train();
  const graph = prepareGraph(example);
  lap('prepare');
  const parameters = new Map(model.namedParameters());
  for (const [name, variable] of extension?.parameters ?? []) {
    if (parameters.has(name)) throw new RangeError(`the latent-loss extension's parameter '${name}' collides with the GNN's`);
    parameters.set(name, variable);
  }
  try {
    // tfjs runs the loss closure inside a tidy scope: read what we report before it ends.
    type Seen = { edgeBCE: number; edgeContrastive: number | null; logitValues: Float32Array; extension?: Readonly<Record<string, number>> };
    let seen: Seen | null = null;
    let closureEnd = 0;
    const { value, grads } = namedGradients(() => {
      const parts = eventLoss(model, example, graph, config, rng.split('contrastive'), extension, times);
      seen = {
        edgeBCE: parts.edgeBCE.dataSync()[0],
        edgeContrastive: parts.edgeContrastive === null ? null : parts.edgeContrastive.dataSync()[0],
        logitValues: parts.logitValues,
        extension: parts.extension,
      };
      const scaled = tf.div(parts.total, batchSize) as tf.Scalar;
      closureEnd = performance.now();
      return scaled;
    }, parameters);
    const done = seen as Seen | null;
    if (done === null) throw new Error('loss closure did not run');
    const total = value.dataSync()[0];
    value.dispose();
    // The closure's own stages are in `times`; what follows it until here is the backward pass.
    t = closureEnd;
    lap('backward');
    const auc = sampledEdgeAuc(done.logitValues, example.labels, example, config.aucEdges, rng.split('auc'));
    lap('auc');
    return {
      grads,
      losses: {
        value: total,
        edgeBCE: done.edgeBCE,
        edgeContrastive: done.edgeContrastive,
        ...auc,
        ...(done.extension === undefined ? {} : { extension: done.extension }),
        stageMs: times,
      },
    };
  } finally {
    graph.dispose();
  }
}


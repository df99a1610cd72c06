import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { rocAuc } from '@hypertrack/metrics';
import { namedGradients } from '@hypertrack/nn';
import { prepareGraph } from '../graph';
import { edgeContrastiveLoss, edgeFocalLoss } from '../losses';
import type { EdgePredictor } from '../model';
import type { TrainerConfig } from './config';
import type { TrainingExample } from './example';

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
}

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
): { total: tf.Scalar; edgeBCE: tf.Scalar; edgeContrastive: tf.Scalar | null; logitValues: Float32Array } {
  const { edgeBCE: wBCE, edgeContrastive: wContrastive } = config.lossWeights;
  const { logits } = model.forward(graph);
  const logitValues = Float32Array.from(logits.dataSync() as Float32Array);
  const edgeBCE = edgeFocalLoss(logits, example.labels, config.focal);
  const edgeContrastive =
    wContrastive > 0
      ? edgeContrastiveLoss(logits, { edges: example, hitTrack: example.hitTrack, hitWeight: example.hitWeight, logitValues }, config.contrastive, rng)
      : null;
  const total = tf.tidy(() => {
    const focalPart = tf.mul(edgeBCE, wBCE);
    return (edgeContrastive === null ? focalPart : tf.add(focalPart, tf.mul(edgeContrastive, wContrastive))) as tf.Scalar;
  });
  logits.dispose();
  return { total, edgeBCE, edgeContrastive, logitValues };
}

/**
 * AUC on a random subset of at most `maxEdges` edges, as the reference's training metric, with and
 * without the self-loops among them; -1 where a class is empty.
 */
export function sampledEdgeAuc(
  scores: Float32Array,
  labels: Uint8Array,
  edges: { readonly src: Int32Array; readonly dst: Int32Array },
  maxEdges: number,
  rng: Rng,
): { withSelfLoops: number; withoutSelfLoops: number } {
  const pick = scores.length <= maxEdges ? null : rng.choiceWithoutReplacement(scores.length, maxEdges);
  const at = (k: number) => (pick === null ? k : pick[k]);
  const n = pick === null ? scores.length : pick.length;
  const counts = [0, 0, 0, 0]; // positives, negatives; then the same without self-loops
  for (let k = 0; k < n; k++) {
    const e = at(k);
    const cls = labels[e] ? 0 : 1;
    counts[cls]++;
    if (edges.src[e] !== edges.dst[e]) counts[2 + cls]++;
  }
  const auc = (keepSelf: boolean, positives: number, negatives: number): number => {
    if (positives === 0 || negatives === 0) return -1;
    const kept = keepSelf ? n : positives + negatives;
    const s = new Float32Array(kept);
    const l = new Uint8Array(kept);
    for (let k = 0, j = 0; k < n; k++) {
      const e = at(k);
      if (!keepSelf && edges.src[e] === edges.dst[e]) continue;
      s[j] = scores[e];
      l[j++] = labels[e];
    }
    return rocAuc(s, l);
  };
  return { withSelfLoops: auc(true, counts[0], counts[1]), withoutSelfLoops: auc(false, counts[2], counts[3]) };
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
): { grads: Map<string, tf.Tensor>; losses: EventLosses } {
  model.train();
  const graph = prepareGraph(example);
  try {
    // tfjs runs the loss closure inside a tidy scope: read what we report before it ends.
    let seen: { edgeBCE: number; edgeContrastive: number | null; logitValues: Float32Array } | null = null;
    const { value, grads } = namedGradients(() => {
      const parts = eventLoss(model, example, graph, config, rng.split('contrastive'));
      seen = {
        edgeBCE: parts.edgeBCE.dataSync()[0],
        edgeContrastive: parts.edgeContrastive === null ? null : parts.edgeContrastive.dataSync()[0],
        logitValues: parts.logitValues,
      };
      return tf.div(parts.total, batchSize) as tf.Scalar;
    }, model.namedParameters());
    const done = seen as { edgeBCE: number; edgeContrastive: number | null; logitValues: Float32Array } | null;
    if (done === null) throw new Error('loss closure did not run');
    const total = value.dataSync()[0];
    value.dispose();
    return {
      grads,
      losses: {
        value: total,
        edgeBCE: done.edgeBCE,
        edgeContrastive: done.edgeContrastive,
        ...edgeAucs(sampledEdgeAuc(done.logitValues, example.labels, example, config.aucEdges, rng.split('auc'))),
      },
    };
  } finally {
    graph.dispose();
  }
}

/** The two sampled AUCs under the names the records use. */
export function edgeAucs(aucs: { withSelfLoops: number; withoutSelfLoops: number }): { edgeAuc: number; edgeAucNoSelf: number } {
  return { edgeAuc: aucs.withSelfLoops, edgeAucNoSelf: aucs.withoutSelfLoops };
}

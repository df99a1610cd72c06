import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { rocAuc } from '@hypertrack/metrics';
import { clipGradNorm, createOptimizer, createSchedule, defaultDecayGroup, namedGradients, type Optimizer, type Schedule } from '@hypertrack/nn';
import { prepareGraph, type GraphTensors } from '../graph';
import { edgeContrastiveLoss, edgeFocalLoss } from '../losses';
import type { EdgePredictor } from '../model';
import { checkTrainerConfig, type TrainerConfig } from './config';
import type { TrainingExample } from './example';

/** What one optimisation step did, averaged over its batch of events. */
export interface StepRecord {
  /** Steps completed before this one (0 for the first). */
  readonly step: number;
  readonly lr: number;
  readonly loss: number;
  readonly edgeBCE: number;
  /** null when no event of the batch had a track with a positive edge. */
  readonly edgeContrastive: number | null;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Edge AUC of the training-mode scores (-1 when an event has one class only). */
  readonly edgeAuc: number;
  readonly hits: number;
  readonly edges: number;
  readonly ms: number;
}

export interface EvaluationRecord {
  readonly loss: number;
  readonly edgeBCE: number;
  readonly edgeContrastive: number | null;
  readonly edgeAuc: number;
  readonly probabilities: Float32Array;
}

interface LossParts {
  total: tf.Scalar;
  edgeBCE: tf.Scalar;
  edgeContrastive: tf.Scalar | null;
  logitValues: Float32Array;
}

/**
 * Trains an EdgePredictor on events, one optimisation step at a time (reference 4.2 for the edge
 * phase, `--cluster none`): per event the weighted sum of the edge focal and contrastive losses,
 * averaged over the batch; gradients clipped to a global norm; AdamW (or Adam, SGD) with the
 * learning rate of the schedule at the current step. Every random choice of a step comes from
 * the `rng` the caller passes, so a run is reproduced by its seed and resumed exactly from a
 * checkpoint (model, optimizer moments and step count).
 */
export class GnnTrainer {
  readonly model: EdgePredictor;
  readonly config: TrainerConfig;
  readonly optimizer: Optimizer;
  readonly schedule: Schedule;
  private steps = 0;

  constructor(model: EdgePredictor, config: TrainerConfig) {
    checkTrainerConfig(config);
    this.model = model;
    this.config = config;
    this.optimizer = createOptimizer(config.optimizer, model.namedParameters(), {
      lr: config.learningRate,
      eps: config.epsilon,
      weightDecay: config.weightDecayW,
      weightDecayNoDecay: config.weightDecayB,
      groupOf: defaultDecayGroup,
    });
    this.schedule = createSchedule(config.scheduler, { lr: config.learningRate, period: config.schedulerPeriod });
  }

  /** Optimisation steps done so far (restored from a checkpoint on resume). */
  get step(): number {
    return this.steps;
  }

  set step(value: number) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`step must be an integer >= 0, got ${value}`);
    this.steps = value;
  }

  /** One optimisation step over `batch` (the reference's batch_size events). */
  trainStep(batch: readonly TrainingExample[], rng: Rng): StepRecord {
    if (batch.length === 0) throw new RangeError('trainStep needs at least one event');
    const started = performance.now();
    this.model.train();
    const params = this.model.namedParameters();
    const summed = new Map<string, tf.Tensor>();
    let loss = 0;
    let edgeBCE = 0;
    let contrastive = 0;
    let contrastiveEvents = 0;
    let auc = 0;
    let hits = 0;
    let edges = 0;
    batch.forEach((example, b) => {
      const eventRng = rng.split(b);
      const graph = prepareGraph(example);
      try {
        // tfjs runs the loss closure inside a tidy scope: read what we report before it ends.
        let seen: { edgeBCE: number; edgeContrastive: number | null; logitValues: Float32Array } | null = null;
        const { value, grads } = namedGradients(() => {
          const parts = this.losses(example, graph, eventRng.split('contrastive'));
          seen = {
            edgeBCE: parts.edgeBCE.dataSync()[0],
            edgeContrastive: parts.edgeContrastive === null ? null : parts.edgeContrastive.dataSync()[0],
            logitValues: parts.logitValues,
          };
          return tf.div(parts.total, batch.length) as tf.Scalar;
        }, params);
        const done = seen as { edgeBCE: number; edgeContrastive: number | null; logitValues: Float32Array } | null;
        if (done === null) throw new Error('loss closure did not run');
        loss += value.dataSync()[0];
        value.dispose();
        edgeBCE += done.edgeBCE / batch.length;
        if (done.edgeContrastive !== null) {
          contrastive += done.edgeContrastive;
          contrastiveEvents++;
        }
        auc += this.edgeAuc(done.logitValues, example.labels, eventRng.split('auc')) / batch.length;
        for (const [name, grad] of grads) {
          const previous = summed.get(name);
          if (previous === undefined) summed.set(name, grad);
          else {
            summed.set(name, tf.add(previous, grad));
            tf.dispose([previous, grad]);
          }
        }
      } finally {
        graph.dispose();
      }
      hits += example.numNodes;
      edges += example.src.length;
    });
    const lr = this.schedule.lrAt(this.steps);
    const { grads: clipped, norm } = clipGradNorm(summed, this.config.maxGradNorm);
    this.optimizer.step(clipped, lr);
    tf.dispose([...summed.values(), ...clipped.values()]);
    const record: StepRecord = {
      step: this.steps,
      lr,
      loss,
      edgeBCE,
      edgeContrastive: contrastiveEvents > 0 ? contrastive / contrastiveEvents : null,
      gradNorm: norm,
      edgeAuc: auc,
      hits,
      edges,
      ms: performance.now() - started,
    };
    this.steps++;
    return record;
  }

  /** Losses and edge AUC of one event in evaluation mode, without gradients (validation). */
  evaluate(example: TrainingExample, rng: Rng): EvaluationRecord {
    const wasTraining = this.model.training;
    this.model.eval();
    const graph = prepareGraph(example);
    try {
      const parts = this.losses(example, graph, rng.split('contrastive'));
      const record = {
        loss: parts.total.dataSync()[0],
        edgeBCE: parts.edgeBCE.dataSync()[0],
        edgeContrastive: parts.edgeContrastive === null ? null : parts.edgeContrastive.dataSync()[0],
        edgeAuc: this.edgeAuc(parts.logitValues, example.labels, rng.split('auc')),
        probabilities: Float32Array.from(parts.logitValues, (l) => 1 / (1 + Math.exp(-l))),
      };
      tf.dispose([parts.total, parts.edgeBCE, parts.edgeContrastive ?? []]);
      return record;
    } finally {
      graph.dispose();
      this.model.train(wasTraining);
    }
  }

  private losses(example: TrainingExample, graph: GraphTensors, rng: Rng): LossParts {
    const { edgeBCE: wBCE, edgeContrastive: wContrastive } = this.config.lossWeights;
    const { logits } = this.model.forward(graph);
    const logitValues = logits.dataSync() as Float32Array;
    const edgeBCE = edgeFocalLoss(logits, example.labels, this.config.focal);
    const edgeContrastive =
      wContrastive > 0
        ? edgeContrastiveLoss(logits, { edges: example, hitTrack: example.hitTrack, hitWeight: example.hitWeight, logitValues }, this.config.contrastive, rng)
        : null;
    const total = tf.tidy(() => {
      const focalPart = tf.mul(edgeBCE, wBCE);
      return (edgeContrastive === null ? focalPart : tf.add(focalPart, tf.mul(edgeContrastive, wContrastive))) as tf.Scalar;
    });
    logits.dispose();
    return { total, edgeBCE, edgeContrastive, logitValues: Float32Array.from(logitValues) };
  }

  /** AUC on a random subset of at most `aucEdges` edges, as the reference's training metric. */
  private edgeAuc(scores: Float32Array, labels: Uint8Array, rng: Rng): number {
    let positives = 0;
    for (let e = 0; e < labels.length; e++) positives += labels[e];
    if (positives === 0 || positives === labels.length) return -1;
    if (scores.length <= this.config.aucEdges) return rocAuc(scores, labels);
    const pick = rng.choiceWithoutReplacement(scores.length, this.config.aucEdges);
    return rocAuc(Float32Array.from(pick, (e) => scores[e]), Uint8Array.from(pick, (e) => labels[e]));
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { clipGradNorm, createOptimizer, createSchedule, defaultDecayGroup, type BackendName, type Optimizer, type Schedule } from '@hypertrack/nn';
import { prepareGraph } from '../graph';
import type { EdgePredictor } from '../model';
import { readNamed, runGradientTask, writeNamed, type GradientTask, type NamedArrays } from './gradient-task';
import { eventLoss, sampledEdgeAuc } from './gradients';
import { GradientWorkers } from './worker-pool';
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
  /** The same with self-loops left out. */
  readonly edgeAucNoSelf: number;
  readonly hits: number;
  readonly edges: number;
  readonly ms: number;
}

export interface EvaluationRecord {
  readonly loss: number;
  readonly edgeBCE: number;
  readonly edgeContrastive: number | null;
  readonly edgeAuc: number;
  readonly edgeAucNoSelf: number;
  readonly probabilities: Float32Array;
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
  private workers: GradientWorkers | null = null;

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

  /**
   * One optimisation step over `batch` (the reference's batch_size events). Every event's gradient
   * is taken at the parameters and BatchNorm statistics of the start of the step, on the main
   * thread or on the workers given to `useWorkers` (same numbers either way); the running
   * statistics then become the mean over the events of their updated values (synchronised
   * replicas; with one event per step, as tune-5, exactly the reference's update).
   */
  async trainStep(batch: readonly TrainingExample[], rng: Rng): Promise<StepRecord> {
    if (batch.length === 0) throw new RangeError('trainStep needs at least one event');
    const started = performance.now();
    const params = this.model.namedParameters();
    const buffers = this.model.namedBuffers();
    // Workers need the parameters shipped; the main thread computes on the model itself, whose
    // parameters the gradient computation leaves untouched.
    const startParams = this.workers !== null ? readNamed(params) : undefined;
    const startBuffers = readNamed(buffers);
    const tasks: GradientTask[] = batch.map((example, b) => ({ params: startParams, buffers: startBuffers, example, batchSize: batch.length, rng: rng.split(b).snapshot() }));
    const results = this.workers !== null ? await this.workers.run(tasks) : tasks.map((task) => runGradientTask(this.model, this.config, task));

    const summed = new Map<string, Float32Array>();
    for (const result of results) {
      for (const [name, grad] of result.grads) {
        const total = summed.get(name);
        if (total === undefined) summed.set(name, Float32Array.from(grad));
        else for (let i = 0; i < total.length; i++) total[i] += grad[i];
      }
    }
    writeNamed(buffers, meanBuffers(results.map((r) => r.buffers), startBuffers, batch.length));
    const grads = new Map<string, tf.Tensor>();
    for (const [name, values] of summed) grads.set(name, tf.tensor(values, params.get(name)?.shape));
    const lr = this.schedule.lrAt(this.steps);
    const { grads: clipped, norm } = clipGradNorm(grads, this.config.maxGradNorm);
    this.optimizer.step(clipped, lr);
    tf.dispose([...grads.values(), ...clipped.values()]);

    const contrastive = results.map((r) => r.losses.edgeContrastive).filter((v): v is number => v !== null);
    const record: StepRecord = {
      step: this.steps,
      lr,
      loss: results.reduce((s, r) => s + r.losses.value, 0),
      edgeBCE: results.reduce((s, r) => s + r.losses.edgeBCE, 0) / batch.length,
      edgeContrastive: contrastive.length > 0 ? contrastive.reduce((s, v) => s + v, 0) / contrastive.length : null,
      gradNorm: norm,
      edgeAuc: results.reduce((s, r) => s + r.losses.edgeAuc, 0) / batch.length,
      edgeAucNoSelf: results.reduce((s, r) => s + r.losses.edgeAucNoSelf, 0) / batch.length,
      hits: batch.reduce((s, e) => s + e.numNodes, 0),
      edges: batch.reduce((s, e) => s + e.src.length, 0),
      ms: performance.now() - started,
    };
    this.steps++;
    return record;
  }

  /**
   * Computes event gradients on `count` worker threads from now on (one backend and model replica
   * each); `close()` stops them. With one core per worker and one event per worker, a step takes
   * about the time of one event.
   */
  async useWorkers(count: number, backend?: BackendName): Promise<void> {
    await this.workers?.close();
    this.workers = count > 0 ? await GradientWorkers.start(count, this.model.config, this.config, backend) : null;
  }

  /** Losses and edge AUC of one event in evaluation mode, without gradients (validation). */
  evaluate(example: TrainingExample, rng: Rng): EvaluationRecord {
    const wasTraining = this.model.training;
    this.model.eval();
    const graph = prepareGraph(example);
    try {
      // Outside a gradient tape nothing frees the forward pass's intermediates (the latents Z among them).
      const parts = tf.tidy(() => eventLoss(this.model, example, graph, this.config, rng.split('contrastive')) as unknown as tf.TensorContainerObject) as unknown as ReturnType<typeof eventLoss>;
      const record = {
        loss: parts.total.dataSync()[0],
        edgeBCE: parts.edgeBCE.dataSync()[0],
        edgeContrastive: parts.edgeContrastive === null ? null : parts.edgeContrastive.dataSync()[0],
        ...sampledEdgeAuc(parts.logitValues, example.labels, example, this.config.aucEdges, rng.split('auc')),
        probabilities: Float32Array.from(parts.logitValues, (l) => 1 / (1 + Math.exp(-l))),
      };
      tf.dispose([parts.total, parts.edgeBCE, parts.edgeContrastive ?? []]);
      return record;
    } finally {
      graph.dispose();
      this.model.train(wasTraining);
    }
  }

  async close(): Promise<void> {
    await this.workers?.close();
    this.workers = null;
    this.dispose();
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/**
 * BatchNorm buffers after a batch: the mean of the events' running statistics, and the batch
 * counter advanced by the number of events (PyTorch counts every forward pass).
 */
function meanBuffers(perEvent: NamedArrays[], start: NamedArrays, events: number): NamedArrays {
  const out: NamedArrays = new Map();
  for (const [name, initial] of start) {
    if (initial instanceof Int32Array) {
      out.set(name, Int32Array.from(initial, (v) => v + events));
      continue;
    }
    const mean = new Float32Array(initial.length);
    for (const buffers of perEvent) {
      const values = buffers.get(name) as Float32Array;
      for (let i = 0; i < mean.length; i++) mean[i] += values[i] / perEvent.length;
    }
    out.set(name, perEvent.length === 1 ? (perEvent[0].get(name) as Float32Array) : mean);
  }
  return out;
}

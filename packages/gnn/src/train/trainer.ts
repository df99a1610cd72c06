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
import type { ActiveLatentLoss, LatentLossExtension, LatentLossSpec } from './latent-loss';

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
  /** True when the loss or the gradient was not finite: no update was made (the step still counts). */
  readonly skipped: boolean;
  /**
   * Where the step's time went, in order: the events' gradients (each event's own stages in
   * `events`, on the main thread or a worker each), their reduction, and the optimizer update.
   */
  readonly timing: { readonly gradientsMs: number; readonly reduceMs: number; readonly optimizerMs: number; readonly events: ReadonlyArray<Readonly<Record<string, number>>> };
  /** The latent loss's scalars, averaged over the batch (absent before it joins). */
  readonly extension?: Readonly<Record<string, number>>;
}

export interface EvaluationRecord {
  readonly loss: number;
  readonly edgeBCE: number;
  readonly edgeContrastive: number | null;
  readonly edgeAuc: number;
  readonly edgeAucNoSelf: number;
  readonly probabilities: Float32Array;
  readonly extension?: Readonly<Record<string, number>>;
}

/**
 * Trains an EdgePredictor on events, one optimisation step at a time (reference 4.2 for the edge
 * phase, `--cluster none`): per event the weighted sum of the edge focal and contrastive losses,
 * averaged over the batch; gradients clipped to a global norm; AdamW (or Adam, SGD) with the
 * learning rate of the schedule at the current step. Every random choice of a step comes from
 * the `rng` the caller passes, so a run is reproduced by its seed and resumed exactly from a
 * checkpoint (model, optimizer moments and step count).
 *
 * A latent loss (the transformer's cluster losses) can join at any step (`addLatentLoss`): from
 * then on its parameters train with the GNN's, under a fresh optimizer whose schedule restarts at
 * that step (the reference's phase switch, 4.2 step 6).
 */
export class GnnTrainer {
  readonly model: EdgePredictor;
  readonly config: TrainerConfig;
  readonly schedule: Schedule;
  private currentOptimizer: Optimizer;
  private steps = 0;
  private workers: GradientWorkers | null = null;
  private latent: ActiveLatentLoss | null = null;

  constructor(model: EdgePredictor, config: TrainerConfig) {
    checkTrainerConfig(config);
    this.model = model;
    this.config = config;
    this.currentOptimizer = this.newOptimizer(model.namedParameters());
    this.schedule = createSchedule(config.scheduler, { lr: config.learningRate, period: config.schedulerPeriod });
  }

  private newOptimizer(params: ReadonlyMap<string, tf.Variable>): Optimizer {
    const { config } = this;
    return createOptimizer(config.optimizer, params, {
      lr: config.learningRate,
      eps: config.epsilon,
      weightDecay: config.weightDecayW,
      weightDecayNoDecay: config.weightDecayB,
      groupOf: defaultDecayGroup,
    });
  }

  /** The optimizer of the GNN's parameters, and of the latent loss's once it has joined. */
  get optimizer(): Optimizer {
    return this.currentOptimizer;
  }

  /** The latent loss training along, or null (the edge phase). */
  get latentLoss(): ActiveLatentLoss | null {
    return this.latent;
  }

  /** Every parameter the optimizer updates: the GNN's, then the latent loss's. */
  namedParameters(): Map<string, tf.Variable> {
    const params = new Map(this.model.namedParameters());
    for (const [name, variable] of this.latent?.extension.parameters ?? []) params.set(name, variable);
    return params;
  }

  /**
   * From now on every step adds `extension`'s loss and trains its parameters with the GNN's, under
   * a fresh optimizer whose schedule restarts at step `since` (the reference re-creates optimizer
   * and scheduler at the phase switch). A resume restores the saved optimizer state afterwards.
   * The workers, if any, build the same extension from `spec`.
   */
  async addLatentLoss(spec: LatentLossSpec, extension: LatentLossExtension, joined: { since: number; auc: number | null }): Promise<void> {
    if (this.latent !== null) throw new RangeError(`a latent loss (${this.latent.spec.name}) is already training`);
    const gnn = this.model.namedParameters();
    for (const name of extension.parameters.keys()) {
      if (gnn.has(name)) throw new RangeError(`the latent loss's parameter '${name}' collides with the GNN's`);
    }
    this.latent = { spec, extension, since: joined.since, auc: joined.auc };
    this.currentOptimizer.dispose();
    this.currentOptimizer = this.newOptimizer(this.namedParameters());
    await this.workers?.addLatentLoss(spec);
  }

  /** The learning rate of step `step`: the schedule counts from the latent loss's joining. */
  lrAt(step: number): number {
    return this.schedule.lrAt(step - (this.latent?.since ?? 0));
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
    const params = this.namedParameters();
    const buffers = this.model.namedBuffers();
    const extension = this.latent?.extension;
    // Workers need the parameters shipped; the main thread computes on the model itself, whose
    // parameters the gradient computation leaves untouched.
    const startParams = this.workers !== null ? readNamed(params) : undefined;
    const startBuffers = readNamed(buffers);
    const tasks: GradientTask[] = batch.map((example, b) => ({ params: startParams, buffers: startBuffers, example, batchSize: batch.length, rng: rng.split(b).snapshot() }));
    const results = this.workers !== null ? await this.workers.run(tasks) : tasks.map((task) => runGradientTask(this.model, this.config, task, extension));
    const gradientsDone = performance.now();

    const summed = new Map<string, Float32Array>();
    for (const result of results) {
      for (const [name, grad] of result.grads) {
        const total = summed.get(name);
        if (total === undefined) summed.set(name, Float32Array.from(grad));
        else for (let i = 0; i < total.length; i++) total[i] += grad[i];
      }
    }
    const loss = results.reduce((s, r) => s + r.losses.value, 0);
    const grads = new Map<string, tf.Tensor>();
    for (const [name, values] of summed) grads.set(name, tf.tensor(values, params.get(name)?.shape));
    const lr = this.lrAt(this.steps);
    const reduceDone = performance.now();
    const { grads: clipped, norm } = clipGradNorm(grads, this.config.maxGradNorm);
    // A non-finite loss or gradient would poison every weight it reaches: the step is skipped
    // whole (no update, running statistics kept), counted and reported; the run goes on.
    const skipped = !Number.isFinite(loss) || !Number.isFinite(norm);
    if (!skipped) {
      writeNamed(buffers, meanBuffers(results.map((r) => r.buffers), startBuffers, batch.length));
      this.optimizer.step(clipped, lr);
    }
    tf.dispose([...grads.values(), ...clipped.values()]);
    const optimizerDone = performance.now();

    const contrastive = results.map((r) => r.losses.edgeContrastive).filter((v): v is number => v !== null);
    const record: StepRecord = {
      step: this.steps,
      lr,
      loss,
      skipped,
      timing: { gradientsMs: gradientsDone - started, reduceMs: reduceDone - gradientsDone, optimizerMs: optimizerDone - reduceDone, events: results.map((r) => r.losses.stageMs ?? {}) },
      edgeBCE: results.reduce((s, r) => s + r.losses.edgeBCE, 0) / batch.length,
      edgeContrastive: contrastive.length > 0 ? contrastive.reduce((s, v) => s + v, 0) / contrastive.length : null,
      gradNorm: norm,
      edgeAuc: results.reduce((s, r) => s + r.losses.edgeAuc, 0) / batch.length,
      edgeAucNoSelf: results.reduce((s, r) => s + r.losses.edgeAucNoSelf, 0) / batch.length,
      hits: batch.reduce((s, e) => s + e.numNodes, 0),
      edges: batch.reduce((s, e) => s + e.src.length, 0),
      ms: performance.now() - started,
      ...(extension === undefined ? {} : { extension: meanScalars(results.map((r) => r.losses.extension ?? {})) }),
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
    if (this.latent !== null) await this.workers?.addLatentLoss(this.latent.spec);
  }

  /** Losses and edge AUC of one event in evaluation mode, without gradients (validation). */
  evaluate(example: TrainingExample, rng: Rng): EvaluationRecord {
    const wasTraining = this.model.training;
    this.model.eval();
    const graph = prepareGraph(example);
    try {
      // Outside a gradient tape nothing frees the forward pass's intermediates (the latents Z among them).
      const extension = this.latent?.extension;
      const parts = tf.tidy(() => eventLoss(this.model, example, graph, this.config, rng.split('contrastive'), extension) as unknown as tf.TensorContainerObject) as unknown as ReturnType<typeof eventLoss>;
      const record = {
        loss: parts.total.dataSync()[0],
        edgeBCE: parts.edgeBCE.dataSync()[0],
        edgeContrastive: parts.edgeContrastive === null ? null : parts.edgeContrastive.dataSync()[0],
        ...sampledEdgeAuc(parts.logitValues, example.labels, example, this.config.aucEdges, rng.split('auc')),
        probabilities: Float32Array.from(parts.logitValues, (l) => 1 / (1 + Math.exp(-l))),
        ...(parts.extension === undefined ? {} : { extension: parts.extension }),
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
    this.currentOptimizer.dispose();
    this.latent?.extension.dispose?.();
  }
}

/** Per key, the mean over the events that report it. */
function meanScalars(perEvent: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const scalars of perEvent) {
    for (const [key, value] of Object.entries(scalars)) {
      const entry = sums.get(key) ?? { sum: 0, count: 0 };
      entry.sum += value;
      entry.count++;
      sums.set(key, entry);
    }
  }
  return Object.fromEntries([...sums].map(([key, { sum, count }]) => [key, sum / count]));
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

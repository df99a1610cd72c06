import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, HyperTrackError, Rng, type EventStream } from '@hypertrack/core';
import type { GraphBuilder } from '@hypertrack/voxdyn';
import { defaultMemoryBudget, gnnMemoryBytes } from '../memory';
import { saveCheckpoint } from '../train/checkpoint';
import type { TrainingExample } from '../train/example';
import { loadLatentLoss, type LatentLossExtension, type LatentLossSpec } from '../train/latent-loss';
import type { StepRecord, GnnTrainer } from '../train/trainer';
import type { DataConfig } from './data-config';
import { EventPool, graphExample } from './examples';

/** What a run keeps in its checkpoints besides the trainer, to resume exactly. */
export interface FitState {
  readonly seed: number;
  /** The event a step draws from when it does not switch (reference --period). */
  currentEvent: number | null;
  currentValEvent: number | null;
}

/** One line of metrics.jsonl: the step's losses, rates, sizes and times (null: not measured). */
export type StepMetrics = Record<string, number | null>;

/**
 * Where one iteration's wall time went: it began at `startMs` (performance.now()) and ran the
 * `stages` one after the other (data: loading and pile-up reduction; graph: the Voxel-Dynamics
 * graph; train step: gradients, reduction, optimizer, see the record's timing; validation), in
 * `totalMs` in all. A profiler lays them out as a timeline.
 */
export interface IterationTiming {
  readonly startMs: number;
  readonly totalMs: number;
  readonly stages: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
}

/** Called by `fit` as it goes (tfjs-layers' callbacks, for one GNN run). */
export interface FitCallbacks {
  /** Before every step, with the number of steps done (imaginaire's start-of-iteration hook). */
  onStepStart?(step: number): void | Promise<void>;
  /** After every step, with the step's record and its metrics line (validation included). */
  onStepEnd?(record: StepRecord, metrics: StepMetrics, timing: IterationTiming): void | Promise<void>;
  /** After a checkpoint is written. */
  onCheckpoint?(path: string): void | Promise<void>;
  /** A note worth a line (an event redrawn over the edge budget). */
  onNote?(message: string): void;
  /** The latent loss joined after step `step` (0-based), whose training edge AUC was `auc`. */
  onLatentLossJoined?(step: number, auc: number): void | Promise<void>;
}

/**
 * The reference's phase switch (4.2 step 6): once a step's training edge AUC exceeds
 * `aucThreshold`, the latent loss (the transformer's cluster losses) joins for good, under a fresh
 * optimizer whose schedule restarts.
 */
export interface LatentLossPhase {
  readonly spec: LatentLossSpec;
  readonly aucThreshold: number;
  /** Builds the extension (default `loadLatentLoss`, by module name). */
  readonly create?: (spec: LatentLossSpec) => Promise<LatentLossExtension>;
}

export interface FitOptions {
  /** The model and optimizer, fresh or restored from a checkpoint. */
  readonly trainer: GnnTrainer;
  /** Resolved data settings; `node2node` must be the graph builder's model's. */
  readonly data: DataConfig;
  /** The Voxel-Dynamics graph of every drawn event. */
  readonly builder: GraphBuilder;
  /** Where events are loaded from, and which train and validate. */
  readonly events: EventStream;
  readonly trainIds: readonly number[];
  /** Validation: one event every `every` steps (none when absent). */
  readonly validation?: { readonly ids: readonly number[]; readonly every: number };
  /** Step t draws everything from the stream (seed, t); carries the current events on resume. */
  readonly state: FitState;
  /**
   * Budgets per event: a graph above `maxEdges` edges (absent: no cap) or whose training step would
   * need more than `memoryBudget` bytes (gnnMemoryBytes; absent: defaultMemoryBudget, the wasm
   * heap's 4 GiB there) is redrawn before anything is allocated; a 20th redraw in a row saves a
   * checkpoint and is an error naming the key that bound.
   */
  readonly maxEdges?: number;
  readonly maxEdgesKey?: string;
  readonly memoryBudget?: number;
  readonly memoryBudgetKey?: string;
  /** Stop once this many steps are done (counting resumed ones). */
  readonly iterations?: number;
  /** Stop after this much wall time. */
  readonly timeLimitSeconds?: number;
  /** Stop after the first step whose metrics line meets this goal (e.g. a validation AUC). */
  readonly goal?: (metrics: StepMetrics) => boolean;
  /** Stop after the current step when aborted (a signal handler's AbortController). */
  readonly signal?: AbortSignal;
  /** Checkpoints: every `periodSeconds`, every `everySteps` steps if given, and always at the end. */
  readonly checkpoints: { readonly dir: string; readonly periodSeconds: number; readonly everySteps?: number };
  /**
   * Check every step (a debug run): no metric is NaN or infinite, and the number of live tensors
   * stays what it was after the first step (a leak grows it); either is an error naming the step.
   */
  readonly debugChecks?: boolean;
  /** Stop (with a checkpoint) after this many skipped steps in a row, whose loss or gradient was not finite. Default 20. */
  readonly maxSkippedInARow?: number;
  /** Switch the transformer phase on when the edge AUC is high enough (absent: the GNN alone, `--cluster none`). */
  readonly latentLoss?: LatentLossPhase;
  readonly callbacks?: FitCallbacks;
}

export interface FitResult {
  readonly steps: number;
  readonly reason: 'iterations reached' | 'time limit reached' | 'goal reached' | 'stopped by signal';
  /** The checkpoint written at the end. */
  readonly checkpoint: string;
}

/**
 * The GNN's training loop (reference 4): each step draws its events (a new one with probability
 * `period`, else the current one), reduces each to an rfactor in the tune's range, builds its
 * graph, and takes one optimisation step over the batch; validation, checkpoints and stopping as
 * configured. Everything random in step t comes from the stream (seed, t), so a run killed and
 * resumed from a checkpoint takes exactly the steps of one that ran through.
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { trainer, data, builder, trainIds, state, callbacks = {} } = options;
  if (trainIds.length === 0) throw new ConfigError('events', 'no training events');
  const pool = new EventPool(options.events);
  const root = Rng.fromSeed(state.seed);
  const limitMs = options.timeLimitSeconds !== undefined ? options.timeLimitSeconds * 1000 : Infinity;
  const target = options.iterations ?? Infinity;
  const started = performance.now();
  let lastSave = started;
  const extra = () => ({ ...state });

  const pick = (ids: readonly number[], current: number | null, rng: Rng) => (current === null || rng.uniform() < data.period ? ids[rng.int(ids.length)] : current);
  const draw = async (id: number, r: Rng) => {
    const rfactor = data.rfactorStart + (data.rfactorEnd - data.rfactorStart) * r.uniform();
    const prepared = graphExample(await pool.get(id), builder, data.node2node, { rfactor, noiseRatio: data.noiseRatio, rng: r.split('reduce') }, trainer.model.config);
    return { prepared, rfactor };
  };

  const memoryBudget = options.memoryBudget ?? defaultMemoryBudget();
  const edgesKey = options.maxEdgesKey ?? 'maxEdges';
  const memoryKey = options.memoryBudgetKey ?? 'memoryBudget';
  /** Why a drawn graph cannot make a training step (empty, or over a budget), and the key that bound; null when it fits. */
  const unusable = (example: TrainingExample): { key: string; why: string } | null => {
    const edges = example.src.length;
    // A bunch crossing without a collision (Poisson pile-up at low mu), or a graph without a pair: nothing to learn from.
    if (example.numNodes === 0 || edges === 0) return { key: 'events', why: `${example.numNodes} hits and ${edges} edges, nothing to train on` };
    if (options.maxEdges !== undefined && edges > options.maxEdges) return { key: edgesKey, why: `${edges} edges, over ${edgesKey} ${options.maxEdges}` };
    const needed = gnnMemoryBytes(trainer.model.config, { nodes: example.numNodes, edges }, 'train');
    if (needed > memoryBudget) return { key: memoryKey, why: `${edges} edges, whose training step needs about ${gib(needed)} GiB, over ${memoryKey} ${gib(memoryBudget)} GiB` };
    return null;
  };

  let skippedInARow = 0;
  let tensorsAfterFirst: number | null = null;
  const maxSkipped = options.maxSkippedInARow ?? 20;
  let goalReached = false;
  while (trainer.step < target && performance.now() - started < limitMs && !options.signal?.aborted && !goalReached) {
    const step = trainer.step;
    await callbacks.onStepStart?.(step);
    const rng = root.split(step);
    const batch = [];
    let vdMs = 0;
    const iterationStart = performance.now();
    for (let b = 0; b < data.batchSize; b++) {
      // An event whose graph exceeds the edge budget is replaced by another draw (the original
      // skips events that fail), from a stream of its own so the run stays reproducible.
      for (let attempt = 0; ; attempt++) {
        const r = rng.split(attempt === 0 ? `event-${b}` : `event-${b}-retry-${attempt}`);
        state.currentEvent = pick(trainIds, attempt === 0 ? state.currentEvent : null, r);
        const { prepared, rfactor } = await draw(state.currentEvent, r);
        const over = unusable(prepared.example);
        if (over === null) {
          batch.push(prepared.example);
          vdMs += prepared.vdMs;
          break;
        }
        callbacks.onNote?.(`step ${step}: event ${state.currentEvent} at rfactor ${rfactor.toFixed(4)} gives ${over.why}; drawing another`);
        if (attempt >= 20) {
          // Nothing was allocated for the oversized graphs; the last good state is kept all the same.
          const path = await saveCheckpoint(options.checkpoints.dir, trainer, extra());
          await callbacks.onCheckpoint?.(path);
          throw new ConfigError(
            over.key,
            `20 draws in a row cannot make a training step (the last: ${over.why}); saved ${path}. Lower the rfactor range, use a finer VD model (more cells) or a higher min-count, or raise ${over.key}`,
          );
        }
      }
    }
    const drawMs = performance.now() - iterationStart;
    const record = await trainer.trainStep(batch, rng.split('step'));
    const validationStart = performance.now();
    const metrics: StepMetrics = {
      iteration: record.step,
      loss: record.loss,
      edge_bce_loss: record.edgeBCE,
      edge_contrastive_loss: record.edgeContrastive,
      lr: record.lr,
      grad_norm: record.gradNorm,
      trn_edge_auc: record.edgeAuc,
      trn_edge_auc_noself: record.edgeAucNoSelf,
      hits: record.hits,
      edges: record.edges,
      step_ms: record.ms,
      vd_ms: vdMs,
      event: state.currentEvent,
      // A leak shows here first: both stay flat in a healthy run.
      tensors: tf.memory().numTensors,
      tensor_mb: tf.memory().numBytes / 2 ** 20,
      ...record.extension,
      skipped: record.skipped ? 1 : 0,
    };
    skippedInARow = record.skipped ? skippedInARow + 1 : 0;
    if (record.skipped) callbacks.onNote?.(`step ${record.step}: loss ${record.loss} or gradient norm ${record.gradNorm} is not finite; the update was skipped (${skippedInARow} in a row)`);
    const phase = options.latentLoss;
    if (phase !== undefined) {
      metrics[`${phase.spec.name}_active`] = trainer.latentLoss === null ? 0 : 1;
      if (trainer.latentLoss === null && record.edgeAuc > phase.aucThreshold) {
        const extension = await (phase.create ?? loadLatentLoss)(phase.spec);
        await trainer.addLatentLoss(phase.spec, extension, { since: trainer.step, auc: record.edgeAuc });
        metrics[`${phase.spec.name}_joined_auc`] = record.edgeAuc;
        await callbacks.onLatentLossJoined?.(record.step, record.edgeAuc);
      }
    }
    const validation = options.validation;
    if (validation !== undefined && record.step % validation.every === 0) {
      const r = rng.split('validation');
      state.currentValEvent = pick(validation.ids, state.currentValEvent, r);
      const { prepared } = await draw(state.currentValEvent, r);
      if (unusable(prepared.example) === null) {
        const evaluation = trainer.evaluate(prepared.example, r.split('evaluate'));
        metrics.val_loss = evaluation.loss;
        metrics.val_edge_auc = evaluation.edgeAuc;
        metrics.val_edge_auc_noself = evaluation.edgeAucNoSelf;
        for (const [key, value] of Object.entries(evaluation.extension ?? {})) metrics[`val_${key}`] = value;
      }
      metrics.val_event = state.currentValEvent;
    }
    if (options.debugChecks) tensorsAfterFirst = debugChecks(metrics, tensorsAfterFirst);
    const iterationEnd = performance.now();
    await callbacks.onStepEnd?.(record, metrics, {
      startMs: iterationStart,
      totalMs: iterationEnd - iterationStart,
      stages: [
        { name: 'data', ms: drawMs - vdMs },
        { name: 'graph', ms: vdMs },
        { name: 'train step', ms: validationStart - iterationStart - drawMs },
        { name: 'validation', ms: iterationEnd - validationStart },
      ],
    });
    goalReached = options.goal?.(metrics) ?? false;
    if (skippedInARow >= maxSkipped) {
      const path = await saveCheckpoint(options.checkpoints.dir, trainer, extra());
      await callbacks.onCheckpoint?.(path);
      throw new HyperTrackError(
        `${skippedInARow} steps in a row had a non-finite loss or gradient (the last at step ${record.step}); stopped with the checkpoint ${path}, the weights of the last good update. Lower the learning rate or --max-grad-norm, or look for bad input events`,
      );
    }
    const everySteps = options.checkpoints.everySteps;
    if (performance.now() - lastSave >= options.checkpoints.periodSeconds * 1000 || (everySteps !== undefined && trainer.step % everySteps === 0)) {
      // Saved before the optional callback: `f?.(g())` would skip g() too when f is absent.
      const path = await saveCheckpoint(options.checkpoints.dir, trainer, extra());
      lastSave = performance.now();
      await callbacks.onCheckpoint?.(path);
    }
  }
  const checkpoint = await saveCheckpoint(options.checkpoints.dir, trainer, extra());
  await callbacks.onCheckpoint?.(checkpoint);
  const reason = options.signal?.aborted ? 'stopped by signal' : goalReached ? 'goal reached' : trainer.step >= target ? 'iterations reached' : 'time limit reached';
  return { steps: trainer.step, reason, checkpoint };
}

/** The debug checks of one step's metrics line; returns the tensor count to hold the next steps to. */
function gib(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(2);
}

function debugChecks(metrics: StepMetrics, tensorsAfterFirst: number | null): number {
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new HyperTrackError(`debug check: step ${metrics.iteration}: ${key} is ${value}`);
  }
  const tensors = metrics.tensors as number;
  if (tensorsAfterFirst !== null && tensors !== tensorsAfterFirst) {
    throw new HyperTrackError(`debug check: step ${metrics.iteration} left ${tensors} tensors alive, the first step ${tensorsAfterFirst}: a tensor leaks`);
  }
  return tensorsAfterFirst ?? tensors;
}

/**
 * The line `train` prints every few steps: means over `records` of loss, training AUC, edges and
 * step time, the last validation AUC and the learning rate.
 */
export function formatStepSummary(records: readonly StepRecord[], last: StepMetrics): string {
  const mean = (f: (r: StepRecord) => number) => records.reduce((s, r) => s + f(r), 0) / records.length;
  const parts = [
    `step ${records[records.length - 1].step + 1}`,
    `loss ${mean((r) => r.loss).toFixed(4)}`,
    `trn AUC ${mean((r) => r.edgeAuc).toFixed(4)}`,
  ];
  if (typeof last.val_edge_auc === 'number') parts.push(`val AUC ${last.val_edge_auc.toFixed(4)}`);
  if (typeof last.val_edge_auc_noself === 'number') parts.push(`without self-loops ${last.val_edge_auc_noself.toFixed(4)}`);
  // The transformer phase's cluster losses and clustering score, once it has joined.
  if (typeof last.cluster_bce_loss === 'number') parts.push(`cluster BCE ${last.cluster_bce_loss.toFixed(4)}`);
  if (typeof last.majority_score === 'number') parts.push(`trn DMS ${last.majority_score.toFixed(3)}`);
  parts.push(`lr ${records[records.length - 1].lr.toExponential(2)}`, `${mean((r) => r.edges).toFixed(0)} edges`, `${mean((r) => r.ms).toFixed(0)} ms/step`);
  return parts.join(', ');
}

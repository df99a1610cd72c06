import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, folderEntries, InputError, isProcessAlive, removeAbandonedTemporaries, writeFileAtomic } from '@hypertrack/core';
import { loadStateDict, saveStateDict, type StateDict } from '@hypertrack/nn';
import { checkGnnConfig, type GnnConfig } from '../config';
import { EdgePredictor } from '../model';
import { checkTrainerConfig, type TrainerConfig } from './config';
import type { LatentLossSpec } from './latent-loss';
import type { GnnTrainer } from './trainer';

export const CHECKPOINT_FORMAT = 'hypertrack-gnn-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** trainer.json of a checkpoint folder. */
export interface CheckpointMeta {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  /** Optimisation steps done when it was written. */
  readonly step: number;
  readonly gnn: GnnConfig;
  readonly training: TrainerConfig;
  readonly savedAt: string;
  /** Whatever the caller needs to resume exactly (for the CLI: the current event, the seed). */
  readonly extra: Record<string, unknown>;
  /**
   * The latent loss that trains along (the transformer phase), absent in the edge phase: how to
   * build it, the step it joined at (the schedule restarts there) and the AUC that switched it on.
   * Its weights are `<spec.name>.safetensors`.
   */
  readonly latentLoss?: { readonly spec: LatentLossSpec; readonly since: number; readonly auc: number | null };
}

export interface Checkpoint {
  readonly path: string;
  readonly meta: CheckpointMeta;
  /** Model parameters and BatchNorm buffers, PyTorch layout. */
  readonly model: StateDict;
  /** Optimizer moments and step counts. */
  readonly optimizer: StateDict;
  /** The latent loss's parameters (empty in the edge phase). */
  readonly latentLoss: StateDict;
  dispose(): void;
}

const MODEL_FILE = 'model.safetensors';
const OPTIMIZER_FILE = 'optimizer.safetensors';
const META_FILE = 'trainer.json';

/** The file of a latent loss's weights in a checkpoint folder. */
export function latentLossFile(spec: Pick<LatentLossSpec, 'name'>): string {
  return `${spec.name}.safetensors`;
}

/** Name of the folder of step n: zero-padded so that names sort like steps. */
export function checkpointName(step: number): string {
  return `step-${String(step).padStart(9, '0')}`;
}

/**
 * Writes the trainer's state to `<dir>/step-<n>/`: model weights (safetensors, loadable in
 * Python; `num_batches_tracked` as I64 like PyTorch), optimizer state (safetensors) and
 * trainer.json, and with a latent loss training along its weights (`<name>.safetensors`, the
 * reference's names). The folder is written under a temporary name and renamed, so a stopped run never
 * leaves a half checkpoint where a resume would find it. Re-saving a step that exists (the end of
 * a run that saved its last step already, a resumed finished run) moves the old folder aside as
 * `step-<n>.old-<pid>` first and removes it only once the new one is in place: a kill in between
 * leaves the old one, which `tidyCheckpoints` puts back.
 */
export async function saveCheckpoint(dir: string, trainer: GnnTrainer, extra: Record<string, unknown> = {}): Promise<string> {
  const final = join(dir, checkpointName(trainer.step));
  const temporary = `${final}.partial-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  const model = trainer.model.stateDict();
  const optimizer = trainer.optimizer.state();
  const latent = trainer.latentLoss;
  try {
    const meta: CheckpointMeta = {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      step: trainer.step,
      gnn: trainer.model.config,
      training: trainer.config,
      savedAt: new Date().toISOString(),
      extra,
      ...(latent === null ? {} : { latentLoss: { spec: latent.spec, since: latent.since, auc: latent.auc } }),
    };
    await saveStateDict(join(temporary, MODEL_FILE), model, { format: 'pt', step: String(trainer.step) }, { int64: (name) => name.endsWith('num_batches_tracked') });
    await saveStateDict(join(temporary, OPTIMIZER_FILE), optimizer, { step: String(trainer.step) });
    if (latent !== null) {
      const state = latent.extension.stateDict?.();
      try {
        await saveStateDict(join(temporary, latentLossFile(latent.spec)), state ?? new Map(latent.extension.parameters), { step: String(trainer.step) });
      } finally {
        if (state !== undefined) tf.dispose([...state.values()]);
      }
    }
    await writeFile(join(temporary, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
    const aside = `${final}.old-${process.pid}`;
    const replacing = existsSync(final);
    if (replacing) await rename(final, aside);
    await rename(temporary, final);
    if (replacing) await rm(aside, { recursive: true, force: true });
    await writeFileAtomic(join(dir, LATEST_POINTER), `${checkpointName(trainer.step)}\n`);
    return final;
  } finally {
    tf.dispose([...model.values(), ...optimizer.values()]);
    await rm(temporary, { recursive: true, force: true });
  }
}

const STEP_FOLDER = /^step-\d{9}$/;
const ASIDE_FOLDER = /^(step-\d{9})\.old-(\d+)$/;
const PARTIAL_FOLDER = /^step-\d{9}\.partial-(\d+)$/;

/** A step folder a resume can use: its trainer.json and weights are there (a kill never leaves less, a hand copy may). */
function isComplete(folder: string): boolean {
  return existsSync(join(folder, META_FILE)) && existsSync(join(folder, MODEL_FILE));
}

/** The file naming the newest checkpoint of a folder, rewritten atomically after every save. */
export const LATEST_POINTER = 'latest_checkpoint';

/**
 * The newest complete checkpoint folder under `dir`: the one `latest_checkpoint` names when it is
 * complete, else the highest step found (a folder copied by hand, or a pointer not yet written);
 * null when there is none.
 */
export async function latestCheckpoint(dir: string): Promise<string | null> {
  try {
    const named = (await readFile(join(dir, LATEST_POINTER), 'utf8')).trim();
    if (STEP_FOLDER.test(named) && isComplete(join(dir, named))) return join(dir, named);
  } catch {
    // No pointer (an older run): the scan below finds the newest.
  }
  const names = await folderEntries(dir);
  const steps = names.filter((name) => STEP_FOLDER.test(name)).sort();
  for (let k = steps.length - 1; k >= 0; k--) if (isComplete(join(dir, steps[k]))) return join(dir, steps[k]);
  return null;
}

/**
 * Repairs a checkpoint folder after killed runs, before a run uses it: a step moved aside by a
 * re-save that was killed is put back when its replacement never arrived (and dropped when it
 * did); half-written `.partial-<pid>` folders of processes that are gone are removed. Returns
 * what it did, one line per folder.
 */
export async function tidyCheckpoints(dir: string): Promise<string[]> {
  const names = await folderEntries(dir);
  const done: string[] = [];
  for (const name of names) {
    const aside = ASIDE_FOLDER.exec(name);
    if (aside !== null && !isProcessAlive(Number(aside[2]))) {
      const step = join(dir, aside[1]);
      if (isComplete(step)) {
        await rm(join(dir, name), { recursive: true, force: true });
        done.push(`removed ${name} (superseded by ${aside[1]})`);
      } else if (isComplete(join(dir, name))) {
        await rm(step, { recursive: true, force: true });
        await rename(join(dir, name), step);
        done.push(`restored ${aside[1]} from ${name} (a re-save was killed)`);
      }
    }
    const partial = PARTIAL_FOLDER.exec(name);
    if (partial !== null && !isProcessAlive(Number(partial[1]))) {
      await rm(join(dir, name), { recursive: true, force: true });
      done.push(`removed ${name} (left by a killed run)`);
    }
  }
  // A latest_checkpoint pointer half-written by a killed run (the old one is still in place).
  for (const name of await removeAbandonedTemporaries(dir)) done.push(`removed ${name} (left by a killed run)`);
  return done;
}

async function readMeta(metaPath: string): Promise<CheckpointMeta> {
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(await readFile(metaPath, 'utf8')) as CheckpointMeta;
  } catch (error) {
    throw new InputError({ file: metaPath }, `cannot read the checkpoint's trainer.json: ${(error as Error).message}`);
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new InputError({ file: metaPath }, `not a HyperTrack GNN checkpoint (a JSON ${meta === null ? 'null' : Array.isArray(meta) ? 'array' : typeof meta}, not an object)`);
  if (meta.format !== CHECKPOINT_FORMAT) throw new InputError({ file: metaPath }, `not a HyperTrack GNN checkpoint (format '${String(meta.format)}')`);
  if (meta.version !== CHECKPOINT_VERSION) {
    throw new InputError({ file: metaPath }, `checkpoint version ${meta.version}; this build reads version ${CHECKPOINT_VERSION}`);
  }
  if (!Number.isInteger(meta.step) || meta.step < 0) throw new InputError({ file: metaPath, column: 'step' }, `expected the steps done, an integer >= 0, got ${JSON.stringify(meta.step)}`);
  if (meta.gnn === null || typeof meta.gnn !== 'object' || Array.isArray(meta.gnn)) throw new InputError({ file: metaPath, column: 'gnn' }, `expected the GNN's config, an object, got ${JSON.stringify(meta.gnn) ?? 'nothing'}`);
  return meta;
}

/** Reads a checkpoint folder (model, optimizer, trainer.json), checking its format, version and recorded configs. */
export async function loadCheckpoint(path: string): Promise<Checkpoint> {
  const meta = await readMeta(join(path, META_FILE));
  // A resume builds from the run's own settings, but a trainer.json whose configs could never have
  // trained is a damaged file: say so rather than go on from its weights.
  const sections: Array<[string, () => void]> = [
    ['gnn', () => checkGnnConfig(meta.gnn)],
    ['training', () => checkTrainerConfig(meta.training)],
  ];
  for (const [column, check] of sections) {
    try {
      if (column === 'training' && (meta.training === null || typeof meta.training !== 'object')) throw new RangeError(`expected the training config, an object, got ${JSON.stringify(meta.training) ?? 'nothing'}`);
      check();
    } catch (error) {
      throw new InputError({ file: join(path, META_FILE), column }, (error as Error).message);
    }
  }
  const model = await loadStateDict(join(path, MODEL_FILE));
  // A shipped model carries no optimizer state; restoring it then needs softReset.
  const optimizer: StateDict = existsSync(join(path, OPTIMIZER_FILE)) ? await loadStateDict(join(path, OPTIMIZER_FILE)) : new Map();
  let latentLoss: StateDict = new Map();
  if (meta.latentLoss !== undefined) {
    const file = join(path, latentLossFile(meta.latentLoss.spec));
    if (!existsSync(file)) throw new InputError({ file }, `missing: trainer.json says the ${meta.latentLoss.spec.name} trains along, but its weights are not there`);
    latentLoss = await loadStateDict(file);
  }
  return { path, meta, model, optimizer, latentLoss, dispose: () => tf.dispose([...model.values(), ...optimizer.values(), ...latentLoss.values()]) };
}

export interface RestoreOptions {
  /** Load only the model weights: fresh optimizer moments and schedule (reference --soft_reset). */
  readonly softReset?: boolean;
  /** Start counting steps at 0 (a transfer to a new stage keeps the weights, not the clock). */
  readonly resetStep?: boolean;
}

/**
 * Puts a checkpoint's weights (and unless softReset, optimizer state and step) into a trainer. A
 * checkpoint with a latent loss needs the trainer to run the same one (`addLatentLoss` first, as
 * `resumeTraining` does); its weights are restored too.
 */
export function restoreTrainer(trainer: GnnTrainer, checkpoint: Checkpoint, options: RestoreOptions = {}): void {
  if (!options.softReset && checkpoint.optimizer.size === 0) {
    throw new InputError({ file: join(checkpoint.path, OPTIMIZER_FILE) }, 'missing: this checkpoint has weights only (a shipped model?); start from it with a soft reset (fresh optimizer)');
  }
  const saved = checkpoint.meta.latentLoss;
  const running = trainer.latentLoss;
  if ((saved?.spec.name ?? null) !== (running?.spec.name ?? null)) {
    throw new InputError({ file: join(checkpoint.path, META_FILE) }, `the checkpoint trains ${saved === undefined ? 'the GNN alone' : `with the ${saved.spec.name}`}, the trainer ${running === null ? 'the GNN alone' : `with the ${running.spec.name}`}`);
  }
  if (running !== null && running.extension.loadStateDict !== undefined) {
    try {
      running.extension.loadStateDict(checkpoint.latentLoss);
    } catch (error) {
      throw new InputError({ file: join(checkpoint.path, latentLossFile(running.spec)) }, (error as Error).message);
    }
  } else if (running !== null) {
    for (const [name, variable] of running.extension.parameters) {
      const value = checkpoint.latentLoss.get(name);
      if (value === undefined) throw new InputError({ file: join(checkpoint.path, latentLossFile(running.spec)), column: name }, 'missing tensor');
      if (value.shape.join(',') !== variable.shape.join(',')) {
        throw new InputError({ file: join(checkpoint.path, latentLossFile(running.spec)), column: name }, `shape [${value.shape.join(', ')}], the model has [${variable.shape.join(', ')}]`);
      }
      variable.assign(value.dtype === variable.dtype ? value : tf.cast(value, variable.dtype));
    }
  }
  try {
    trainer.model.loadStateDict(checkpoint.model);
  } catch (error) {
    throw new InputError({ file: join(checkpoint.path, MODEL_FILE) }, (error as Error).message);
  }
  if (!options.softReset) {
    try {
      trainer.optimizer.loadState(checkpoint.optimizer);
    } catch (error) {
      throw new InputError({ file: join(checkpoint.path, OPTIMIZER_FILE) }, (error as Error).message);
    }
  }
  trainer.step = options.resetStep || options.softReset ? 0 : checkpoint.meta.step;
}

/**
 * The trainer.json of a checkpoint folder, or of the newest in a folder of them, with its format
 * and version checked, and the folder it came from (what an inference loader reads first).
 */
export async function checkpointMeta(path: string): Promise<{ folder: string; meta: CheckpointMeta }> {
  let folder = path;
  if (!existsSync(join(folder, META_FILE))) {
    const latest = await latestCheckpoint(folder);
    if (latest === null) throw new InputError({ file: path }, 'neither a GNN checkpoint (trainer.json) nor a folder of step-* checkpoints');
    folder = latest;
  }
  return { folder, meta: await readMeta(join(folder, META_FILE)) };
}

/**
 * An EdgePredictor from a checkpoint folder, or from a folder of checkpoints (the newest), for
 * inference: only trainer.json and model.safetensors are read, so a shipped model needs no
 * optimizer state.
 */
export async function loadEdgePredictor(path: string): Promise<{ model: EdgePredictor; meta: CheckpointMeta; path: string }> {
  const { folder, meta } = await checkpointMeta(path);
  let model: EdgePredictor;
  try {
    model = new EdgePredictor(meta.gnn, 0);
  } catch (error) {
    throw new InputError({ file: join(folder, META_FILE), column: 'gnn' }, (error as Error).message);
  }
  const state = await loadStateDict(join(folder, MODEL_FILE));
  try {
    model.loadStateDict(state);
  } catch (error) {
    model.dispose();
    throw new InputError({ file: join(folder, MODEL_FILE) }, (error as Error).message);
  } finally {
    tf.dispose([...state.values()]);
  }
  model.eval();
  return { model, meta, path: folder };
}

export interface StartingPoint {
  /** The run's checkpoint folder (`<logdir>/checkpoints/<tag>`). */
  readonly tagDir: string;
  /** 'auto': the newest checkpoint of `tagDir` if it has one, else a fresh start; 0: a fresh start; -1: the newest checkpoint; n: step n. */
  readonly epoch: number | 'auto';
  /** Start from another stage instead: a checkpoint folder, a folder of step folders, or a tag under `checkpointsDir`. */
  readonly transferFrom?: string;
  /** The flag that gave `transferFrom`, named in errors (default `--transfer-tag`; `--resume`, `--checkpoint`). */
  readonly transferKey?: string;
  readonly checkpointsDir: string;
}

/**
 * The checkpoint a run starts from, or null for a fresh start; a ConfigError naming `--epoch` or
 * `--transfer-tag` when the asked-for one is not there, or when a fresh start would mix with the
 * checkpoints of an earlier run.
 */
export async function startingCheckpoint(start: StartingPoint): Promise<string | null> {
  if (start.transferFrom !== undefined) {
    const given = start.transferFrom;
    const key = start.transferKey ?? '--transfer-tag';
    const dir = existsSync(given) && statSync(given).isDirectory() ? given : join(start.checkpointsDir, given);
    if (!existsSync(dir)) throw new ConfigError(key, `${given}: neither a checkpoint folder nor a tag of ${start.checkpointsDir}`);
    if (existsSync(join(dir, META_FILE))) return dir;
    const latest = await latestCheckpoint(dir);
    if (latest === null) throw new ConfigError(key, `no checkpoint under ${dir}`);
    return latest;
  }
  if (start.epoch === 'auto') return latestCheckpoint(start.tagDir);
  if (start.epoch === 0) {
    if ((await latestCheckpoint(start.tagDir)) !== null) {
      throw new ConfigError('--epoch', `${start.tagDir} already holds checkpoints: resume with --epoch -1, or choose another --save-tag`);
    }
    return null;
  }
  if (start.epoch === -1) {
    const latest = await latestCheckpoint(start.tagDir);
    if (latest === null) throw new ConfigError('--epoch', `-1 resumes from the newest checkpoint, but ${start.tagDir} has none`);
    return latest;
  }
  const exact = join(start.tagDir, checkpointName(start.epoch));
  if (!isComplete(exact)) throw new ConfigError('--epoch', `no checkpoint at step ${start.epoch} (${exact})`);
  return exact;
}

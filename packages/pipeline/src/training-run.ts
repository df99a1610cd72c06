import { existsSync, rmdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, InputError, lockFolder, removeAbandonedTemporaries, Rng, writeFileAtomic, type EventStream, type FolderLock } from '@hypertrack/core';
import { resumeTraining, startingCheckpoint, tidyCheckpoints, type FitState, type GnnTrainer, type LatentLossPhase } from '@hypertrack/gnn';
import { openEvents } from '@hypertrack/io-arrow';
import type { VoxdynModel } from '@hypertrack/voxdyn';
import { configChanges } from './config-changes';
import { transformerPhase, createTransformerLoss } from './transformer-phase';
import { tuneTransformerConfig, type Tune } from './tune';
import { refuseVdOverlap } from './vd-overlap';

/**
 * The tune a run trains with on a Voxel-Dynamics model: the model decides node2node and ncell.
 * A flag that contradicts it is an error naming the flag; a config's other values only a note.
 */
export function tuneForGraph(tune: Tune, vd: Pick<VoxdynModel, 'node2node' | 'ncell'>, vdPath: string, flags: { node2node?: string; ncell?: number }, note: (line: string) => void): Tune {
  const contradicting = flags.node2node !== undefined && flags.node2node !== vd.node2node ? '--node2node' : flags.ncell !== undefined && flags.ncell !== vd.ncell ? '--ncell' : null;
  if (contradicting !== null) {
    throw new ConfigError(
      contradicting,
      `the --vd-model ${vdPath} is node2node ${vd.node2node}, ncell ${vd.ncell}, but the run asks for node2node ${tune.data.node2node}, ncell ${tune.data.ncell}: leave out ${contradicting} (the model sets it) or give a matching model`,
    );
  }
  if (vd.node2node !== tune.data.node2node || vd.ncell !== tune.data.ncell) {
    note(`note: using the VD model's node2node ${vd.node2node}, ncell ${vd.ncell} (the config says ${tune.data.node2node}, ${tune.data.ncell})`);
  }
  return { ...tune, data: { ...tune.data, node2node: vd.node2node, ncell: vd.ncell } };
}

/** The training and validation events of a run, refusing the VD model's own unless allowed. */
export async function trainingEvents(
  path: string,
  selection: { events?: string; valEvents?: string; validate: boolean; allowVdOverlap: boolean },
  vd: Pick<VoxdynModel, 'stats'>,
  vdPath: string,
): Promise<{ source: EventStream; trainIds: number[]; valIds: number[] }> {
  const source = await openEvents(path);
  const valIds = selection.valEvents ? [...(await openEvents(path, { events: selection.valEvents, eventsKey: '--val-events' })).eventIds] : [];
  const trainIds = selection.events ? [...(await openEvents(path, { events: selection.events, eventsKey: '--events' })).eventIds] : source.eventIds.filter((id) => !valIds.includes(id));
  if (trainIds.length === 0) throw new InputError({ file: path }, 'no training events left after taking out --val-events');
  if (selection.validate && valIds.length === 0) throw new ConfigError('--validate', 'needs --val-events');
  if (!selection.allowVdOverlap) {
    refuseVdOverlap('--events', trainIds, vd.stats, vdPath);
    refuseVdOverlap('--val-events', valIds, vd.stats, vdPath);
  }
  return { source, trainIds, valIds };
}

/** Where a training run starts and what it may change (the flags of `train`). */
export interface TrainingRunStart {
  readonly logdir: string;
  readonly saveTag: string;
  readonly seed: number;
  /** 'auto' resumes the newest checkpoint of the run if it has one. */
  readonly epoch?: number;
  /** Another run's checkpoint: its whole state (`resume`), its weights (`checkpoint`), or another stage's state (`transferTag`). */
  readonly resume?: string;
  readonly checkpoint?: string;
  readonly transferTag?: string;
  readonly softReset: boolean;
  readonly cluster: 'none' | 'transformer';
  readonly allowChanges: boolean;
}

export interface TrainingRun {
  /** The checkpoint the run starts from (null: fresh) and `fit`'s state. */
  readonly from: string | null;
  readonly state: FitState;
  /** The transformer phase when `cluster` is 'transformer'. */
  readonly phase?: LatentLossPhase;
  /** Whether only weights were loaded (a fresh optimizer and schedule). */
  readonly softReset: boolean;
}

/**
 * Opens a training run folder for `trainer`: takes its lock, tidies what killed runs left, finds
 * where the run starts (its own newest checkpoint, or the one given), restores it, and records the
 * resolved config, refusing a resume whose settings changed unless allowed (the old config is
 * kept as config-before-step-<n>.json). Notes go to `note`.
 */
export async function openTrainingRun(
  trainer: GnnTrainer,
  tune: Tune,
  runConfig: Readonly<Record<string, unknown>>,
  start: TrainingRunStart,
  hold: (lock: FolderLock) => void,
  note: (line: string) => void,
): Promise<TrainingRun> {
  const { logdir } = start;
  // A run that cannot start leaves no folder of its own making behind (an empty one, at least).
  const made = topmostMissing(logdir);
  const lock = lockFolder(logdir, 'trainer');
  hold(lock);
  try {
    return await startLockedRun(trainer, tune, runConfig, start, note);
  } catch (error) {
    if (made !== null) {
      lock.release();
      removeEmptyFolders(logdir, made);
    }
    throw error;
  }
}

/** The highest folder on the way to `dir` that does not exist yet (`dir` itself at most), or null when `dir` exists. */
function topmostMissing(dir: string): string | null {
  let missing: string | null = null;
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) missing = at;
  return missing;
}

/** Removes `dir` and its parents up to `top` while they are empty. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let at = resolve(dir); at.startsWith(top); at = dirname(at)) {
    try {
      rmdirSync(at);
    } catch {
      return;
    }
  }
}

async function startLockedRun(trainer: GnnTrainer, tune: Tune, runConfig: Readonly<Record<string, unknown>>, start: TrainingRunStart, note: (line: string) => void): Promise<TrainingRun> {
  const { logdir } = start;
  const tagDir = join(logdir, 'checkpoints', start.saveTag);
  for (const line of await tidyCheckpoints(tagDir)) note(`note: ${tagDir}: ${line}`);
  for (const name of await removeAbandonedTemporaries(logdir)) note(`note: removed ${join(logdir, name)}, left by a killed run`);

  const elsewhere = start.resume ?? start.checkpoint ?? start.transferTag;
  const transferKey = start.resume !== undefined ? '--resume' : start.checkpoint !== undefined ? '--checkpoint' : '--transfer-tag';
  const from = await startingCheckpoint({ tagDir, epoch: start.epoch ?? 'auto', transferFrom: elsewhere, transferKey, checkpointsDir: join(logdir, 'checkpoints') });
  // --checkpoint: weights only; --resume: everything, the run's event sequence included; --transfer-tag: another stage's state.
  const softReset = start.softReset || start.checkpoint !== undefined;
  const state: FitState =
    from === null
      ? { seed: start.seed, currentEvent: null, currentValEvent: null }
      : await resumeTraining(trainer, from, { softReset, transfer: start.transferTag !== undefined || start.checkpoint !== undefined, seed: start.seed, createLatentLoss: createTransformerLoss });
  if (from !== null) note(`resumed from ${from} at step ${trainer.step}${softReset ? ' (weights only: fresh optimizer and schedule)' : ''}`);
  const joined = trainer.latentLoss;
  if (joined !== null && start.cluster !== 'transformer') {
    throw new ConfigError('--cluster', `${from} trains the ${joined.spec.name} along with the GNN (since step ${joined.since}); go on with --cluster transformer`);
  }
  if (joined !== null) note(`the ${joined.spec.name} trains along since step ${joined.since}${joined.auc === null ? '' : ` (training edge AUC ${joined.auc.toFixed(4)})`}`);
  const phase =
    start.cluster === 'transformer'
      ? transformerPhase(
          {
            model: tuneTransformerConfig(tune),
            seed: Rng.fromSeed(start.seed).split('transformer-init').nextUint32(),
            search: tune.transformer.search,
            losses: tune.transformer.losses,
            cluster: { threshold: tune.cluster.edgeThreshold, minGraph: tune.cluster.minGraph },
          },
          tune.transformer.aucThreshold,
        )
      : undefined;

  const recordedFile = join(logdir, 'config.json');
  if (from !== null && start.transferTag === undefined && existsSync(recordedFile)) {
    const recorded = JSON.parse(await readFile(recordedFile, 'utf8')) as unknown;
    // The backend is how, not what: resuming on another one is fine.
    const changes = configChanges(recorded, runConfig, ['backend']);
    if (changes.length > 0 && !start.allowChanges) {
      throw new ConfigError('--allow-changes', `resuming ${logdir} with other settings than it ran with (${changes.join('; ')}); pass --allow-changes to go on with them`);
    }
    if (changes.length > 0) {
      await writeFileAtomic(join(logdir, `config-before-step-${trainer.step}.json`), `${JSON.stringify(recorded, null, 2)}\n`);
      note(`note: resuming with changed settings (${changes.join('; ')}); the old config is config-before-step-${trainer.step}.json`);
    }
  }
  await writeFileAtomic(recordedFile, `${JSON.stringify(runConfig, null, 2)}\n`);
  return { from, state, phase, softReset };
}

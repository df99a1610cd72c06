import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, lockFolder, writeFileAtomic, type FolderLock } from '@hypertrack/core';
import { latestCheckpoint, type FitResult } from '@hypertrack/gnn';
import type { Recipe } from '@hypertrack/pipeline';
import type { CliIO } from '../io';
import type { StageRun, TrainOptions } from './train';

/** `<logdir>/stages.json`: where each stage started, and the stages that are done. */
interface RecipeProgress {
  readonly started: Record<string, number>;
  readonly completed: Array<{ readonly name: string; readonly endStep: number; readonly checkpoint: string; readonly reason: string }>;
}

const PROGRESS_FILE = 'stages.json';

/**
 * Runs a progressive recipe (the training guide's transfer from low to high pile-up): stage k
 * trains in `<logdir>/<k>-<name>` and starts from the previous stage's last checkpoint (weights,
 * optimizer, step count), until its own steps, time or validation-AUC goal. `stages.json` records
 * where each stage started and which are done, so the same command, run again after a stop or a
 * kill, resumes inside the stage it was in (from that stage's newest checkpoint) and skips the
 * finished ones.
 */
export async function runRecipe(
  recipe: Recipe,
  options: TrainOptions,
  io: CliIO,
  hold: (lock: FolderLock) => void,
  runStage: (options: TrainOptions, stage: StageRun) => Promise<FitResult>,
): Promise<void> {
  for (const flag of ['transferTag', 'epoch', 'iterations', 'timeLimit', 'checkpoint', 'resume'] as const) {
    if (options[flag] !== undefined) throw new ConfigError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, `the recipe ${recipe.file} sets where each stage starts and ends`);
  }
  const root = options.logdir;
  if (root === undefined) throw new ConfigError('--logdir', `the recipe ${recipe.file} needs its run folder: give --logdir (the same command again resumes it)`);
  hold(lockFolder(root, 'training recipe'));
  const progressPath = join(root, PROGRESS_FILE);
  const progress: RecipeProgress = existsSync(progressPath) ? (JSON.parse(await readFile(progressPath, 'utf8')) as RecipeProgress) : { started: {}, completed: [] };
  const save = () => writeFileAtomic(progressPath, `${JSON.stringify(progress, null, 2)}\n`);
  let previous: RecipeProgress['completed'][number] | null = null;
  for (const [k, stage] of recipe.stages.entries()) {
    const done = progress.completed.find((c) => c.name === stage.name);
    if (done !== undefined) {
      previous = done;
      continue;
    }
    if (stage.valAucGoal !== undefined && !options.validate) throw new ConfigError('--validate', `stage '${stage.name}' ends at a validation AUC of ${stage.valAucGoal}: it needs --validate`);
    const logdir = join(root, `${k + 1}-${stage.name}`);
    const resuming = (await latestCheckpoint(join(logdir, 'checkpoints', options.saveTag))) !== null;
    if (!resuming || progress.started[stage.name] === undefined) {
      progress.started[stage.name] = previous?.endStep ?? 0;
      await save();
    }
    const start = progress.started[stage.name];
    io.stdout.write(`stage ${k + 1}/${recipe.stages.length} '${stage.name}' ${resuming ? 'resumes' : previous === null ? 'starts' : `starts from stage '${previous.name}' at step ${previous.endStep}`} in ${logdir}\n`);
    const result = await runStage(
      {
        ...options,
        logdir,
        config: undefined,
        vdModel: stage.vdModel ?? options.vdModel,
        transferTag: resuming || previous === null ? undefined : previous.checkpoint,
        iterations: stage.steps === undefined ? undefined : start + stage.steps,
        timeLimit: stage.timeLimit,
      },
      { tune: stage.tune, valAucGoal: stage.valAucGoal },
    );
    if (result.reason === 'stopped by signal') return;
    previous = { name: stage.name, endStep: result.steps, checkpoint: result.checkpoint, reason: result.reason };
    progress.completed.push(previous);
    await save();
  }
  io.stdout.write(`recipe done: ${progress.completed.map((c) => `${c.name} to step ${c.endStep} (${c.reason})`).join(', ')}\n`);
}

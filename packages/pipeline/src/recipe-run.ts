import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, lockFolder, writeFileAtomic, type FolderLock } from '@hypertrack/core';
import { latestCheckpoint, type FitResult } from '@hypertrack/gnn';
import type { Recipe, RecipeStage } from './recipe';

/** `<logdir>/stages.json`: where each stage started, and the stages that are done. */
interface RecipeProgress {
  readonly started: Record<string, number>;
  readonly completed: Array<{ readonly name: string; readonly endStep: number; readonly checkpoint: string; readonly reason: string }>;
}

const PROGRESS_FILE = 'stages.json';

/** What one stage's run is given: its folder, where it starts, and when it ends. */
export interface StageStart {
  readonly stage: RecipeStage;
  /** `<logdir>/<k>-<name>`. */
  readonly logdir: string;
  /** The previous stage's last checkpoint, when this stage starts from it (not when it resumes its own). */
  readonly transferFrom?: string;
  /** The step count to stop at (the stage's start plus its steps). */
  readonly iterations?: number;
}

export interface RecipeRunOptions {
  /** The recipe's run folder (required: the same one again resumes it). */
  readonly logdir: string | undefined;
  /** Flags that set where a run starts or ends, by name: a recipe sets these per stage, so any given is refused. */
  readonly startFlags: Readonly<Record<string, unknown>>;
  /** Where the stages keep their checkpoints (`checkpoints/<saveTag>` in their folders). */
  readonly saveTag: string;
  /** Whether validation runs (a stage with a validation-AUC goal needs it). */
  readonly validate: boolean;
  readonly hold: (lock: FolderLock) => void;
  readonly print: (line: string) => void;
  /** Runs one stage to its end (a `fit` with the stage's tune); 'stopped by signal' stops the recipe. */
  readonly runStage: (start: StageStart) => Promise<FitResult>;
}

/**
 * Runs a progressive recipe (the training guide's transfer from low to high pile-up): stage k
 * trains in `<logdir>/<k>-<name>` and starts from the previous stage's last checkpoint (weights,
 * optimizer, step count), until its own steps, time or validation-AUC goal. `stages.json` records
 * where each stage started and which are done, so running the recipe again after a stop or a kill
 * resumes inside the stage it was in (from that stage's newest checkpoint) and skips the finished
 * ones.
 */
export async function runRecipe(recipe: Recipe, options: RecipeRunOptions): Promise<void> {
  for (const [flag, value] of Object.entries(options.startFlags)) {
    if (value !== undefined) throw new ConfigError(flag, `the recipe ${recipe.file} sets where each stage starts and ends`);
  }
  const root = options.logdir;
  if (root === undefined) throw new ConfigError('--logdir', `the recipe ${recipe.file} needs its run folder: give --logdir (the same command again resumes it)`);
  options.hold(lockFolder(root, 'training recipe'));
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
    options.print(`stage ${k + 1}/${recipe.stages.length} '${stage.name}' ${resuming ? 'resumes' : previous === null ? 'starts' : `starts from stage '${previous.name}' at step ${previous.endStep}`} in ${logdir}`);
    const result = await options.runStage({
      stage,
      logdir,
      transferFrom: resuming || previous === null ? undefined : previous.checkpoint,
      iterations: stage.steps === undefined ? undefined : start + stage.steps,
    });
    if (result.reason === 'stopped by signal') return;
    previous = { name: stage.name, endStep: result.steps, checkpoint: result.checkpoint, reason: result.reason };
    progress.completed.push(previous);
    await save();
  }
  options.print(`recipe done: ${progress.completed.map((c) => `${c.name} to step ${c.endStep} (${c.reason})`).join(', ')}`);
}

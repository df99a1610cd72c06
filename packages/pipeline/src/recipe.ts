import { dirname, isAbsolute, join } from 'node:path';
import { ConfigError, InputError } from '@hypertrack/core';
import { TUNE5, applyOverride, checkTune, loadTune, readConfigFile, type Tune } from './tune';

/** One stage of a progressive training recipe (the training guide's rfactor 0.01, then 0.1, then 0.2). */
export interface RecipeStage {
  /** Names the stage's run folder `<logdir>/<k>-<name>` (letters, digits, - and _). */
  readonly name: string;
  /** The tune of this stage: the recipe's base tune with `set` on top (dotted keys, as `--set`). */
  readonly tune: Tune;
  readonly set: Readonly<Record<string, unknown>>;
  /** The stage's Voxel-Dynamics model (a finer one as the pile-up grows); absent: `--vd-model`. */
  readonly vdModel?: string;
  /** Ends after this many steps of its own, this much wall time, or a validation edge AUC this high: whichever first. */
  readonly steps?: number;
  readonly timeLimit?: number;
  readonly valAucGoal?: number;
}

export interface Recipe {
  readonly file: string;
  readonly stages: readonly RecipeStage[];
}

type Fields = Record<string, unknown>;

/**
 * Reads a progressive training recipe: a YAML or JSON file with `stages` (and optionally `tune`, a
 * tune file relative to the recipe, as the base of every stage). Each stage starts from the
 * previous stage's weights. Returns null for a plain tune file (no `stages`). Errors name the
 * file and the stage's key.
 */
export async function loadRecipe(file: string): Promise<Recipe | null> {
  const parsed: unknown = await readConfigFile(file);
  if (parsed === null || typeof parsed !== 'object' || !('stages' in parsed)) return null;
  const top = parsed as Fields;
  for (const key of Object.keys(top)) {
    if (key !== 'stages' && key !== 'tune') throw new InputError({ file, column: key }, 'unknown key of a recipe (known: tune, stages)');
  }
  let base: Tune | undefined;
  if (top.tune !== undefined) {
    if (typeof top.tune !== 'string') throw new InputError({ file, column: 'tune' }, 'expected the path of a tune file');
    base = await loadTune(isAbsolute(top.tune) ? top.tune : join(dirname(file), top.tune));
  }
  if (!Array.isArray(top.stages) || top.stages.length === 0) throw new InputError({ file, column: 'stages' }, 'expected a list of at least one stage');
  const names = new Set<string>();
  const stages = top.stages.map((raw: unknown, k: number): RecipeStage => {
    const at = (key: string) => `stages[${k}].${key}`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError({ file, column: `stages[${k}]` }, 'expected a stage (name, set, vdModel, steps, timeLimit, valAucGoal)');
    const stage = raw as Fields;
    for (const key of Object.keys(stage)) {
      if (!['name', 'set', 'vdModel', 'steps', 'timeLimit', 'valAucGoal'].includes(key)) throw new InputError({ file, column: at(key) }, 'unknown key (known: name, set, vdModel, steps, timeLimit, valAucGoal)');
    }
    if (typeof stage.name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(stage.name)) throw new InputError({ file, column: at('name') }, 'expected a name of letters, digits, - and _');
    if (names.has(stage.name)) throw new InputError({ file, column: at('name') }, `'${stage.name}' names two stages`);
    names.add(stage.name);
    const positive = (key: 'steps' | 'timeLimit') => {
      const value = stage[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !(value > 0) || (key === 'steps' && !Number.isInteger(value))) throw new InputError({ file, column: at(key) }, `expected a positive ${key === 'steps' ? 'integer' : 'number'}`);
      return value;
    };
    const steps = positive('steps');
    const timeLimit = positive('timeLimit');
    const goal = stage.valAucGoal;
    if (goal !== undefined && (typeof goal !== 'number' || !(goal > 0 && goal <= 1))) throw new InputError({ file, column: at('valAucGoal') }, 'expected an AUC in (0, 1]');
    if (steps === undefined && timeLimit === undefined && goal === undefined) throw new InputError({ file, column: at('steps') }, 'a stage needs an end: steps, timeLimit or valAucGoal');
    if (stage.vdModel !== undefined && typeof stage.vdModel !== 'string') throw new InputError({ file, column: at('vdModel') }, 'expected a file path');
    const set = (stage.set ?? {}) as Fields;
    if (typeof set !== 'object' || Array.isArray(set)) throw new InputError({ file, column: at('set') }, 'expected a map of dotted tune keys to values');
    let tune: Tune;
    try {
      tune = Object.entries(set).reduce((t, [key, value]) => applyOverride(t, `${key}=${JSON.stringify(value)}`), base ?? TUNE5);
      checkTune(tune);
    } catch (error) {
      throw new ConfigError(`${file}: ${at('set')}`, (error as Error).message);
    }
    // Like the command line's --vd-model, relative to the working folder.
    return { name: stage.name, tune, set, vdModel: stage.vdModel as string | undefined, steps, timeLimit, valAucGoal: goal as number | undefined };
  });
  return { file, stages };
}

import { readFile } from 'node:fs/promises';
import { parse, parseDocument } from 'yaml';
import { DEFAULT_EDGE_THRESHOLD, DEFAULT_MIN_GRAPH } from '@hypertrack/cluster';
import { ConfigError, InputError } from '@hypertrack/core';
import {
  TUNE5_DATA,
  TUNE5_GNN,
  TUNE5_TRAINING,
  checkDataConfig,
  checkGnnConfig,
  checkTrainerConfig,
  type DataConfig,
  type GnnConfig,
  type TrainerConfig,
} from '@hypertrack/gnn';
import { TUNE5_CLUSTER_LOSS, TUNE5_PIVOT_SEARCH, TUNE5_TRANSFORMER, checkPivotSearch, type ClusterLossConfig, type PivotSearchConfig, type TransformerConfig } from '@hypertrack/transformer';
import type { ReconstructionSettings } from './config';
import { definedValues } from './defined';

/** The clustering a tune is meant to be reconstructed with (`infer --config` reads it). */
export interface TuneClusterConfig {
  readonly edgeThreshold: number;
  readonly minGraph: number;
}

/** The transformer and its training (reference 3.5, 3.8, 4.2-4.3). */
export interface TuneTransformerConfig {
  /** The STransformer's sizes; its row width is the GNN's zDim + 3 (the latents and x, y, z). */
  readonly model: Omit<TransformerConfig, 'inDim'>;
  readonly search: PivotSearchConfig;
  readonly losses: ClusterLossConfig;
  /** The training edge AUC that switches the transformer's training on (`--auc-threshold`). */
  readonly aucThreshold: number;
}

/**
 * A tune: everything a `configs/*.json` file sets (reference 3.9, 4.8), composed of each
 * package's own config: the GNN's model and optimizer, the training data, and the clusterer.
 * `train --config` and `infer --config` read the same file.
 */
export interface Tune {
  readonly param: string;
  readonly model: GnnConfig;
  readonly training: TrainerConfig;
  readonly data: DataConfig;
  readonly cluster: TuneClusterConfig;
  readonly transformer: TuneTransformerConfig;
}

const { inDim: _rowWidth, ...TUNE5_TRANSFORMER_SIZES } = TUNE5_TRANSFORMER;

export const TUNE5: Tune = {
  param: 'tune-5',
  model: TUNE5_GNN,
  training: TUNE5_TRAINING,
  data: TUNE5_DATA,
  cluster: { edgeThreshold: DEFAULT_EDGE_THRESHOLD, minGraph: DEFAULT_MIN_GRAPH },
  transformer: { model: TUNE5_TRANSFORMER_SIZES, search: TUNE5_PIVOT_SEARCH, losses: TUNE5_CLUSTER_LOSS, aucThreshold: 0.998 },
};

/** The transformer's full config under a tune: rows of the GNN's latents and the 3 coordinates. */
export function tuneTransformerConfig(tune: Tune): TransformerConfig {
  return { ...tune.transformer.model, inDim: tune.model.zDim + 3 };
}

/** The reconstruction settings a tune implies (its clusterer); flags go on top. */
export function tuneReconstructionSettings(tune: Tune): ReconstructionSettings {
  return { cluster: { threshold: tune.cluster.edgeThreshold, minGraph: tune.cluster.minGraph } };
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Overlays `patch` (a parsed config file) on `base`, key by key. A key the base does not have, or
 * a value of another type, is an error naming its dotted path: a typo must not pass silently.
 */
function overlay(base: unknown, patch: Json, path: string, file: string): unknown {
  if (Array.isArray(base)) {
    if (!Array.isArray(patch) || patch.some((v) => typeof v !== typeof base[0])) {
      throw new InputError({ file, column: path }, `expected a list of ${typeof base[0]}s`);
    }
    return patch;
  }
  if (base !== null && typeof base === 'object') {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      if (path !== '') throw new InputError({ file, column: path }, 'expected an object');
      const got = patch === null ? 'nothing (an empty file?)' : JSON.stringify(patch).slice(0, 40);
      throw new InputError({ file }, `expected a mapping of tune sections (${Object.keys(base).join(', ')}), got ${got}`);
    }
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(patch)) {
      const keyPath = path === '' ? key : `${path}.${key}`;
      if (!(key in out)) {
        throw new InputError({ file, column: keyPath }, `unknown key (known here: ${Object.keys(out).join(', ')})`);
      }
      out[key] = overlay(out[key], value, keyPath, file);
    }
    return out;
  }
  if (typeof patch !== typeof base) throw new InputError({ file, column: path }, `expected a ${typeof base}, got ${JSON.stringify(patch)}`);
  return patch;
}

/** Checks the values a run depends on; messages name the key. */
export function checkTune(config: Tune): void {
  const wrap = (section: string, check: () => void) => {
    try {
      check();
    } catch (error) {
      throw new ConfigError(section, (error as Error).message);
    }
  };
  wrap('model', () => checkGnnConfig(config.model));
  wrap('training', () => checkTrainerConfig(config.training));
  checkDataConfig(config.data);
  if (!(config.cluster.edgeThreshold >= 0 && config.cluster.edgeThreshold <= 1)) throw new ConfigError('cluster.edgeThreshold', 'must be in [0, 1]');
  if (!Number.isInteger(config.cluster.minGraph) || config.cluster.minGraph < 1) throw new ConfigError('cluster.minGraph', 'must be an integer >= 1');
  const t = config.transformer;
  if (!(t.aucThreshold >= 0 && t.aucThreshold <= 1)) throw new ConfigError('transformer.aucThreshold', `must be in [0, 1], got ${t.aucThreshold}`);
  for (const key of ['hDim', 'nstackDec', 'heads'] as const) {
    if (!Number.isInteger(t.model[key]) || t.model[key] < 1) throw new ConfigError(`transformer.model.${key}`, `must be an integer >= 1, got ${t.model[key]}`);
  }
  if (t.model.hDim % t.model.heads !== 0) throw new ConfigError('transformer.model.heads', `must divide hDim ${t.model.hDim}, got ${t.model.heads}`);
  wrap('transformer', () => checkPivotSearch(t.search));
  if (!['pivotmajor', 'major'].includes(t.losses.target)) throw new ConfigError('transformer.losses.target', `must be pivotmajor or major, got '${t.losses.target}'`);
  if (!['intersect', 'dice', 'jaccard'].includes(t.losses.setLoss)) throw new ConfigError('transformer.losses.setLoss', `must be intersect, dice or jaccard, got '${t.losses.setLoss}'`);
  if (!['all', 'accepted'].includes(t.losses.supervise)) throw new ConfigError('transformer.losses.supervise', `must be all or accepted, got '${t.losses.supervise}'`);
  for (const key of ['clusterBCE', 'clusterContrastive'] as const) {
    if (!(t.losses.weights[key] >= 0)) throw new ConfigError(`transformer.losses.weights.${key}`, 'must be a number >= 0');
  }
}

/**
 * Reads a tune file over the tune-5 defaults (YAML for .yaml / .yml, else JSON; YAML is a superset
 * of JSON, so one parser reads both), then the `--set key=value` overrides in order; without a
 * file, tune-5 itself. Unknown keys and wrong types are errors naming the file and dotted key, or
 * the override.
 */
export async function loadTune(file?: string, overrides: readonly string[] = []): Promise<Tune> {
  let config: Tune = TUNE5;
  if (file !== undefined) config = overlay(TUNE5, await readConfigFile(file), '', file) as Tune;
  for (const override of overrides) config = applyOverride(config, override);
  checkTune(config);
  return config;
}

/**
 * A config file's contents: YAML for .yaml / .yml, else JSON. A file that cannot be read or parsed
 * is an InputError naming it (and for YAML the line and column of the first problem).
 */
export async function readConfigFile(file: string): Promise<Json> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError({ file }, `cannot read the config file: ${(error as Error).message}`);
  }
  return parseConfigText(text, file);
}

function parseConfigText(text: string, file: string): Json {
  const yaml = /\.ya?ml$/i.test(file);
  if (!yaml) {
    try {
      return JSON.parse(text) as Json;
    } catch (error) {
      throw new InputError({ file }, `not valid JSON: ${(error as Error).message}`);
    }
  }
  const document = parseDocument(text);
  const error = document.errors[0];
  if (error !== undefined) {
    const at = error.linePos?.[0];
    throw new InputError({ file, line: at?.line }, `not valid YAML${at === undefined ? '' : ` at column ${at.col}`}: ${yamlProblem(error)}`);
  }
  return document.toJS() as Json;
}

/**
 * One command-line override `dotted.key=value` (the value read as YAML: 0.001, true, [30, 30],
 * pivotmajor), checked against the tune's keys and types like a file.
 */
export function applyOverride(tune: Tune, override: string): Tune {
  const at = override.indexOf('=');
  if (at <= 0) throw new ConfigError('--set', `expected key=value (e.g. training.learningRate=0.001), got '${override}'`);
  const key = override.slice(0, at).trim();
  let value: Json;
  try {
    value = parse(override.slice(at + 1)) as Json;
  } catch (error) {
    throw new ConfigError('--set', `${key}: cannot read the value: ${yamlProblem(error as Error)}`);
  }
  const patch = key.split('.').reduceRight<Json>((inner, part) => ({ [part]: inner }), value);
  // Errors read as a file's would, with the flag in place of the file: "--set: column 'training.x': unknown key".
  return overlay(tune, patch, '', '--set') as Tune;
}

/** Values to put over a tune, section by section; undefined leaves the tune's value. */
export interface TuneOverrides {
  readonly model?: Partial<GnnConfig>;
  readonly training?: Partial<TrainerConfig>;
  readonly data?: Partial<DataConfig>;
  readonly cluster?: Partial<TuneClusterConfig>;
  readonly transformer?: Partial<TuneTransformerConfig>;
}

/** The tune with `overrides` on top (a command line's flags), checked again. */
export function overrideTune(tune: Tune, overrides: TuneOverrides): Tune {
  const over = <T extends object>(base: T, values: Partial<T> | undefined): T => ({ ...base, ...definedValues(values) });
  const out: Tune = {
    ...tune,
    model: over(tune.model, overrides.model),
    training: over(tune.training, overrides.training),
    data: over(tune.data, overrides.data),
    cluster: over(tune.cluster, overrides.cluster),
    transformer: over(tune.transformer, overrides.transformer),
  };
  checkTune(out);
  return out;
}

/** A YAML parser error's first line without the position it ends with (the caller says where). */
function yamlProblem(error: Error): string {
  return error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

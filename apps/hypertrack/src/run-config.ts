import { readFile } from 'node:fs/promises';
import { ConfigError, InputError } from '@hypertrack/core';
import { TUNE5_GNN, TUNE5_TRAINING, checkGnnConfig, checkTrainerConfig, type GnnConfig, type TrainerConfig } from '@hypertrack/gnn';

/** Data handling of a tune: how training events are reduced and turned into graphs. */
export interface DataConfig {
  readonly rfactorStart: number;
  readonly rfactorEnd: number;
  readonly noiseRatio: number;
  readonly node2node: 'hyper' | 'eom' | 'cricket';
  readonly ncell: number;
  readonly batchSize: number;
  /** Probability of switching to a new event each iteration (reference --period). */
  readonly period: number;
}

export interface ClusterConfig {
  readonly edgeThreshold: number;
  readonly minGraph: number;
}

/** A tune: everything a `configs/*.json` file sets (reference 3.9, 4.8). */
export interface RunConfig {
  readonly param: string;
  readonly model: GnnConfig;
  readonly training: TrainerConfig;
  readonly data: DataConfig;
  readonly cluster: ClusterConfig;
}

export const TUNE5: RunConfig = {
  param: 'tune-5',
  model: TUNE5_GNN,
  training: TUNE5_TRAINING,
  data: { rfactorStart: 0.01, rfactorEnd: 0.01, noiseRatio: 0.05, node2node: 'hyper', ncell: 131072, batchSize: 1, period: 1 },
  cluster: { edgeThreshold: 0.55, minGraph: 4 },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new InputError({ file, column: path }, 'expected an object');
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
export function checkRunConfig(config: RunConfig): void {
  const wrap = (section: string, check: () => void) => {
    try {
      check();
    } catch (error) {
      throw new ConfigError(section, (error as Error).message);
    }
  };
  wrap('model', () => checkGnnConfig(config.model));
  wrap('training', () => checkTrainerConfig(config.training));
  const d = config.data;
  const fail = (key: string, reason: string) => {
    throw new ConfigError(`data.${key}`, reason);
  };
  if (!(d.rfactorStart > 0 && d.rfactorStart <= 1)) fail('rfactorStart', `must be in (0, 1], got ${d.rfactorStart}`);
  if (!(d.rfactorEnd >= d.rfactorStart && d.rfactorEnd <= 1)) fail('rfactorEnd', `must be in [rfactorStart, 1], got ${d.rfactorEnd}`);
  if (!(d.noiseRatio < 1)) fail('noiseRatio', `must be < 1, got ${d.noiseRatio}`);
  if (!['hyper', 'eom', 'cricket'].includes(d.node2node)) fail('node2node', `must be hyper, eom or cricket, got '${d.node2node}'`);
  if (!Number.isInteger(d.batchSize) || d.batchSize < 1) fail('batchSize', `must be an integer >= 1, got ${d.batchSize}`);
  if (!(d.period >= 0 && d.period <= 1)) fail('period', `must be in [0, 1], got ${d.period}`);
  if (!(config.cluster.edgeThreshold >= 0 && config.cluster.edgeThreshold <= 1)) throw new ConfigError('cluster.edgeThreshold', 'must be in [0, 1]');
  if (!Number.isInteger(config.cluster.minGraph) || config.cluster.minGraph < 1) throw new ConfigError('cluster.minGraph', 'must be an integer >= 1');
}

/** Reads a tune file (JSON) over the tune-5 defaults; without a file, tune-5 itself. */
export async function loadRunConfig(file?: string): Promise<RunConfig> {
  if (file === undefined) return TUNE5;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError({ file }, 'cannot read the config file');
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (error) {
    throw new InputError({ file }, `not valid JSON: ${(error as Error).message}`);
  }
  const config = overlay(TUNE5, parsed, '', file) as RunConfig;
  checkRunConfig(config);
  return config;
}

import { basename, join } from 'node:path';
import { ConfigError } from '@hypertrack/core';
import { HIT_FEATURES, hitFeatureDim, type HitFeatures } from '@hypertrack/gnn';
import { OPTIMIZERS, SCHEDULES } from '@hypertrack/nn';
import { NODE2NODE_MODES } from '@hypertrack/voxdyn';
import { overrideTune, type Tune } from './tune';

/** The command-line values `train` lays over a tune, each absent when not given. */
export interface TrainingFlags {
  readonly aucThreshold?: number;
  readonly hitFeatures?: string;
  readonly optimizer?: string;
  readonly learningRate?: number;
  readonly schedulerType?: string;
  readonly schedulerPeriod?: number;
  readonly weightDecayW?: number;
  readonly weightDecayB?: number;
  readonly epsilon?: number;
  readonly maxGradNorm?: number;
  readonly batchSize?: number;
  readonly rfactorStart?: number;
  readonly rfactorEnd?: number;
  readonly noiseRatio?: number;
  readonly period?: number;
  readonly node2node?: string;
  readonly ncell?: number;
}

/** The tune with the flags that were given on top (`--rfactor-end` defaults to `--rfactor-start`), checked again. */
export function tuneWithFlags(tune: Tune, o: TrainingFlags): Tune {
  // A bad name is the flag's error, not the tune section's it lands in.
  const choice = (flag: string, value: string | undefined, allowed: readonly string[]) => {
    if (value !== undefined && !allowed.includes(value)) throw new ConfigError(flag, `expected one of ${allowed.join(', ')}, got "${value}"`);
  };
  choice('--hit-features', o.hitFeatures, HIT_FEATURES);
  choice('--optimizer', o.optimizer, OPTIMIZERS);
  choice('--scheduler-type', o.schedulerType, SCHEDULES);
  choice('--node2node', o.node2node, NODE2NODE_MODES);
  const features = o.hitFeatures as HitFeatures | undefined;
  return overrideTune(tune, {
    transformer: { aucThreshold: o.aucThreshold },
    model: features === undefined ? undefined : { hitFeatures: features, coordDim: hitFeatureDim(features) },
    training: {
      optimizer: o.optimizer as Tune['training']['optimizer'] | undefined,
      learningRate: o.learningRate,
      scheduler: o.schedulerType as Tune['training']['scheduler'] | undefined,
      schedulerPeriod: o.schedulerPeriod,
      weightDecayW: o.weightDecayW,
      weightDecayB: o.weightDecayB,
      epsilon: o.epsilon,
      maxGradNorm: o.maxGradNorm,
    },
    data: { batchSize: o.batchSize, rfactorStart: o.rfactorStart, rfactorEnd: o.rfactorEnd ?? o.rfactorStart, noiseRatio: o.noiseRatio, period: o.period, node2node: o.node2node as Tune['data']['node2node'] | undefined, ncell: o.ncell },
  });
}

/** A new run's folder when none is given: logs/<YYYY_MMDD_HHMM_SS>_<config name> (with `label` before the name). */
export function defaultRunFolder(config: string | undefined, label = '', now = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}_${two(now.getMonth() + 1)}${two(now.getDate())}_${two(now.getHours())}${two(now.getMinutes())}_${two(now.getSeconds())}`;
  const name = config === undefined ? 'tune-5' : basename(config).replace(/\.(ya?ml|json)$/i, '');
  return join('logs', `${stamp}_${label}${name}`);
}

/** At most one of the places a run can start from, and `--epoch` only within the run's own folder. */
export function checkStartFlags(flags: { readonly transferTag?: string; readonly checkpoint?: string; readonly resume?: string; readonly epoch?: number }): void {
  const names = { transferTag: '--transfer-tag', checkpoint: '--checkpoint', resume: '--resume' } as const;
  const given = (Object.keys(names) as Array<keyof typeof names>).filter((key) => flags[key] !== undefined);
  if (given.length > 1) throw new ConfigError(names[given[1]], `give one starting point: ${names[given[0]]} is given too`);
  if (given.length > 0 && flags.epoch !== undefined) throw new ConfigError('--epoch', 'picks a step of the run folder; it does not go with --transfer-tag, --checkpoint or --resume');
}

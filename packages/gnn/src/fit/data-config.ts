import { ConfigError } from '@hypertrack/core';
import { NODE2NODE_MODES, type Node2Node } from '@hypertrack/voxdyn';

/** How training events become graphs (reference 4.8, the `data` part of a tune). */
export interface DataConfig {
  /** Each event is reduced to an rfactor drawn uniformly from [rfactorStart, rfactorEnd] (mu = 200 rfactor). */
  readonly rfactorStart: number;
  readonly rfactorEnd: number;
  /** Fraction of noise hits among the kept hits; negative: the event's own. */
  readonly noiseRatio: number;
  /** Truth topology of the edge labels; must be the VD model's. */
  readonly node2node: Node2Node;
  /** Voronoi cells of the VD model the tune was made for (the model file decides). */
  readonly ncell: number;
  /** Events per optimisation step. */
  readonly batchSize: number;
  /** Probability of switching to a new event each iteration (reference --period). */
  readonly period: number;
}

/** tune-5's data settings (mu = 2 at rfactor 0.01, 5% noise, one event a step). */
export const TUNE5_DATA: DataConfig = Object.freeze({ rfactorStart: 0.01, rfactorEnd: 0.01, noiseRatio: 0.05, node2node: 'hyper', ncell: 131072, batchSize: 1, period: 1 });

/** Checks a data config; a ConfigError names the key (`data.rfactorEnd`). */
export function checkDataConfig(d: DataConfig): void {
  const fail = (key: string, reason: string) => {
    throw new ConfigError(`data.${key}`, reason);
  };
  if (!(d.rfactorStart > 0 && d.rfactorStart <= 1)) fail('rfactorStart', `must be in (0, 1], got ${d.rfactorStart}`);
  if (!(d.rfactorEnd >= d.rfactorStart && d.rfactorEnd <= 1)) fail('rfactorEnd', `must be in [rfactorStart, 1], got ${d.rfactorEnd}`);
  if (!(d.noiseRatio < 1)) fail('noiseRatio', `must be < 1, got ${d.noiseRatio}`);
  if (!(NODE2NODE_MODES as readonly string[]).includes(d.node2node)) fail('node2node', `must be hyper, eom or cricket, got '${d.node2node}'`);
  if (!Number.isInteger(d.ncell) || d.ncell < 1) fail('ncell', `must be an integer >= 1, got ${d.ncell}`);
  if (!Number.isInteger(d.batchSize) || d.batchSize < 1) fail('batchSize', `must be an integer >= 1, got ${d.batchSize}`);
  if (!(d.period >= 0 && d.period <= 1)) fail('period', `must be in [0, 1], got ${d.period}`);
}

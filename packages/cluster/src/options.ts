import { ConfigError } from '@hypertrack/core';
import type { ClusterOptions } from './types';

/** The reference's `--edge-threshold` default. */
export const DEFAULT_EDGE_THRESHOLD = 0.55;
/** The reference's `min_graph`: smaller components stay unclustered. */
export const DEFAULT_MIN_GRAPH = 4;

export interface ResolvedClusterOptions {
  readonly threshold: number;
  readonly minGraph: number;
}

/** Fills in the defaults and rejects bad values with a ConfigError naming the option. */
export function resolveClusterOptions(options: ClusterOptions = {}): ResolvedClusterOptions {
  const { threshold = DEFAULT_EDGE_THRESHOLD, minGraph = DEFAULT_MIN_GRAPH } = options;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new ConfigError('threshold', `must be a number in [0, 1], got ${String(threshold)}`);
  }
  if (typeof minGraph !== 'number' || !Number.isInteger(minGraph) || minGraph < 1) {
    throw new ConfigError('minGraph', `must be an integer >= 1, got ${String(minGraph)}`);
  }
  return { threshold, minGraph };
}

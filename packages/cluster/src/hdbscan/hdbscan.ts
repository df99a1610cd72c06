import { ConfigError } from '@hypertrack/core';
import { resolveClusterOptions } from '../options';
import type { ClusterAlgorithm, ClusterGraph, ClusterOptions, ClusterResult, ClusterStats } from '../types';
import { condenseTree, labelPoints, selectExcessOfMass } from './condensed-tree';
import { mutualReachability } from './mutual-reachability';
import { singleLinkage } from './single-linkage';

/** The reference's HDBSCAN parameters (tune-5): EOM selection, min_cluster_size 4, min_samples 2, max_dist 1.0. */
export const HDBSCAN_DEFAULTS = Object.freeze({ minClusterSize: 4, minSamples: 2, maxDist: 1.0 });

export interface HdbscanOptions extends ClusterOptions {
  /** Smallest cluster in the condensed tree. Default 4. */
  readonly minClusterSize?: number;
  /** The core distance is the minSamples-th smallest stored distance of a hit's row. Default 2. */
  readonly minSamples?: number;
  /** The mutual reachability where it would be infinite. Default 1.0. */
  readonly maxDist?: number;
}

/**
 * `--cluster hdbscan` (reference 3.8): HDBSCAN on the sparse distance 1 - p of the kept edges, as
 * the hdbscan library's sparse precomputed path with `cluster_selection_method='eom'`,
 * `allow_single_cluster=False`, `cluster_selection_epsilon=0`, `alpha=1`: the virtual hit joins
 * every hit at distance 1, core distances and mutual reachability over the stored entries, the
 * minimum spanning tree (Kruskal), the single-linkage hierarchy, the condensed tree and
 * excess-of-mass selection. The virtual hit's label is dropped. Never an N x N matrix.
 */
export function clusterHdbscan(graph: ClusterGraph, options: HdbscanOptions = {}): ClusterResult {
  const t0 = performance.now();
  const { threshold } = resolveClusterOptions(options);
  const { minClusterSize = HDBSCAN_DEFAULTS.minClusterSize, minSamples = HDBSCAN_DEFAULTS.minSamples, maxDist = HDBSCAN_DEFAULTS.maxDist } = options;
  for (const [key, value] of [['minClusterSize', minClusterSize], ['minSamples', minSamples]] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ConfigError(key, `must be an integer >= 1, got ${String(value)}`);
  }
  if (minClusterSize < 2) throw new ConfigError('minClusterSize', `must be at least 2, got ${minClusterSize}`);
  if (typeof maxDist !== 'number' || !(maxDist > 0)) throw new ConfigError('maxDist', `must be a number > 0, got ${String(maxDist)}`);
  const n = graph.numHits;
  const reach = mutualReachability(graph, threshold, minSamples, maxDist);
  const tree = condenseTree(singleLinkage(reach), minClusterSize);
  const selected = selectExcessOfMass(tree);
  const labels = labelPoints(tree, selected).slice(0, n);
  // Renumber densely after dropping the virtual hit (it may have been a cluster's only other member).
  const dense = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0) continue;
    if (!dense.has(labels[i])) dense.set(labels[i], dense.size);
  }
  const byFirstHit = new Int32Array(n);
  let clusteredHits = 0;
  for (let i = 0; i < n; i++) {
    byFirstHit[i] = labels[i] < 0 ? -1 : (dense.get(labels[i]) as number);
    if (labels[i] >= 0) clusteredHits++;
  }
  const stats: ClusterStats = { clusters: dense.size, clusteredHits, keptEdges: reach.keptEdges, timeMs: performance.now() - t0 };
  return { labels: byFirstHit, stats };
}

export const hdbscanClusterer: ClusterAlgorithm<ClusterGraph, HdbscanOptions> = {
  name: 'hdbscan',
  description: 'HDBSCAN on the distance 1 - p of the kept edges (EOM, min cluster size 4, min samples 2, max dist 1.0)',
  cluster: clusterHdbscan,
};

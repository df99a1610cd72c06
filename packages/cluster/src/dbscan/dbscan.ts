import { ConfigError } from '@hypertrack/core';
import { resolveClusterOptions } from '../options';
import type { ClusterAlgorithm, ClusterGraph, ClusterOptions, ClusterResult, ClusterStats } from '../types';
import { neighboursWithin } from './neighbours';

/** The reference's DBSCAN parameters (tune-5: eps 0.2, min_samples 3). */
export const DBSCAN_DEFAULTS = Object.freeze({ eps: 0.2, minSamples: 3 });

export interface DbscanOptions extends ClusterOptions {
  /** Neighbours are kept edges with distance 1 - p <= eps. Default 0.2 (p >= 0.8). */
  readonly eps?: number;
  /** A hit is a core hit with at least this many neighbours, itself included. Default 3. */
  readonly minSamples?: number;
}

export interface DbscanStats extends ClusterStats {
  /** Hits with at least minSamples neighbours (themselves included). */
  readonly coreHits: number;
}

/**
 * `--cluster dbscan` (reference 3.8): DBSCAN on the sparse distance matrix d = 1 - p of the kept
 * edges (row = src, column = dst), exactly as scikit-learn's DBSCAN with `metric='precomputed'` on
 * that matrix: a hit's neighbours are the entries of its row with d <= eps and the hit itself; core
 * hits have at least `minSamples` of them; clusters grow from the core hits in hit order, and a
 * border hit within eps of several clusters joins the first to reach it. Never an N x N matrix:
 * memory grows with the edges kept.
 *
 * Differences from the reference, on purpose: the labels have one entry per hit (the reference's
 * vector also carries its virtual node, quirk 5; that node is never within eps, so it is noise and
 * changes nothing else), and a pair given twice counts once at its smaller distance (scipy would
 * sum the two distances). `minGraph` does not apply, as in the reference.
 */
export function clusterDbscan(graph: ClusterGraph, options: DbscanOptions = {}): ClusterResult & { stats: DbscanStats } {
  const t0 = performance.now();
  const { threshold } = resolveClusterOptions(options);
  const { eps = DBSCAN_DEFAULTS.eps, minSamples = DBSCAN_DEFAULTS.minSamples } = options;
  if (typeof eps !== 'number' || !(eps >= 0)) throw new ConfigError('eps', `must be a number >= 0, got ${String(eps)}`);
  if (typeof minSamples !== 'number' || !Number.isInteger(minSamples) || minSamples < 1) {
    throw new ConfigError('minSamples', `must be an integer >= 1, got ${String(minSamples)}`);
  }
  const { start, index, keptEdges } = neighboursWithin(graph, threshold, eps);
  const n = graph.numHits;
  const core = new Uint8Array(n);
  let coreHits = 0;
  for (let i = 0; i < n; i++) {
    if (1 + start[i + 1] - start[i] >= minSamples) {
      core[i] = 1;
      coreHits++;
    }
  }
  const labels = new Int32Array(n).fill(-1);
  const stack = new Int32Array(Math.max(1, index.length + n));
  let clusters = 0;
  for (let seed = 0; seed < n; seed++) {
    if (labels[seed] !== -1 || core[seed] === 0) continue;
    // scikit-learn's dbscan_inner: a depth-first search that labels every hit it reaches and
    // expands only from core hits. The order inside one cluster cannot change any label.
    let top = 0;
    let i = seed;
    for (;;) {
      if (labels[i] === -1) {
        labels[i] = clusters;
        if (core[i] === 1) {
          for (let at = start[i]; at < start[i + 1]; at++) if (labels[index[at]] === -1) stack[top++] = index[at];
        }
      }
      if (top === 0) break;
      i = stack[--top];
    }
    clusters++;
  }
  let clusteredHits = 0;
  for (let i = 0; i < n; i++) if (labels[i] >= 0) clusteredHits++;
  return { labels, stats: { clusters, clusteredHits, keptEdges, coreHits, timeMs: performance.now() - t0 } };
}

export const dbscanClusterer: ClusterAlgorithm<ClusterGraph, DbscanOptions> = {
  name: 'dbscan',
  description: 'DBSCAN on the distance 1 - p of the kept edges (eps 0.2, min_samples 3, as scikit-learn on the sparse matrix)',
  cluster: clusterDbscan,
};

import { forEachKeptEdge } from '../kept-edges';
import type { ClusterGraph } from '../types';

/** An undirected weighted edge list over hits 0..N-1 plus the virtual hit N. */
export interface WeightedEdges {
  /** N + 1: the hits and the virtual hit that joins them all (index N). */
  readonly nodes: number;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly weight: Float64Array;
  /** Edges with `prob > threshold` and `src != dst`. */
  readonly keptEdges: number;
}

/**
 * The mutual-reachability graph the reference's HDBSCAN builds from the sparse distance matrix
 * (the hdbscan library's sparse path, reference 3.8):
 * - rows: each kept edge src -> dst at d = 1 - p, plus the virtual hit N joined to every hit and to
 *   itself at distance 1 (so that the graph is connected);
 * - core distance of a row: its `minSamples`-th smallest stored distance (the row's own hit is not
 *   stored; infinite with fewer entries);
 * - each stored entry becomes max(core_i, core_j, d_ij), or `maxDist` where that is infinite;
 * - as an undirected graph for the spanning tree, a pair stored both ways weighs the smaller value.
 * Two choices differ from the library: a pair given twice counts once at its smaller distance
 * (scipy would add them), and an edge with p = 1 (d = 0) stays an edge (scipy's graph routines drop
 * stored zeros). Memory grows with the kept edges, never with N^2.
 */
export function mutualReachability(graph: ClusterGraph, threshold: number, minSamples: number, maxDist: number): WeightedEdges {
  const n = graph.numHits;
  // One entry per (src, dst) pair at its smallest distance.
  const pairs = new Map<number, number>();
  const keptEdges = forEachKeptEdge(graph, threshold, (s, d, p) => {
    const key = s * n + d;
    const distance = 1 - p;
    const known = pairs.get(key);
    if (known === undefined || distance < known) pairs.set(key, distance);
  });
  // Core distances: the minSamples-th smallest stored distance of each row. Every hit's row also
  // holds the virtual hit at 1; the virtual row holds N + 1 entries, all 1.
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (const [key, distance] of pairs) rows[Math.floor(key / n)].push(distance);
  const k = Math.min(minSamples, n + 1);
  const core = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    row.push(1);
    row.sort((x, y) => x - y);
    core[i] = k - 1 < row.length ? row[k - 1] : Infinity;
  }
  core[n] = k - 1 < n + 1 ? 1 : Infinity;
  const reach = (i: number, j: number, d: number) => {
    const value = Math.max(core[i], core[j], d);
    return Number.isFinite(value) ? value : maxDist;
  };
  // Undirected: one edge per unordered pair at the smaller of its directed values.
  const undirected = new Map<number, number>();
  const keep = (i: number, j: number, w: number) => {
    const key = i < j ? i * (n + 1) + j : j * (n + 1) + i;
    const known = undirected.get(key);
    if (known === undefined || w < known) undirected.set(key, w);
  };
  for (const [key, distance] of pairs) {
    const i = Math.floor(key / n);
    keep(i, key - i * n, reach(i, key - i * n, distance));
  }
  for (let i = 0; i < n; i++) keep(i, n, reach(i, n, 1));
  const a = new Int32Array(undirected.size);
  const b = new Int32Array(undirected.size);
  const weight = new Float64Array(undirected.size);
  let at = 0;
  for (const [key, w] of undirected) {
    a[at] = Math.floor(key / (n + 1));
    b[at] = key - a[at] * (n + 1);
    weight[at++] = w;
  }
  return { nodes: n + 1, a, b, weight, keptEdges };
}

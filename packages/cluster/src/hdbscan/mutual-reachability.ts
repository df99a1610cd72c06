import { neighboursWithin } from '../dbscan/neighbours';
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
  // The stored entries: rows by src, one per (src, dst) pair at its smallest distance, ascending dst.
  const rows = neighboursWithin(graph, threshold, Infinity);
  // Core distances: the minSamples-th smallest stored distance of each row. Every hit's row also
  // holds the virtual hit at 1; the virtual row holds N + 1 entries, all 1.
  const k = Math.min(minSamples, n + 1);
  const core = new Float64Array(n + 1);
  let scratch = new Float64Array(16);
  for (let i = 0; i < n; i++) {
    const length = rows.start[i + 1] - rows.start[i] + 1;
    if (scratch.length < length) scratch = new Float64Array(2 * length);
    const row = scratch.subarray(0, length);
    row.set(rows.distance.subarray(rows.start[i], rows.start[i + 1]));
    row[length - 1] = 1;
    row.sort();
    core[i] = k - 1 < length ? row[k - 1] : Infinity;
  }
  core[n] = k - 1 < n + 1 ? 1 : Infinity;
  const reach = (i: number, j: number, d: number) => {
    const value = Math.max(core[i], core[j], d);
    return Number.isFinite(value) ? value : maxDist;
  };
  // Undirected: each stored entry (i, j) as the pair (min, max) in CSR by its smaller end, the
  // virtual hit (the largest index) last in every row; a pair stored both ways keeps the smaller value.
  const start = new Int32Array(n + 2);
  for (let i = 0; i < n; i++) {
    for (let at = rows.start[i]; at < rows.start[i + 1]; at++) start[Math.min(i, rows.index[at]) + 1]++;
    start[i + 1]++; // (i, virtual)
  }
  for (let a = 0; a <= n; a++) start[a + 1] += start[a];
  const fill = start.slice(0, n + 1);
  const other = new Int32Array(start[n + 1]);
  const value = new Float64Array(start[n + 1]);
  for (let i = 0; i < n; i++) {
    for (let at = rows.start[i]; at < rows.start[i + 1]; at++) {
      const j = rows.index[at];
      const slot = fill[Math.min(i, j)]++;
      other[slot] = Math.max(i, j);
      value[slot] = reach(i, j, rows.distance[at]);
    }
  }
  for (let i = 0; i < n; i++) {
    const slot = fill[i]++;
    other[slot] = n;
    value[slot] = reach(i, n, 1);
  }
  const a: number[] = [];
  const b: number[] = [];
  const weight: number[] = [];
  const order: number[] = [];
  for (let lo = 0; lo < n; lo++) {
    order.length = 0;
    for (let slot = start[lo]; slot < start[lo + 1]; slot++) order.push(slot);
    order.sort((x, y) => other[x] - other[y] || value[x] - value[y]);
    for (const slot of order) {
      if (a.length > 0 && a[a.length - 1] === lo && b[b.length - 1] === other[slot]) continue;
      a.push(lo);
      b.push(other[slot]);
      weight.push(value[slot]);
    }
  }
  return { nodes: n + 1, a: Int32Array.from(a), b: Int32Array.from(b), weight: Float64Array.from(weight), keptEdges: rows.keptEdges };
}

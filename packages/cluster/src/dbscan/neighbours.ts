import { forEachKeptEdge } from '../kept-edges';
import type { ClusterGraph } from '../types';

/**
 * The out-neighbours of each hit closer than a radius, in CSR form: the stored entries of the
 * sparse distance matrix the reference builds (row = src, column = dst, d = 1 - p for kept edges)
 * with `d <= radius`. Each hit's own entry (distance 0, as scikit-learn stores the diagonal) is not
 * listed. A pair given twice counts once, at its smaller distance.
 */
export interface Neighbours {
  /** Length N + 1: hit i's neighbours are `index[start[i] .. start[i + 1])`, ascending. */
  readonly start: Int32Array;
  readonly index: Int32Array;
  /** The distance of each listed neighbour. */
  readonly distance: Float64Array;
  /** Edges with `prob > threshold` and `src != dst`. */
  readonly keptEdges: number;
}

/**
 * Kept edges are `prob > threshold` (float32 compare, as the cut) and `src != dst`; their distance is
 * `1 - prob` in float64, as the reference's float64 matrix. Validation is fused into the first pass
 * (an InputError names the first bad edge). O(N + E) time; memory grows with the edges kept.
 */
export function neighboursWithin(graph: ClusterGraph, threshold: number, radius: number): Neighbours {
  const { numHits: n, src, dst, prob } = graph;
  const count = new Int32Array(n + 1);
  const keptEdges = forEachKeptEdge(graph, threshold, (s, _d, p) => {
    if (1 - p <= radius) count[s + 1]++;
  });
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  // Second pass over the validated edges: the same kept-edge test, filling the rows.
  const cut = Math.fround(threshold);
  const fill = count.slice(0, n);
  const rawIndex = new Int32Array(count[n]);
  const rawDistance = new Float64Array(count[n]);
  for (let e = 0; e < src.length; e++) {
    const p = prob[e];
    if (p > cut && src[e] !== dst[e] && 1 - p <= radius) {
      const at = fill[src[e]]++;
      rawIndex[at] = dst[e];
      rawDistance[at] = 1 - p;
    }
  }
  return dedupeRows(n, count, rawIndex, rawDistance, keptEdges);
}

/** Sorts each row by neighbour and keeps one entry per pair (the smaller distance). */
function dedupeRows(n: number, start: Int32Array, index: Int32Array, distance: Float64Array, keptEdges: number): Neighbours {
  const outStart = new Int32Array(n + 1);
  const outIndex = new Int32Array(index.length);
  const outDistance = new Float64Array(index.length);
  let written = 0;
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    outStart[i] = written;
    order.length = 0;
    for (let at = start[i]; at < start[i + 1]; at++) order.push(at);
    order.sort((a, b) => index[a] - index[b] || distance[a] - distance[b]);
    for (const at of order) {
      if (written > outStart[i] && outIndex[written - 1] === index[at]) continue;
      outIndex[written] = index[at];
      outDistance[written++] = distance[at];
    }
  }
  outStart[n] = written;
  return { start: outStart, index: outIndex.slice(0, written), distance: outDistance.slice(0, written), keptEdges };
}

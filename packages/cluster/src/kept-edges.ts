import { checkGraphShape, edgeError } from './graph-checks';
import type { ClusterGraph } from './types';

/**
 * Visits the kept edges of a graph, `prob > threshold` (compared in float32, as the reference's
 * float32 tensor against a Python float) and `src != dst`, after checking the graph's shape; the
 * first edge with an index outside [0, N) or a probability outside [0, 1] throws an InputError
 * naming it. Returns how many edges were kept.
 */
export function forEachKeptEdge(graph: ClusterGraph, threshold: number, visit: (src: number, dst: number, prob: number) => void): number {
  checkGraphShape(graph);
  const { numHits: n, src, dst, prob } = graph;
  const cut = Math.fround(threshold);
  let kept = 0;
  for (let e = 0; e < src.length; e++) {
    const s = src[e];
    const d = dst[e];
    const p = prob[e];
    // Unsigned compare: a negative index wraps to >= 2^31 > n. The probability test also catches NaN.
    if ((s >>> 0) >= n || (d >>> 0) >= n || !(p >= 0 && p <= 1)) throw edgeError(graph, e);
    if (p > cut && s !== d) {
      kept++;
      visit(s, d, p);
    }
  }
  return kept;
}

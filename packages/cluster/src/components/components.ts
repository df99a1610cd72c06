import { ConfigError } from '@hypertrack/core';
import { checkGraphShape, edgeError } from '../graph-checks';
import { resolveClusterOptions } from '../options';
import type { ClusterGraph, ClusterOptions } from '../types';
import { UnionFind } from '@hypertrack/core';

/**
 * How components are numbered 0..K-1:
 * - `'first-hit'` (default): ascending by the smallest hit index in the component.
 * - `'size'`: ascending by size, ties by smallest hit index: the order of the reference, which sorts
 *   networkx's components (yielded in order of their smallest node) by size with a stable sort.
 * Both depend only on the component sets, never on the edge order.
 */
export type ComponentNumbering = 'first-hit' | 'size';

export interface ComponentOptions extends ClusterOptions {
  readonly numbering?: ComponentNumbering;
}

export interface Components {
  /** Length N: the component of each hit, 0..count-1, or -1 if its component has < minGraph hits. */
  readonly labels: Int32Array;
  /** Number of components with >= minGraph hits. */
  readonly count: number;
  /** Length count: hits per component. */
  readonly sizes: Int32Array;
  /** Edges with `prob > threshold` and `src != dst`. */
  readonly keptEdges: number;
  /** Hits with a label >= 0 (the sum of `sizes`). */
  readonly labelledHits: number;
}

/**
 * Steps 1-2 of the reference's inference-time clustering (reference 3.8): keep the edges with
 * `prob > threshold` (strict; the threshold is rounded to float32 first, as PyTorch compares a
 * float32 tensor with a Python float) and `src != dst`, take the weakly connected components of the
 * kept edges over all N hits, and drop components smaller than `minGraph`.
 *
 * One pass over the edges (validation fused in: the first edge with an index outside [0, N) or a
 * probability outside [0, 1] throws an InputError naming it), then one pass over the hits.
 * O(N + E α(N)) time, 16 bytes per hit of working memory, nothing per edge.
 */
export function weakComponents(graph: ClusterGraph, options: ComponentOptions = {}): Components {
  const { threshold, minGraph } = resolveClusterOptions(options);
  const numbering = options.numbering ?? 'first-hit';
  if (numbering !== 'first-hit' && numbering !== 'size') {
    throw new ConfigError('numbering', `must be 'first-hit' or 'size', got ${JSON.stringify(numbering)}`);
  }
  checkGraphShape(graph);
  const { numHits: n, src, dst, prob } = graph;
  const cut = Math.fround(threshold);

  const sets = new UnionFind(n);
  let keptEdges = 0;
  for (let e = 0, m = src.length; e < m; e++) {
    const s = src[e];
    const d = dst[e];
    const p = prob[e];
    // Unsigned compare: a negative index wraps to >= 2^31 > n. The probability test also catches NaN.
    if ((s >>> 0) >= n || (d >>> 0) >= n || !(p >= 0 && p <= 1)) throw edgeError(graph, e);
    if (p > cut && s !== d) {
      keptEdges++;
      sets.union(s, d);
    }
  }

  // Number the large-enough components by their smallest hit: the first time a root is met in
  // ascending hit order. `rootLabel` is indexed by root.
  const labels = new Int32Array(n);
  const rootLabel = new Int32Array(n).fill(-1);
  const sizesByFirstHit: number[] = [];
  let count = 0;
  let labelledHits = 0;
  for (let i = 0; i < n; i++) {
    const r = sets.find(i);
    const size = sets.size[r];
    if (size < minGraph) {
      labels[i] = -1;
      continue;
    }
    let l = rootLabel[r];
    if (l < 0) {
      l = rootLabel[r] = count++;
      sizesByFirstHit.push(size);
    }
    labels[i] = l;
    labelledHits++;
  }

  const sizes = Int32Array.from(sizesByFirstHit);
  if (numbering === 'size') renumberBySize(labels, sizes);
  return { labels, count, sizes, keptEdges, labelledHits };
}

/**
 * Stable counting sort of the components by size: component c (in first-hit order) becomes the
 * rank of (size, c). Rewrites `labels` and `sizes` in place. O(N + K).
 */
function renumberBySize(labels: Int32Array, sizes: Int32Array): void {
  const k = sizes.length;
  if (k === 0) return;
  let maxSize = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > maxSize) maxSize = sizes[c];
  const start = new Int32Array(maxSize + 2);
  for (let c = 0; c < k; c++) start[sizes[c] + 1]++;
  for (let s = 1; s < start.length; s++) start[s] += start[s - 1];
  const rank = new Int32Array(k);
  for (let c = 0; c < k; c++) rank[c] = start[sizes[c]]++;
  const sorted = new Int32Array(k);
  for (let c = 0; c < k; c++) sorted[rank[c]] = sizes[c];
  sizes.set(sorted);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) labels[i] = rank[labels[i]];
}

import { ConfigError } from '@hypertrack/core';
import { checkLength, inputError } from '../checks';
import { countLabels } from '../majority/labels';
import type { ConfusionCounts } from './classes';

/** An edge list (COO), one entry per directed edge. */
export interface EdgeList {
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

export interface GraphMetricsOptions {
  /**
   * Count the diagonal (self-pairs): true (default) as the original, whose N x N matrices include
   * it, so a track's self-pairs are positives and a VD self-loop on a track hit is a true positive.
   * With false, self-loops in the edge list are ignored and N(N-1) ordered pairs are counted.
   */
  readonly selfLoops?: boolean;
}

/** Confusion counts over all ordered hit pairs, and the rates of reference 2.6. Counts are exact doubles. */
export interface GraphMetrics extends ConfusionCounts {
  readonly numHits: number;
  /** Edges counted (self-loops excluded when selfLoops is false). */
  readonly numEdges: number;
  /** Ordered pairs considered: N^2 or N(N-1). */
  readonly pairs: number;
  /** TP / |edges|. */
  readonly purity: number;
  readonly accuracy: number;
  /** |edges| / N, the original's average degree. */
  readonly edgesPerHit: number;
  /** |edges| / |true pairs|, |edges| / pairs and |true pairs| / pairs. */
  readonly edgesOverTrue: number;
  readonly edgeDensity: number;
  readonly trueDensity: number;
}

function selfLoopsOption(options: GraphMetricsOptions): boolean {
  const selfLoops = options.selfLoops ?? true;
  if (typeof selfLoops !== 'boolean') throw new ConfigError('selfLoops', `must be true or false, got ${String(selfLoops)}`);
  return selfLoops;
}

function checkEdges(edges: EdgeList, numHits: number, input: string): void {
  checkLength(input, 'dst', edges.dst.length, edges.src.length, 'src');
  for (let e = 0; e < edges.src.length; e++) {
    const s = edges.src[e];
    const d = edges.dst[e];
    if (s < 0 || s >= numHits || d < 0 || d >= numHits) {
      throw inputError(input, 'src/dst', `edge ${e} (${s} -> ${d}) has an endpoint outside 0..${numHits - 1}`);
    }
  }
}

function finish(numHits: number, numEdges: number, pairs: number, positives: number, tp: number): GraphMetrics {
  const negatives = pairs - positives;
  const fp = numEdges - tp;
  const tn = negatives - fp;
  const fn = positives - tp;
  return {
    numHits,
    numEdges,
    pairs,
    positives,
    negatives,
    tp,
    fp,
    tn,
    fn,
    tpr: positives > 0 ? tp / positives : NaN,
    fpr: negatives > 0 ? fp / negatives : NaN,
    purity: numEdges > 0 ? tp / numEdges : NaN,
    accuracy: pairs > 0 ? (tp + tn) / pairs : NaN,
    edgesPerHit: numHits > 0 ? numEdges / numHits : NaN,
    edgesOverTrue: positives > 0 ? numEdges / positives : NaN,
    edgeDensity: pairs > 0 ? numEdges / pairs : NaN,
    trueDensity: pairs > 0 ? positives / pairs : NaN,
  };
}

/**
 * Graph-constructor metrics for the `hyper` truth (a pair is true iff both hits belong to the same
 * track; noise pairs never are), from the edge list and per-hit track labels alone: positives are
 * the sum of squared track sizes and negatives the rest of the N^2 pairs, so no N x N matrix is
 * ever built. Edges must be unique (a VD graph is); a count that exceeds the possible pairs is
 * reported as duplicate edges.
 */
export function graphMetrics(edges: EdgeList, truthLabel: Int32Array, options: GraphMetricsOptions = {}): GraphMetrics {
  const selfLoops = selfLoopsOption(options);
  const n = truthLabel.length;
  checkEdges(edges, n, 'edges');
  const sizes = countLabels(truthLabel, 'truthLabel', 'label');
  let positives = 0;
  for (let t = 0; t < sizes.length; t++) positives += selfLoops ? sizes[t] * sizes[t] : sizes[t] * (sizes[t] - 1);
  const pairs = selfLoops ? n * n : n * (n - 1);
  let numEdges = 0;
  let tp = 0;
  const { src, dst } = edges;
  for (let e = 0; e < src.length; e++) {
    const s = src[e];
    const d = dst[e];
    if (s === d && !selfLoops) continue;
    numEdges++;
    const t = truthLabel[s];
    if (t >= 0 && t === truthLabel[d]) tp++;
  }
  if (tp > positives || numEdges - tp > pairs - positives) {
    throw inputError('edges', 'src/dst', `${numEdges} edges cannot be unique pairs of ${n} hits with ${positives} true pairs; remove duplicate edges`);
  }
  return finish(n, numEdges, pairs, positives, tp);
}

/**
 * The same metrics against an explicit truth edge list (the `eom` and `cricket` topologies):
 * both lists become sorted pair keys src * N + dst (exact in doubles up to N = 9e7), and a merge
 * counts the common pairs. Duplicate edges in either list are rejected.
 */
export function edgeSetMetrics(edges: EdgeList, truthEdges: EdgeList, numHits: number, options: GraphMetricsOptions = {}): GraphMetrics {
  const selfLoops = selfLoopsOption(options);
  if (!Number.isInteger(numHits) || numHits < 0) throw new ConfigError('numHits', `must be an integer >= 0, got ${numHits}`);
  checkEdges(edges, numHits, 'edges');
  checkEdges(truthEdges, numHits, 'truthEdges');
  const predicted = pairKeys(edges, numHits, selfLoops, 'edges');
  const truth = pairKeys(truthEdges, numHits, selfLoops, 'truthEdges');
  let tp = 0;
  let i = 0;
  let j = 0;
  while (i < predicted.length && j < truth.length) {
    if (predicted[i] < truth[j]) i++;
    else if (predicted[i] > truth[j]) j++;
    else {
      tp++;
      i++;
      j++;
    }
  }
  const pairs = selfLoops ? numHits * numHits : numHits * (numHits - 1);
  return finish(numHits, predicted.length, pairs, truth.length, tp);
}

function pairKeys(edges: EdgeList, numHits: number, selfLoops: boolean, input: string): Float64Array {
  const keys = new Float64Array(edges.src.length);
  let m = 0;
  for (let e = 0; e < edges.src.length; e++) {
    if (!selfLoops && edges.src[e] === edges.dst[e]) continue;
    keys[m++] = edges.src[e] * numHits + edges.dst[e];
  }
  const sorted = keys.subarray(0, m).sort();
  for (let k = 1; k < m; k++) {
    if (sorted[k] === sorted[k - 1]) {
      const s = Math.floor(sorted[k] / numHits);
      throw inputError(input, 'src/dst', `edge ${s} -> ${sorted[k] - s * numHits} appears more than once`);
    }
  }
  return sorted;
}

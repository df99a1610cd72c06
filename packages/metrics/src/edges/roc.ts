import { ConfigError } from '@hypertrack/core';
import { sortedByClass, type ScoreArray } from './classes';

export interface RocCurve {
  /** Descending; the first point (0, 0) has threshold +Infinity. Point k classifies score >= thresholds[k] as positive. */
  readonly thresholds: Float64Array;
  readonly tpr: Float64Array;
  readonly fpr: Float64Array;
  /**
   * Area under the curve: the Mann-Whitney probability that a positive edge scores above a
   * negative one, ties counted half. NaN when a class is empty.
   */
  readonly auc: number;
  readonly positives: number;
  readonly negatives: number;
}

export interface RocOptions {
  /**
   * Keep at most this many curve points (evenly spaced along the exact curve, ends kept) for
   * plotting; the AUC always uses every point. Default: all points.
   */
  readonly maxPoints?: number;
}

/**
 * Exact ROC curve: one point per distinct score (tied scores form one step), from the scores of
 * each class sorted separately and merged from the top, with no per-edge objects.
 */
export function rocCurve(scores: ScoreArray, labels: ArrayLike<number>, options: RocOptions = {}): RocCurve {
  const maxPoints = options.maxPoints ?? Infinity;
  if (!(maxPoints >= 2) || (maxPoints !== Infinity && !Number.isInteger(maxPoints))) {
    throw new ConfigError('maxPoints', `must be an integer >= 2, got ${maxPoints}`);
  }
  const { positive, negative } = sortedByClass(scores, labels);
  return walk(positive, negative, true, maxPoints);
}

/** The AUC alone (same definition as `rocCurve`), without materialising the curve. */
export function rocAuc(scores: ScoreArray, labels: ArrayLike<number>): number {
  const { positive, negative } = sortedByClass(scores, labels);
  return walk(positive, negative, false, Infinity).auc;
}

/**
 * The AUC over the edges that join two different hits. A graph's self-loops (i, i) are positives by
 * definition for every track hit and easy to score, so they flatter the figure; this leaves them out.
 */
export function rocAucWithoutSelfLoops(scores: ScoreArray, labels: ArrayLike<number>, src: ArrayLike<number>, dst: ArrayLike<number>): number {
  let kept = 0;
  for (let e = 0; e < src.length; e++) if (src[e] !== dst[e]) kept++;
  if (kept === src.length) return rocAuc(scores, labels);
  // The same array type as the input: float32 scores keep the radix-sort path of sortedByClass.
  const keptScores = scores instanceof Float32Array ? new Float32Array(kept) : new Float64Array(kept);
  const keptLabels = new Uint8Array(kept);
  for (let e = 0, k = 0; e < src.length; e++) {
    if (src[e] === dst[e]) continue;
    keptScores[k] = scores[e];
    keptLabels[k++] = labels[e];
  }
  return rocAuc(keptScores, keptLabels);
}

function walk(positive: ScoreArray, negative: ScoreArray, keepCurve: boolean, maxPoints: number): RocCurve {
  const P = positive.length;
  const N = negative.length;
  const capacity = keepCurve ? P + N + 1 : 1;
  const thresholds = new Float64Array(capacity);
  const tpCount = new Float64Array(capacity);
  const fpCount = new Float64Array(capacity);
  thresholds[0] = Infinity;
  let points = 1;
  let i = P - 1;
  let j = N - 1;
  let tp = 0;
  let fp = 0;
  // Twice the area in units of one (positive, negative) pair: every step adds
  // df * (2 tp + dt), an integer, so the sum is exact below 2^53 (about 9e7 edges).
  let area2 = 0;
  while (i >= 0 || j >= 0) {
    const sp = i >= 0 ? positive[i] : -Infinity;
    const sn = j >= 0 ? negative[j] : -Infinity;
    const s = sp > sn ? sp : sn;
    let dt = 0;
    while (i >= 0 && positive[i] === s) {
      dt++;
      i--;
    }
    let df = 0;
    while (j >= 0 && negative[j] === s) {
      df++;
      j--;
    }
    area2 += df * (2 * tp + dt);
    tp += dt;
    fp += df;
    if (keepCurve) {
      thresholds[points] = s;
      tpCount[points] = tp;
      fpCount[points] = fp;
      points++;
    }
  }
  const auc = P > 0 && N > 0 ? area2 / (2 * P * N) : NaN;
  for (let k = 0; k < points; k++) {
    tpCount[k] = P > 0 ? tpCount[k] / P : NaN;
    fpCount[k] = N > 0 ? fpCount[k] / N : NaN;
  }
  if (!keepCurve || points <= maxPoints) {
    return { thresholds: thresholds.subarray(0, points), tpr: tpCount.subarray(0, points), fpr: fpCount.subarray(0, points), auc, positives: P, negatives: N };
  }
  const keep = thin(points, maxPoints);
  return {
    thresholds: Float64Array.from(keep, (k) => thresholds[k]),
    tpr: Float64Array.from(keep, (k) => tpCount[k]),
    fpr: Float64Array.from(keep, (k) => fpCount[k]),
    auc,
    positives: P,
    negatives: N,
  };
}

function thin(points: number, maxPoints: number): Int32Array {
  const m = Math.min(points, maxPoints);
  const keep = new Int32Array(m);
  for (let k = 0; k < m; k++) keep[k] = Math.round((k * (points - 1)) / (m - 1));
  return keep;
}

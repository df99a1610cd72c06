import { ConfigError } from '@hypertrack/core';
import { checkLength, inputError } from '../checks';
import { radixSortUint32 } from '../keys/radix-sort';

/** Edge scores as produced by the GNN (float32) or any float64 column. */
export type ScoreArray = Float32Array | Float64Array;

/** Labels are rounded like the original: an edge is positive when its label is > 0.5. */
export function isPositive(label: number): boolean {
  return label > 0.5;
}

export function checkScoresAndLabels(scores: ScoreArray, labels: ArrayLike<number>): void {
  if (!(scores instanceof Float32Array || scores instanceof Float64Array)) {
    throw new ConfigError('scores', 'must be a Float32Array or Float64Array');
  }
  checkLength('labels', 'label', labels.length, scores.length, 'scores');
}

/**
 * Scores of each class, sorted ascending. Float32 scores are radix-sorted through an
 * order-preserving map of their bits (linear time); -0 sorts just below +0 and the two compare
 * equal, so the merge treats them as the tie they are. NaN scores or labels are rejected, naming
 * the first edge.
 */
export function sortedByClass(scores: ScoreArray, labels: ArrayLike<number>): { positive: ScoreArray; negative: ScoreArray } {
  checkScoresAndLabels(scores, labels);
  const n = scores.length;
  let numPositive = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (l !== l) throw inputError('labels', 'label', `label NaN at edge ${i}`);
    if (isPositive(l)) numPositive++;
  }
  if (scores instanceof Float64Array) {
    const positive = new Float64Array(numPositive);
    const negative = new Float64Array(n - numPositive);
    let p = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const s = scores[i];
      if (s !== s) throw inputError('scores', 'score', `score NaN at edge ${i}`);
      if (isPositive(labels[i])) positive[p++] = s;
      else negative[q++] = s;
    }
    return { positive: positive.sort(), negative: negative.sort() };
  }
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, n);
  const positive = new Uint32Array(numPositive);
  const negative = new Uint32Array(n - numPositive);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    if ((b & 0x7fffffff) > 0x7f800000) throw inputError('scores', 'score', `score NaN at edge ${i}`);
    const key = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    if (isPositive(labels[i])) positive[p++] = key;
    else negative[q++] = key;
  }
  return { positive: keysToFloats(radixSortUint32(positive)), negative: keysToFloats(radixSortUint32(negative)) };
}

function keysToFloats(keys: Uint32Array): Float32Array {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    keys[i] = k & 0x80000000 ? k & 0x7fffffff : ~k >>> 0;
  }
  return new Float32Array(keys.buffer, keys.byteOffset, keys.length);
}

/** A binary classification's confusion counts and rates (counts are exact doubles). */
export interface ConfusionCounts {
  readonly positives: number;
  readonly negatives: number;
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
  /** TP / positives and FP / negatives; NaN when the class is empty. */
  readonly tpr: number;
  readonly fpr: number;
}

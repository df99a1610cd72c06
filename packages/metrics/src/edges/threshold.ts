import { checkScoresAndLabels, isPositive, type ConfusionCounts, type ScoreArray } from './classes';

export interface ThresholdRates extends ConfusionCounts {
  readonly threshold: number;
}

/**
 * TPR and FPR when edges with score >= threshold are kept (`inclusive`, default, the ROC
 * convention) or score > threshold (`inclusive: false`, how the pipeline sparsifies). The
 * original read these off its 512-point grid at the nearest threshold; here they are exact.
 */
export function ratesAtThreshold(scores: ScoreArray, labels: ArrayLike<number>, threshold: number, options: { inclusive?: boolean } = {}): ThresholdRates {
  checkScoresAndLabels(scores, labels);
  const inclusive = options.inclusive ?? true;
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    const kept = inclusive ? s >= threshold : s > threshold;
    if (isPositive(labels[i])) {
      positives++;
      if (kept) tp++;
    } else if (kept) fp++;
  }
  const negatives = scores.length - positives;
  return {
    threshold,
    tp,
    fp,
    tn: negatives - fp,
    fn: positives - tp,
    tpr: positives > 0 ? tp / positives : NaN,
    fpr: negatives > 0 ? fp / negatives : NaN,
    positives,
    negatives,
  };
}

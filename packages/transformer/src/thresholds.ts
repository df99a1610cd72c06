import type { PivotSearchConfig } from './config';

type ThresholdConfig = Pick<PivotSearchConfig, 'thresholdAlgo' | 'acceptThreshold' | 'fisherThresholds' | 'ktopMax' | 'softThreshold' | 'tau'>;

/**
 * The micrograph hits (indices into `probabilities`, ascending) that join the cluster, by the
 * configured rule (reference 3.8 step 4g):
 * - 'fixed': p > acceptThreshold;
 * - 'fisher': of the min(|M|, ktopMax) highest probabilities, those at or above the threshold t of
 *   fisherThresholds that minimises the within-class variance w0 var0 + w1 var1 of the split (a
 *   split with an empty class is never best; with no usable t, 0.5);
 * - 'soft': p sigmoid((p - softThreshold) / tau) > softThreshold.
 */
export function chooseHits(probabilities: Float32Array, config: ThresholdConfig): number[] {
  const chosen: number[] = [];
  switch (config.thresholdAlgo) {
    case 'fixed':
      for (let k = 0; k < probabilities.length; k++) if (probabilities[k] > config.acceptThreshold) chosen.push(k);
      return chosen;
    case 'soft': {
      const { softThreshold: thr, tau } = config;
      for (let k = 0; k < probabilities.length; k++) {
        const p = probabilities[k];
        if (p / (1 + Math.exp(-(p - thr) / tau)) > thr) chosen.push(k);
      }
      return chosen;
    }
    case 'fisher': {
      // Ties in the ranking keep the lower index, so the top k are well defined.
      const order = Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a] || a - b);
      const top = order.slice(0, Math.min(order.length, config.ktopMax));
      const threshold = fisherThreshold(top.map((k) => probabilities[k]), config.fisherThresholds);
      return top.filter((k) => probabilities[k] >= threshold).sort((a, b) => a - b);
    }
  }
}

/** The threshold of `candidates` with the least within-class variance of `values` (Otsu); 0.5 when every split leaves a class empty. */
export function fisherThreshold(values: readonly number[], candidates: readonly number[]): number {
  let best = 0.5;
  let bestScore = Infinity;
  for (const t of candidates) {
    const low = values.filter((v) => v < t);
    const high = values.filter((v) => v >= t);
    if (low.length === 0 || high.length === 0) continue;
    const score = (low.length * variance(low) + high.length * variance(high)) / values.length;
    if (score < bestScore) [best, bestScore] = [t, score];
  }
  return best;
}

function variance(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
}

/**
 * TrackML phase-1 hit weights (the challenge's official definition):
 * - order weight: a particle's hits ranked by |tz - vz| get the profile [10, 8, 6, 5, 3, 3, 3, 5, 6]
 *   interpolated over its hit count and normalised to sum 1; particles with fewer than 4 hits get 0;
 *   counts above 20 use the 20-hit profile and hits beyond the 20th get 0;
 * - times a pT weight: 0 below 0.05 GeV, 0.2 up to 0.5 GeV, linear to 1 at 3 GeV, 1 above;
 * - noise hits 0; the event is normalised to sum 1.
 */

const PROFILE = [10, 8, 6, 5, 3, 3, 3, 5, 6];
export const WEIGHT_MIN_HITS = 4;
export const WEIGHT_MAX_HITS = 20;

/** Normalised order weights for a track of n hits (n in [4, 20]), by rank. */
export function orderWeights(n: number): Float64Array {
  const w = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    // Rank k sits at position k*(len-1)/(n-1) of the profile's support.
    const t = (k * (PROFILE.length - 1)) / (n - 1);
    const j = Math.min(PROFILE.length - 2, Math.floor(t));
    w[k] = PROFILE[j] + (t - j) * (PROFILE[j + 1] - PROFILE[j]);
    sum += w[k];
  }
  for (let k = 0; k < n; k++) w[k] /= sum;
  return w;
}

export function ptWeight(pt: number): number {
  if (pt < 0.05) return 0;
  if (pt <= 0.5) return 0.2;
  if (pt >= 3) return 1;
  return 0.2 + (0.8 * (pt - 0.5)) / 2.5;
}

const ORDER_TABLE: Float64Array[] = [];
for (let n = WEIGHT_MIN_HITS; n <= WEIGHT_MAX_HITS; n++) ORDER_TABLE[n] = orderWeights(n);

/**
 * Weights of every hit. `hitParticle[i]` is the particle row of hit i (-1 for noise), `tz` the true
 * z of each hit, `vz` and `pt` per particle.
 */
export function trackmlWeights(hitParticle: Int32Array, tz: ArrayLike<number>, vz: ArrayLike<number>, pt: ArrayLike<number>): Float32Array {
  const nHits = hitParticle.length;
  const nParticles = vz.length;
  // Group hit indices by particle (counting sort), then rank each group by |tz - vz|.
  const start = new Int32Array(nParticles + 1);
  for (let i = 0; i < nHits; i++) if (hitParticle[i] >= 0) start[hitParticle[i] + 1]++;
  for (let p = 0; p < nParticles; p++) start[p + 1] += start[p];
  const fill = start.slice(0, nParticles);
  const grouped = new Int32Array(start[nParticles]);
  for (let i = 0; i < nHits; i++) if (hitParticle[i] >= 0) grouped[fill[hitParticle[i]]++] = i;
  const raw = new Float64Array(nHits);
  let total = 0;
  for (let p = 0; p < nParticles; p++) {
    const n = start[p + 1] - start[p];
    const wPt = ptWeight(pt[p]);
    if (n < WEIGHT_MIN_HITS || wPt === 0) continue;
    const group = Array.from(grouped.subarray(start[p], start[p + 1]));
    group.sort((a, b) => Math.abs(tz[a] - vz[p]) - Math.abs(tz[b] - vz[p]) || a - b);
    const profile = ORDER_TABLE[Math.min(n, WEIGHT_MAX_HITS)];
    for (let k = 0; k < Math.min(n, WEIGHT_MAX_HITS); k++) {
      raw[group[k]] = profile[k] * wPt;
      total += profile[k] * wPt;
    }
  }
  const weights = new Float32Array(nHits);
  if (total > 0) for (let i = 0; i < nHits; i++) weights[i] = raw[i] / total;
  return weights;
}

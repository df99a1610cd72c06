/**
 * Uncertainty of an efficiency k / n. The original propagated independent Poisson errors of k and
 * n, which overstates the error because k is a subset of n; these are binomial.
 */

/** Normal-approximation binomial standard error sqrt(e (1 - e) / n); 0 at e = 0 or 1, NaN for n = 0. */
export function binomialError(k: number, n: number): number {
  if (!(n > 0)) return NaN;
  const e = k / n;
  return Math.sqrt((e * (1 - e)) / n);
}

/**
 * Wilson score interval for k successes in n trials at z standard deviations (z = 1: 68.27%).
 * Unlike the normal approximation it stays inside [0, 1] and is not empty at e = 0 or 1.
 */
export function wilsonInterval(k: number, n: number, z = 1): { low: number; high: number } {
  if (!(n > 0)) return { low: NaN, high: NaN };
  const e = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (e + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((e * (1 - e)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

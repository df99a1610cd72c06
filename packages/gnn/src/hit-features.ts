/**
 * What the network sees of a hit. `xyz` is tune-5's input: x, y, z in mm, not normalised
 * (reference 1.6). `xyz-r-phi-eta` appends the cylindrical radius r (mm), the azimuth phi (rad)
 * and the pseudorapidity eta seen from the origin: the coordinates tracks are straight-ish and
 * local in, so the first message's h_j - h_i already holds delta-phi and delta-eta. On our
 * simulated mu = 2 graphs a fixed score -(delta-eta^2 + delta-phi^2) alone reaches edge AUC 0.88
 * (docs/training.md), which tune-5's network must otherwise learn from x, y, z.
 */
export type HitFeatures = 'xyz' | 'xyz-r-phi-eta';

export const HIT_FEATURES: readonly HitFeatures[] = ['xyz', 'xyz-r-phi-eta'];

/** Values per hit of each kind. */
export function hitFeatureDim(kind: HitFeatures): number {
  if (kind === 'xyz') return 3;
  if (kind === 'xyz-r-phi-eta') return 6;
  throw new RangeError(`hit features must be one of ${HIT_FEATURES.join(', ')}, got '${String(kind)}'`);
}

/** Network input [N, hitFeatureDim(kind)] from hit positions [N, 3] (x, y, z in mm). */
export function hitFeatures(points: Float32Array, kind: HitFeatures): Float32Array {
  const dim = hitFeatureDim(kind);
  if (points.length % 3 !== 0) throw new RangeError(`points must hold x, y, z per hit, got ${points.length} values`);
  if (kind === 'xyz') return points;
  const n = points.length / 3;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const x = points[3 * i];
    const y = points[3 * i + 1];
    const z = points[3 * i + 2];
    const r = Math.hypot(x, y);
    const o = dim * i;
    out[o] = x;
    out[o + 1] = y;
    out[o + 2] = z;
    out[o + 3] = r;
    out[o + 4] = Math.atan2(y, x);
    // asinh(z / r) = -ln tan(theta / 2); a hit on the beam line (r = 0) gets +-asinh(z / 1e-3 mm).
    out[o + 5] = Math.asinh(z / Math.max(r, 1e-3));
  }
  return out;
}

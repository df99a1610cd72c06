import { ConfigError } from '@hypertrack/core';
/**
 * What the network sees of a hit. `xyz` is tune-5's input: x, y, z in mm, not normalised
 * (reference 1.6). `xyz-cylindrical` appends the cylindrical radius r (mm), the pseudorapidity eta
 * seen from the origin, and the azimuth as cos phi and sin phi (7 values): the coordinates in
 * which tracks are straight-ish and local, so the first message's h_j - h_i already holds
 * differences of eta and of the azimuth's direction. The azimuth enters as its cosine and sine
 * because phi itself jumps by 2 pi at +-pi, where a difference would then say "far" for
 * neighbours.
 */
export type HitFeatures = 'xyz' | 'xyz-cylindrical';

export const HIT_FEATURES: readonly HitFeatures[] = ['xyz', 'xyz-cylindrical'];

/** Values per hit of each kind. */
export function hitFeatureDim(kind: HitFeatures): number {
  if (kind === 'xyz') return 3;
  if (kind === 'xyz-cylindrical') return 7;
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
    // asinh(z / r) = -ln tan(theta / 2); a hit on the beam line (r = 0) gets +-asinh(z / 1e-3 mm).
    out[o + 4] = Math.asinh(z / Math.max(r, 1e-3));
    // The azimuth's direction; on the beam line (no azimuth) (1, 0).
    out[o + 5] = r > 0 ? x / r : 1;
    out[o + 6] = r > 0 ? y / r : 0;
  }
  return out;
}

/**
 * The network's input for hits at `points` (x, y, z per hit, mm): the hit features its config
 * names (tune-5's x, y, z when it names none), checked against the width its first layer was
 * built for.
 */
export function networkInput(points: Float32Array, config: { readonly coordDim: number; readonly hitFeatures?: HitFeatures }): { coords: Float32Array; coordDim: number } {
  const kind = config.hitFeatures ?? 'xyz';
  if (config.coordDim !== hitFeatureDim(kind)) {
    throw new ConfigError('model', `the GNN takes ${config.coordDim} values per hit, but ${kind} hit features give ${hitFeatureDim(kind)}; set model.hitFeatures`);
  }
  return { coords: hitFeatures(points, kind), coordDim: config.coordDim };
}

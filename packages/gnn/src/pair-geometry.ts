/**
 * Geometric features of a hit pair, for the edge decoder (`GnnConfig.pairFeatures: 'geometry'`).
 * tune-5's decoder sees only z_i * z_j, so what the two hits' positions say about the pair directly
 * (how far apart in angle, whether the line through them points back to the beam spot) must
 * survive five rounds of averaging over ~20-50 mostly false neighbours. A classifier on these
 * features alone scores the VD edges about as well as the GNN does (issue 13), so the decoder gets
 * them next to the latents. Every feature is symmetric in the two hits, so the symmetric-dot
 * decoder stays symmetric, and scaled to order one:
 *
 *   |delta eta|, |delta phi| (wrapped), |delta r| / 100 mm, |delta z| / 100 mm, mean r / 1000 mm,
 *   asinh(|z0| / 10 mm) with z0 where the line through both hits in (r, z) meets the beam line
 *   (0 when |delta r| < 1 mm), asinh(|delta phi| / |delta r| x 1000 mm) (the bending, about
 *   0.3 B / 2 pT for a track from the origin; 0 when |delta r| < 1 mm), and 1 for a self-loop.
 *
 * The hit's first three input values must be x, y, z in mm (true of every `HitFeatures` kind).
 */
export const PAIR_GEOMETRY_DIM = 8;

export function pairGeometry(coords: Float32Array, coordDim: number, src: Int32Array, dst: Int32Array): Float32Array {
  if (coordDim < 3) throw new RangeError(`pair geometry needs x, y, z per hit, got ${coordDim} values per hit`);
  const n = coords.length / coordDim;
  const r = new Float64Array(n);
  const eta = new Float64Array(n);
  const phi = new Float64Array(n);
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = coords[coordDim * i];
    const y = coords[coordDim * i + 1];
    z[i] = coords[coordDim * i + 2];
    r[i] = Math.sqrt(x * x + y * y);
    eta[i] = Math.asinh(z[i] / Math.max(r[i], 1e-3));
    phi[i] = Math.atan2(y, x);
  }
  const out = new Float32Array(src.length * PAIR_GEOMETRY_DIM);
  for (let e = 0; e < src.length; e++) {
    const a = src[e];
    const b = dst[e];
    const o = e * PAIR_GEOMETRY_DIM;
    if (a === b) {
      out[o + 4] = r[a] / 1000;
      out[o + 7] = 1;
      continue;
    }
    let dPhi = Math.abs(phi[a] - phi[b]);
    if (dPhi > Math.PI) dPhi = 2 * Math.PI - dPhi;
    const dR = Math.abs(r[a] - r[b]);
    out[o] = Math.abs(eta[a] - eta[b]);
    out[o + 1] = dPhi;
    out[o + 2] = dR / 100;
    out[o + 3] = Math.abs(z[a] - z[b]) / 100;
    out[o + 4] = (r[a] + r[b]) / 2000;
    if (dR >= 1) {
      const z0 = (z[a] * r[b] - z[b] * r[a]) / (r[b] - r[a]);
      out[o + 5] = Math.asinh(Math.abs(z0) / 10);
      out[o + 6] = Math.asinh((dPhi / dR) * 1000);
    }
  }
  return out;
}

import type { Vec3 } from './types';

/** pT in MeV of a track of radius 1 mm per tesla: pT = e c B R = 0.299792458 MeV/(T mm). */
export const MEV_PER_TESLA_MM = 0.299792458;

/**
 * Radius in mm of the circle through the points' transverse projections, fitted algebraically
 * (Kåsa: least squares of x² + y² + Dx + Ey + F over the points, about their centroid, which keeps
 * it well conditioned). Undefined with fewer than 3 points or when they lie on a line (in
 * floating-point terms): such a track has no measurable curvature.
 */
export function transverseRadius(points: readonly Vec3[]): number | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  let mx = 0;
  let my = 0;
  for (const p of points) {
    mx += p[0] / n;
    my += p[1] / n;
  }
  let suu = 0;
  let svv = 0;
  let suv = 0;
  let suz = 0;
  let svz = 0;
  let sz = 0;
  for (const p of points) {
    const u = p[0] - mx;
    const v = p[1] - my;
    const z = u * u + v * v;
    suu += u * u;
    svv += v * v;
    suv += u * v;
    suz += u * z;
    svz += v * z;
    sz += z;
  }
  const det = suu * svv - suv * suv;
  if (!(det > 1e-12 * (suu + svv) ** 2)) return undefined;
  const d = (-suz * svv + svz * suv) / det;
  const e = (-svz * suu + suz * suv) / det;
  const f = -sz / n;
  const r2 = (d * d + e * e) / 4 - f;
  return r2 > 0 ? Math.sqrt(r2) : undefined;
}

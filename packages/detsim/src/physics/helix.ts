/**
 * A charged particle's trajectory in a uniform field along +z is a helix. It is parametrised by the
 * transverse arc length s (mm) from its starting point; z advances by s * pz/pT.
 *
 * A positive charge in a field along +z turns clockwise seen from +z (F = q v x B), so the rotation
 * sense is h = -sign(q) (h = +1: counter-clockwise).
 */

/** Speed of light factor: R[m] = pT[GeV] / (0.299792458 * B[T] * |q|). */
export const GEV_TO_MM_PER_TESLA = 299.792458;

const TWO_PI = 2 * Math.PI;

/** Radius of curvature in mm of a track with transverse momentum `pt` (GeV) and charge `q`. */
export function helixRadius(pt: number, q: number, bFieldTesla: number): number {
  return (pt * 1000) / (0.299792458 * bFieldTesla * Math.abs(q));
}

/** Transverse state at the start of a helix segment, with derived centre and phase. */
export class HelixSegment {
  x0 = 0;
  y0 = 0;
  z0 = 0;
  /** Transverse momentum and pz/pT. */
  pt = 0;
  lambda = 0;
  /** Radius (mm), rotation sense h (+1 counter-clockwise), centre and the start's angle about it. */
  radius = 0;
  h = 1;
  cx = 0;
  cy = 0;
  alpha0 = 0;

  /** Starts a segment at a point with momentum (GeV) and charge q in field B (tesla). */
  set(x: number, y: number, z: number, px: number, py: number, pz: number, q: number, bFieldTesla: number): this {
    this.x0 = x;
    this.y0 = y;
    this.z0 = z;
    this.pt = Math.sqrt(px * px + py * py);
    this.lambda = pz / this.pt;
    this.radius = helixRadius(this.pt, q, bFieldTesla);
    this.h = q > 0 ? -1 : 1;
    const psi = Math.atan2(py, px);
    // The centre lies to the left of the direction of motion for counter-clockwise rotation.
    this.cx = x - this.h * this.radius * Math.sin(psi);
    this.cy = y + this.h * this.radius * Math.cos(psi);
    this.alpha0 = Math.atan2(y - this.cy, x - this.cx);
    return this;
  }

  /** Position and momentum direction after transverse arc length s. */
  at(s: number, out: HelixPoint): HelixPoint {
    const alpha = this.alpha0 + (this.h * s) / this.radius;
    out.x = this.cx + this.radius * Math.cos(alpha);
    out.y = this.cy + this.radius * Math.sin(alpha);
    out.z = this.z0 + this.lambda * s;
    const psi = alpha + this.h * 0.5 * Math.PI;
    out.px = this.pt * Math.cos(psi);
    out.py = this.pt * Math.sin(psi);
    out.pz = this.pt * this.lambda;
    return out;
  }

  /**
   * Transverse arc lengths (>= minS) at which the helix crosses the cylinder of radius `rho`, in
   * increasing order, written to out[0..1]; returns how many (0, 1 or 2). Loopers cross again every
   * 2*pi*R, which the caller reaches by starting a new segment at each crossing.
   */
  cylinderCrossings(rho: number, minS: number, out: Float64Array): number {
    const d = Math.sqrt(this.cx * this.cx + this.cy * this.cy);
    const R = this.radius;
    if (d === 0) return 0;
    const c = (rho * rho - d * d - R * R) / (2 * R * d);
    if (c < -1 || c > 1) return 0;
    const beta = Math.atan2(this.cy, this.cx);
    const delta = Math.acos(c);
    let s1 = this.arcTo(beta + delta);
    let s2 = this.arcTo(beta - delta);
    if (s1 < minS) s1 += TWO_PI * R;
    if (s2 < minS) s2 += TWO_PI * R;
    if (s1 > s2) {
      const t = s1;
      s1 = s2;
      s2 = t;
    }
    out[0] = s1;
    out[1] = s2;
    return delta === 0 ? 1 : 2;
  }

  /** Transverse arc length at which the helix reaches plane z = zPlane, or -1 if never ahead. */
  planeCrossing(zPlane: number): number {
    if (this.lambda === 0) return -1;
    const s = (zPlane - this.z0) / this.lambda;
    return s > 0 ? s : -1;
  }

  /** Arc length in [0, 2*pi*R) from the start to the point at angle `alpha` about the centre. */
  private arcTo(alpha: number): number {
    let turn = (this.h * (alpha - this.alpha0)) % TWO_PI;
    if (turn < 0) turn += TWO_PI;
    return turn * this.radius;
  }
}

export interface HelixPoint {
  x: number;
  y: number;
  z: number;
  px: number;
  py: number;
  pz: number;
}

export function newHelixPoint(): HelixPoint {
  return { x: 0, y: 0, z: 0, px: 0, py: 0, pz: 0 };
}

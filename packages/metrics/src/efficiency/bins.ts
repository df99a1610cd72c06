/** Bin edges and the observables of the original's per-observable efficiency plots (reference 6.6). */

export function linspace(start: number, stop: number, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = start + ((stop - start) * k) / (count - 1);
  out[count - 1] = stop;
  return out;
}

export function geomspace(start: number, stop: number, count: number): Float64Array {
  const a = Math.log(start);
  const b = Math.log(stop);
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = Math.exp(a + ((b - a) * k) / (count - 1));
  out[0] = start;
  out[count - 1] = stop;
  return out;
}

/**
 * Bin of x for ascending edges: [e_k, e_k+1), the last bin closed as numpy.histogram does;
 * -1 when x lies outside or is NaN.
 */
export function binOf(edges: Float64Array, x: number): number {
  const last = edges.length - 1;
  if (!(x >= edges[0] && x <= edges[last])) return -1;
  // Invariant edges[lo] <= x < edges[hi] except at x = edges[last], where lo stops at last - 1.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Kinematics of one truth track, the inputs of an observable. */
export interface TrackKinematics {
  vx: number;
  vy: number;
  vz: number;
  px: number;
  py: number;
  pz: number;
  nhits: number;
}

export interface Observable {
  readonly key: string;
  readonly label: string;
  readonly edges: Float64Array;
  readonly logX: boolean;
  readonly value: (k: TrackKinematics) => number;
}

const BINS = 50;

function eta(k: TrackKinematics): number {
  const theta = Math.atan2(Math.hypot(k.px, k.py), k.pz);
  return -Math.log(Math.tan(theta / 2));
}

/**
 * The original's observables and bins. "50 bins" is read as 50 bins (51 edges); the log-pT axis
 * runs from 0.1 to 20 GeV. phi = atan2(py, px) covers its whole range [-pi, pi] (the original's
 * [0, pi] left every track with negative phi, half of them, outside the plot).
 */
export function defaultObservables(): Observable[] {
  const r0xy = (k: TrackKinematics) => Math.hypot(k.vx, k.vy);
  return [
    { key: 'r0mod', label: 'r0 = |v| (mm)', edges: linspace(0, 50, BINS + 1), logX: false, value: (k) => Math.hypot(k.vx, k.vy, k.vz) },
    { key: 'r0xy_1', label: 'r0 xy (mm)', edges: linspace(0, 0.1, BINS + 1), logX: false, value: r0xy },
    { key: 'r0xy_2', label: 'r0 xy (mm)', edges: linspace(1, 10, BINS + 1), logX: false, value: r0xy },
    { key: 'r0xy_3', label: 'r0 xy (mm)', edges: linspace(10, 100, BINS + 1), logX: false, value: r0xy },
    { key: 'r0xy_4', label: 'r0 xy (mm)', edges: linspace(100, 1000, BINS + 1), logX: false, value: r0xy },
    { key: 'r0z', label: '|v_z| (mm)', edges: linspace(0, 50, BINS + 1), logX: false, value: (k) => Math.abs(k.vz) },
    { key: 'p3mod', label: '|p| (GeV)', edges: linspace(0, 3, BINS + 1), logX: false, value: (k) => Math.hypot(k.px, k.py, k.pz) },
    { key: 'pt_low', label: 'pT (GeV)', edges: linspace(0, 3, BINS + 1), logX: false, value: (k) => Math.hypot(k.px, k.py) },
    { key: 'pt_high_log', label: 'pT (GeV)', edges: geomspace(0.1, 20, BINS + 1), logX: true, value: (k) => Math.hypot(k.px, k.py) },
    { key: 'eta', label: 'eta', edges: linspace(-4.1, 4.1, BINS + 1), logX: false, value: eta },
    { key: 'phi', label: 'phi (rad)', edges: linspace(-Math.PI, Math.PI, BINS + 1), logX: false, value: (k) => Math.atan2(k.py, k.px) },
    { key: 'nhits', label: 'hits', edges: linspace(0.5, 25.5, 26), logX: false, value: (k) => k.nhits },
  ];
}

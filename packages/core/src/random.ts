/**
 * Seeded, splittable pseudo-random numbers.
 *
 * The generator is xoshiro128** (32-bit lanes, so every step stays in fast int32 arithmetic), seeded
 * through SplitMix32. `split(key)` derives an independent child stream from the parent's seed and
 * a key without advancing the parent, so event `i` of a run draws from `root.split(i)` and its
 * content does not depend on how many events ran before it or in which order.
 */

const TWO_POW_MINUS_32 = 2 ** -32;

/** SplitMix32 finaliser: a bijective 32-bit mix with good avalanche. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/** A seed is a non-negative integer or a string (hashed with FNV-1a). */
export type Seed = number | string;

function seedToUint32(seed: Seed): number {
  if (typeof seed === 'string') {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }
  if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
    throw new RangeError(`seed must be an integer or a string, got ${seed}`);
  }
  // Fold the high bits of seeds above 2^32 in so that e.g. 1 and 2^32+1 differ.
  const hi = Math.floor(seed / 4294967296);
  return (seed ^ mix32(hi >>> 0)) >>> 0;
}

/** Plain-data state of an Rng (see `Rng.snapshot`). */
export interface RngSnapshot {
  readonly state: readonly [number, number, number, number];
  readonly origin: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** The 128-bit seed material this stream started from; children are derived from it. */
  private readonly origin: readonly [number, number, number, number];
  private spareNormal = NaN;

  private constructor(origin: [number, number, number, number]) {
    this.origin = origin;
    [this.s0, this.s1, this.s2, this.s3] = origin;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }

  /** A generator whose whole sequence is fixed by `seed`. */
  static fromSeed(seed: Seed): Rng {
    let x = seedToUint32(seed);
    const state: [number, number, number, number] = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      state[i] = mix32(x);
    }
    return new Rng(state);
  }

  /**
   * An independent stream identified by `key` (an integer or a name, e.g. an event number or
   * "noise"). The parent is not advanced, so the same key always gives the same child.
   */
  split(key: Seed): Rng {
    const k = seedToUint32(key);
    const state: [number, number, number, number] = [0, 0, 0, 0];
    for (let i = 0; i < 4; i++) {
      state[i] = mix32((this.origin[i] ^ mix32((k + Math.imul(i + 1, 0x9e3779b9)) >>> 0)) >>> 0);
    }
    return new Rng(state);
  }

  /**
   * The complete state as plain numbers, to carry a stream across a worker boundary or into a
   * checkpoint; `Rng.restore` continues it exactly.
   */
  snapshot(): RngSnapshot {
    return { state: [this.s0, this.s1, this.s2, this.s3], origin: [...this.origin], spareNormal: Number.isNaN(this.spareNormal) ? null : this.spareNormal };
  }

  /** The stream a `snapshot` was taken of, continuing where it stood. */
  static restore(snapshot: RngSnapshot): Rng {
    const rng = new Rng([...snapshot.origin] as [number, number, number, number]);
    [rng.s0, rng.s1, rng.s2, rng.s3] = snapshot.state;
    rng.spareNormal = snapshot.spareNormal ?? NaN;
    return rng;
  }

  /** Next raw 32-bit output as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on the open interval (0, 1): never exactly 0, so log(u) is always finite. */
  uniform(): number {
    return (this.nextUint32() + 0.5) * TWO_POW_MINUS_32;
  }

  /** Uniform on [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Uniform integer in [0, n), unbiased (rejection of the incomplete top block). Requires n <= 2^32. */
  int(n: number): number {
    if (!(n >= 1) || n > 4294967296 || !Number.isInteger(n)) throw new RangeError(`int(n) needs an integer 1 <= n <= 2^32, got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** Standard normal (Marsaglia polar method; the second value of each pair is kept). */
  normal(mean = 0, sigma = 1): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return mean + sigma * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sigma * u * f;
  }

  /** Exponential with the given mean. */
  exponential(mean = 1): number {
    return -mean * Math.log(this.uniform());
  }

  /** Gamma(shape, scale) by Marsaglia and Tsang; shape < 1 uses the boost u^(1/shape). */
  gamma(shape: number, scale = 1): number {
    if (!(shape > 0)) throw new RangeError(`gamma shape must be > 0, got ${shape}`);
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return scale * d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return scale * d * v;
    }
  }

  /**
   * Poisson-distributed count. Small means use Knuth's product method; large means use Hörmann's
   * PTRS transformed rejection, which is exact and O(1).
   */
  poisson(mean: number): number {
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`poisson mean must be finite and >= 0, got ${mean}`);
    if (mean === 0) return 0;
    if (mean < 12) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.uniform();
      while (p > limit) {
        k++;
        p *= this.uniform();
      }
      return k;
    }
    const slam = Math.sqrt(mean);
    const loglam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k)) return k;
    }
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    this.shuffle(out);
    return out;
  }

  /** Shuffles a typed array or array in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }

  /**
   * `k` distinct integers drawn uniformly from [0, n), in random order (like numpy's
   * `choice(n, k, replace=False)`). Memory is O(k) when k is small against n.
   */
  choiceWithoutReplacement(n: number, k: number): Int32Array {
    if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`choiceWithoutReplacement needs integers 0 <= k <= n, got n=${n}, k=${k}`);
    }
    const out = new Int32Array(k);
    if (k * 4 >= n) {
      const pool = this.permutation(n);
      out.set(pool.subarray(0, k));
      return out;
    }
    // Partial Fisher-Yates over a virtual identity array; the map holds only displaced entries.
    const displaced = new Map<number, number>();
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const atJ = displaced.get(j) ?? j;
      const atI = displaced.get(i) ?? i;
      out[i] = atJ;
      displaced.set(j, atI);
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const LOG_FACTORIAL_TABLE: number[] = [0];
/** ln(k!) exactly from a table for small k, Stirling's series beyond. */
export function logFactorial(k: number): number {
  if (k < 256) {
    for (let i = LOG_FACTORIAL_TABLE.length; i <= k; i++) LOG_FACTORIAL_TABLE[i] = LOG_FACTORIAL_TABLE[i - 1] + Math.log(i);
    return LOG_FACTORIAL_TABLE[k];
  }
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

import { Rng, logFactorial } from './random';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sumSq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sumSq / n - mean * mean };
}

describe('Rng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = Rng.fromSeed(42);
    const b = Rng.fromSeed(42);
    const c = Rng.fromSeed(43);
    const seqA = Array.from({ length: 20 }, () => a.nextUint32());
    const seqB = Array.from({ length: 20 }, () => b.nextUint32());
    const seqC = Array.from({ length: 20 }, () => c.nextUint32());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
  });

  it('accepts string seeds and folds seeds above 2^32', () => {
    expect(Rng.fromSeed('run-a').nextUint32()).toBe(Rng.fromSeed('run-a').nextUint32());
    expect(Rng.fromSeed(1).nextUint32()).not.toBe(Rng.fromSeed(2 ** 32 + 1).nextUint32());
    expect(() => Rng.fromSeed(1.5)).toThrow(RangeError);
  });

  it('splits into streams that do not depend on the parent having advanced', () => {
    const root = Rng.fromSeed(7);
    const first = root.split(3).nextUint32();
    for (let i = 0; i < 100; i++) root.nextUint32();
    expect(root.split(3).nextUint32()).toBe(first);
    expect(root.split(4).nextUint32()).not.toBe(first);
    expect(root.split('noise').nextUint32()).not.toBe(root.split('hits').nextUint32());
  });

  it('gives sibling streams that are uncorrelated', () => {
    const root = Rng.fromSeed(11);
    const a = root.split(0);
    const b = root.split(1);
    const n = 50_000;
    let sab = 0;
    for (let i = 0; i < n; i++) sab += (a.uniform() - 0.5) * (b.uniform() - 0.5);
    // Correlation of independent uniforms: mean 0, sd (1/12)/sqrt(n) ~ 3.7e-4 -> 5 sigma bound.
    expect(Math.abs(sab / n)).toBeLessThan(5 * (1 / 12) / Math.sqrt(n));
  });

  it('draws uniforms strictly inside (0, 1) with the right moments', () => {
    const rng = Rng.fromSeed(1);
    let min = 1;
    let max = 0;
    const m = moments(() => {
      const u = rng.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      return u;
    }, 200_000);
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 2);
  });

  it('draws unbiased integers in range', () => {
    const rng = Rng.fromSeed(5);
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[rng.int(6)]++;
    // Chi-square with 5 degrees of freedom: 20.5 is the 0.999 quantile.
    const chi2 = counts.reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.5);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(rng.int(2 ** 32)).toBeLessThan(2 ** 32);
  });

  it('draws normals, exponentials and gammas with the right mean and variance', () => {
    const rng = Rng.fromSeed(9);
    const n = 100_000;
    const normal = moments(() => rng.normal(3, 2), n);
    expect(normal.mean).toBeCloseTo(3, 1);
    expect(normal.variance).toBeCloseTo(4, 0);
    const expo = moments(() => rng.exponential(2), n);
    expect(expo.mean).toBeCloseTo(2, 1);
    expect(expo.variance).toBeCloseTo(4, 0);
    for (const shape of [0.5, 1.5, 6]) {
      const g = moments(() => rng.gamma(shape, 2), n);
      expect(Math.abs(g.mean - 2 * shape)).toBeLessThan(0.05 * 2 * shape);
      expect(Math.abs(g.variance - 4 * shape)).toBeLessThan(0.06 * 4 * shape);
    }
  });

  it.each([0.3, 4, 11.9, 12, 60, 2000])('draws Poisson(%p) with mean = variance = lambda', (lambda) => {
    const rng = Rng.fromSeed(Math.round(lambda * 10));
    const n = 100_000;
    const m = moments(() => rng.poisson(lambda), n);
    const tolerance = 5 * Math.sqrt(lambda / n);
    expect(Math.abs(m.mean - lambda)).toBeLessThan(tolerance);
    expect(Math.abs(m.variance / lambda - 1)).toBeLessThan(0.03);
  });

  it('matches the Poisson probability of small counts', () => {
    const rng = Rng.fromSeed(123);
    const lambda = 30; // PTRS branch
    const n = 200_000;
    let hits = 0;
    for (let i = 0; i < n; i++) if (rng.poisson(lambda) === 30) hits++;
    const p = Math.exp(-lambda + 30 * Math.log(lambda) - logFactorial(30));
    expect(Math.abs(hits / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });

  it('returns a permutation of 0..n-1', () => {
    const perm = Rng.fromSeed(3).permutation(1000);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it.each([
    [10, 10],
    [1000, 7],
    [1000, 600],
    [5, 0],
  ])('chooses %p-of-%p distinct values uniformly', (n, k) => {
    const rng = Rng.fromSeed(n + k);
    const pick = rng.choiceWithoutReplacement(n, k);
    expect(pick.length).toBe(k);
    expect(new Set(pick).size).toBe(k);
    for (const v of pick) expect(v >= 0 && v < n).toBe(true);
  });

  it('picks every element with probability k/n', () => {
    const rng = Rng.fromSeed(77);
    const n = 20;
    const k = 3;
    const trials = 40_000;
    const counts = new Array(n).fill(0);
    for (let t = 0; t < trials; t++) for (const v of rng.choiceWithoutReplacement(n, k)) counts[v]++;
    const expected = (trials * k) / n;
    for (const c of counts) expect(Math.abs(c - expected)).toBeLessThan(5 * Math.sqrt(expected));
    expect(() => rng.choiceWithoutReplacement(3, 4)).toThrow(RangeError);
  });

  it('computes log-factorials exactly for small and accurately for large k', () => {
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
    let exact = 0;
    for (let i = 2; i <= 300; i++) exact += Math.log(i);
    expect(logFactorial(300)).toBeCloseTo(exact, 8);
  });
});

describe('Rng snapshots', () => {
  it('restore continues the stream exactly, including the spare normal and its children', () => {
    const a = Rng.fromSeed('snap');
    a.uniform();
    a.normal(); // leaves a spare normal behind
    const copy = Rng.restore(JSON.parse(JSON.stringify(a.snapshot())));
    expect([copy.normal(), copy.uniform(), copy.int(1000)]).toEqual([a.normal(), a.uniform(), a.int(1000)]);
    expect(copy.split('child').nextUint32()).toBe(a.split('child').nextUint32());
  });
});

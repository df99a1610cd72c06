import { Rng } from '@hypertrack/core';
import { NearestCentroidIndex } from './nearest-centroid-index';

/** Same arithmetic as the kernel (sum of squared differences in dimension order), ties to the smaller index. */
function bruteForce(centroids: Float32Array, points: Float32Array, dim: number): Int32Array {
  const k = centroids.length / dim;
  const n = points.length / dim;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (let c = 0; c < k; c++) {
      let dd = 0;
      for (let d = 0; d < dim; d++) {
        const t = points[i * dim + d] - centroids[c * dim + d];
        dd += t * t;
      }
      if (dd < best) {
        best = dd;
        out[i] = c;
      }
    }
  }
  return out;
}

/** Integer coordinates on a small grid: many duplicate centroids and many equidistant ties. */
function gridPoints(rng: Rng, count: number, dim: number, range: number): Float32Array {
  return Float32Array.from({ length: count * dim }, () => rng.int(range));
}

describe('NearestCentroidIndex', () => {
  it.each([1, 2, 3, 4, 6])('agrees with brute force in %i-D, including duplicates and ties', (dim) => {
    const rng = Rng.fromSeed(dim);
    for (const leafSize of [1, 3, 8]) {
      const centroids = gridPoints(rng, 500, dim, 6);
      const points = Float32Array.from({ length: 800 * dim }, (_, i) => (i % 3 === 0 ? rng.int(7) - 0.5 : rng.uniformIn(-1, 7)));
      const index = NearestCentroidIndex.build(centroids, dim, { leafSize });
      expect(index.assign(points)).toEqual(bruteForce(centroids, points, dim));
    }
  });

  it('breaks exact ties by the smaller centroid index', () => {
    // Point 0 sits midway between centroids 2 and 1 (and duplicates of them at 3 and 4).
    const centroids = Float32Array.from([10, 10, 2, 0, 0, 0, 2, 0, 0, 0]);
    const index = NearestCentroidIndex.build(centroids, 2, { leafSize: 1 });
    expect(index.nearest([1, 0])).toBe(1);
    expect(index.nearest([2, 0.1])).toBe(1);
    expect(index.nearest([0, 0.1])).toBe(2);
  });

  it('returns the same answer with a warm start from wrong guesses, and the squared distances', () => {
    const rng = Rng.fromSeed(7);
    const centroids = Float32Array.from({ length: 3000 }, () => rng.normal(0, 100));
    const points = Float32Array.from({ length: 6000 }, () => rng.normal(0, 100));
    const index = NearestCentroidIndex.build(centroids, 3);
    const expected = bruteForce(centroids, points, 3);
    const guesses = Int32Array.from({ length: 2000 }, () => rng.int(1000));
    const dist2 = new Float64Array(2000);
    expect(index.assign(points, { out: guesses, warmStart: true, dist2 })).toEqual(expected);
    const c = expected[5];
    const d = [0, 1, 2].reduce((s, j) => s + (points[15 + j] - centroids[3 * c + j]) ** 2, 0);
    expect(dist2[5]).toBe(d);
  });

  it('rejects empty centroid sets and ragged buffers', () => {
    expect(() => NearestCentroidIndex.build(new Float32Array(0), 3)).toThrow('centroids: is empty; at least one centroid is needed');
    expect(() => NearestCentroidIndex.build(new Float32Array(4), 3)).toThrow('centroids: holds 4 values, which is not a multiple of dim = 3');
    expect(() => NearestCentroidIndex.build(Float32Array.from([0, NaN, 0]), 3)).toThrow('centroids: value NaN of point 0 is not finite');
  });
});

import { Rng } from '@hypertrack/core';
import { kmeans } from './kmeans';

function blobs(seed: number, n: number, dim: number): Float32Array {
  const rng = Rng.fromSeed(seed);
  const centres = Array.from({ length: 20 }, () => Array.from({ length: dim }, () => rng.uniformIn(-100, 100)));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(centres.length)];
    for (let d = 0; d < dim; d++) out[i * dim + d] = c[d] + rng.normal(0, 5);
  }
  return out;
}

describe('kmeans', () => {
  it('decreases the inertia and ends with every point at its nearest centroid', async () => {
    const points = blobs(1, 5000, 3);
    const result = await kmeans(points, 3, { k: 64, niter: 10, seed: 3 });
    const h = result.history;
    expect(h).toHaveLength(11);
    expect(h[h.length - 1]).toBeLessThan(0.8 * h[0]);
    for (let i = 1; i < h.length; i++) expect(h[i]).toBeLessThanOrEqual(h[i - 1] * (1 + 1e-6));
    let inertia = 0;
    for (let i = 0; i < 5000; i++) {
      let best = Infinity;
      for (let c = 0; c < 64; c++) {
        let dd = 0;
        for (let d = 0; d < 3; d++) dd += (points[3 * i + d] - result.centroids[3 * c + d]) ** 2;
        best = Math.min(best, dd);
      }
      inertia += best;
    }
    expect(result.inertia).toBeCloseTo(inertia, 3);
  });

  it('is deterministic for a seed, with or without worker threads, and differs across seeds', async () => {
    const points = blobs(2, 4000, 4);
    const a = await kmeans(points, 4, { k: 50, niter: 5, seed: 11, threads: 1 });
    const b = await kmeans(points, 4, { k: 50, niter: 5, seed: 11, threads: 2, parallelThreshold: 0 });
    const c = await kmeans(points, 4, { k: 50, niter: 5, seed: 12, threads: 1 });
    expect(b.centroids).toEqual(a.centroids);
    expect(b.assignment).toEqual(a.assignment);
    expect(c.centroids).not.toEqual(a.centroids);
  });

  it('re-seeds empty cells (duplicate initial points leave cells empty)', async () => {
    // 300 copies of 3 distinct points plus a spread of 30: most draws of 20 initial points repeat.
    const rng = Rng.fromSeed(5);
    const points = new Float32Array(330 * 2);
    for (let i = 0; i < 300; i++) points.set([i % 3, 0], 2 * i);
    for (let i = 300; i < 330; i++) points.set([rng.uniformIn(10, 50), rng.uniformIn(10, 50)], 2 * i);
    const result = await kmeans(points, 2, { k: 20, niter: 8, seed: 1 });
    expect(result.reseeded).toBeGreaterThan(0);
    const used = new Set(result.assignment);
    expect(used.size).toBeGreaterThan(15);
  });

  it('reports progress and validates its options', async () => {
    const lines: string[] = [];
    await kmeans(blobs(3, 300, 2), 2, { k: 5, niter: 3, progress: { sink: { write: (s: string) => lines.push(s) } } });
    expect(lines.join('')).toContain('k-means: 3 iterations');
    await expect(kmeans(new Float32Array(6), 2, { k: 4 })).rejects.toThrow('k: 4 cells need at least as many points, got 3');
    await expect(kmeans(new Float32Array(6), 2, { k: 1, niter: -1 })).rejects.toThrow('niter: must be an integer >= 0, got -1');
  });
});

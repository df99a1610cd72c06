import { availableParallelism } from 'node:os';
import { ConfigError, createProgress, Rng, type ProgressOptions, type Seed } from '@hypertrack/core';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import { pointCount } from '../points';
import { AssignPool, sharedAllocator, toShared } from './assign-pool';

export interface KMeansOptions {
  /** Number of cells. */
  readonly k: number;
  /** Lloyd iterations (default 20, the original CLI's default). */
  readonly niter?: number;
  /** Seed of the initial centroids and of re-seeding (default 1234, faiss' default). */
  readonly seed?: Seed;
  /** Threads for the assignment step, this one included (default: min(2, available cores)). */
  readonly threads?: number;
  /** Points below which the assignment stays on this thread: workers cost start-up time (default 200,000). */
  readonly parallelThreshold?: number;
  /** Show a progress bar (core's createProgress) with these options; omitted: silent. */
  readonly progress?: ProgressOptions;
  /** Called after every iteration with the inertia of its assignment step. */
  readonly onIteration?: (info: KMeansIteration) => void;
}

export interface KMeansIteration {
  readonly iteration: number;
  /** Sum of squared distances of points to their nearest centroid before this iteration's update. */
  readonly inertia: number;
  /** Cells that were empty and got re-seeded in this iteration. */
  readonly reseeded: number;
}

export interface KMeansResult {
  readonly centroids: Float32Array;
  /** Nearest final centroid of every point. */
  readonly assignment: Int32Array;
  /** Sum of squared distances to the final centroids. */
  readonly inertia: number;
  /** Inertia of each iteration's assignment step, then of the final assignment. */
  readonly history: number[];
  /** Re-seeded empty cells, over all iterations. */
  readonly reseeded: number;
}

/**
 * Lloyd's k-means (the Voronoi division). Initial centroids are k distinct points drawn uniformly
 * (as faiss does); every iteration assigns points to the exact nearest centroid through a k-d tree
 * (warm-started from the previous assignment), moves each centroid to its points' mean, and
 * re-seeds empty cells on the points farthest from their centroid within a random sample. The
 * result depends on the seed only: the assignment is exact with fixed tie-breaking, and means are
 * summed on this thread in point order, whatever the thread count.
 */
export async function kmeans(points: Float32Array, dim: number, options: KMeansOptions): Promise<KMeansResult> {
  const n = pointCount(points, dim);
  const { k } = options;
  const niter = options.niter ?? 20;
  if (!Number.isInteger(k) || k < 1) throw new ConfigError('k', `must be an integer >= 1, got ${k}`);
  if (k > n) throw new ConfigError('k', `${k} cells need at least as many points, got ${n}`);
  if (!Number.isInteger(niter) || niter < 0) throw new ConfigError('niter', `must be an integer >= 0, got ${niter}`);
  const threads = options.threads ?? Math.min(2, availableParallelism());
  if (!Number.isInteger(threads) || threads < 1) throw new ConfigError('threads', `must be an integer >= 1, got ${threads}`);
  const parallel = threads > 1 && n >= (options.parallelThreshold ?? 200_000);

  const rng = Rng.fromSeed(options.seed ?? 1234);
  const centroids = new Float32Array(k * dim);
  const initial = rng.split('init').choiceWithoutReplacement(n, k);
  for (let c = 0; c < k; c++) for (let d = 0; d < dim; d++) centroids[c * dim + d] = points[initial[c] * dim + d];

  const sharedPoints = parallel ? toShared(points, (b) => new Float32Array(b)) : points;
  const labels = parallel ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n);
  const dist2 = parallel ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n);
  labels.fill(-1);
  const pool = parallel ? new AssignPool(threads - 1, sharedPoints, labels, dist2) : null;
  const progress = options.progress ? createProgress('k-means', niter, { unit: 'iterations', ...options.progress }) : null;

  const assign = async (warm: boolean): Promise<number> => {
    const index = NearestCentroidIndex.build(centroids, dim, { allocate: pool ? sharedAllocator : undefined });
    if (pool) await pool.assign(index.tree, warm);
    else index.assignRange(points, 0, n, labels, dist2, warm);
    let inertia = 0;
    for (let i = 0; i < n; i++) inertia += dist2[i];
    return inertia;
  };

  const history: number[] = [];
  let reseededTotal = 0;
  try {
    const sums = new Float64Array(k * dim);
    const counts = new Int32Array(k);
    for (let iteration = 0; iteration < niter; iteration++) {
      const inertia = await assign(iteration > 0);
      history.push(inertia);
      sums.fill(0);
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const c = labels[i];
        counts[c]++;
        const sb = c * dim;
        const pb = i * dim;
        for (let d = 0; d < dim; d++) sums[sb + d] += points[pb + d];
      }
      for (let c = 0; c < k; c++) {
        if (counts[c] === 0) continue;
        for (let d = 0; d < dim; d++) centroids[c * dim + d] = sums[c * dim + d] / counts[c];
      }
      const reseeded = reseedEmpty(counts, centroids, points, dim, dist2, rng.split(`reseed-${iteration}`));
      reseededTotal += reseeded;
      options.onIteration?.({ iteration, inertia, reseeded });
      progress?.tick();
    }
    const inertia = await assign(niter > 0);
    history.push(inertia);
    progress?.done();
    return { centroids, assignment: Int32Array.from(labels), inertia, history, reseeded: reseededTotal };
  } finally {
    await pool?.close();
  }
}

/**
 * Moves every empty cell onto a point far from its centroid: the farthest points of a random
 * sample (ties by point index), each used once. Returns the number of cells moved.
 */
function reseedEmpty(counts: Int32Array, centroids: Float32Array, points: Float32Array, dim: number, dist2: Float64Array, rng: Rng): number {
  const empty: number[] = [];
  for (let c = 0; c < counts.length; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length === 0) return 0;
  const n = dist2.length;
  const sample = Array.from(rng.choiceWithoutReplacement(n, Math.min(n, Math.max(256, 16 * empty.length))));
  sample.sort((a, b) => dist2[b] - dist2[a] || a - b);
  empty.forEach((c, j) => {
    const p = sample[j % sample.length];
    for (let d = 0; d < dim; d++) centroids[c * dim + d] = points[p * dim + d];
  });
  return empty.length;
}

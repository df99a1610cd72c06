import { ConfigError, InputError } from '@hypertrack/core';
import { checkDim, pointCount } from '../points';
import { buildKdTree, type ArrayAllocator, type KdTreeArrays } from './kd-tree';
import { nearestRange } from './nearest-kernel';

export interface NearestCentroidIndexOptions {
  /** Centroids per k-d tree leaf (default 8): smaller leaves prune more, larger ones scan faster. */
  readonly leafSize?: number;
  /** Where the tree arrays live; k-means passes a SharedArrayBuffer allocator for its workers. */
  readonly allocate?: ArrayAllocator;
}

export interface AssignOptions {
  /** Receives the nearest centroid index per point (allocated when omitted). */
  readonly out?: Int32Array;
  /** Receives the squared distance to that centroid per point. */
  readonly dist2?: Float64Array;
  /** Treat the entries of `out` on entry as guesses that tighten the search; the answer stays exact. */
  readonly warmStart?: boolean;
}

/**
 * Exact nearest-centroid lookup (Euclidean) over a fixed set of centroids of any dimension,
 * built once and queried many times. Ties go to the smaller centroid index.
 */
export class NearestCentroidIndex {
  readonly size: number;
  readonly dim: number;
  /** The tree arrays, for callers that share them with worker threads. */
  readonly tree: KdTreeArrays;

  private constructor(tree: KdTreeArrays) {
    this.tree = tree;
    this.size = tree.size;
    this.dim = tree.dim;
  }

  static build(centroids: Float32Array, dim: number, options: NearestCentroidIndexOptions = {}): NearestCentroidIndex {
    checkDim(dim);
    const k = pointCount(centroids, dim, 'centroids');
    if (k < 1) throw new InputError({ file: 'centroids' }, 'is empty; at least one centroid is needed');
    if (k > 2 ** 30) throw new InputError({ file: 'centroids' }, `holds ${k} centroids; at most 2^30 are supported`);
    const leafSize = options.leafSize ?? 8;
    if (!Number.isInteger(leafSize) || leafSize < 1) throw new ConfigError('leafSize', `must be an integer >= 1, got ${leafSize}`);
    return new NearestCentroidIndex(buildKdTree(centroids, dim, leafSize, options.allocate));
  }

  /** Wraps tree arrays built elsewhere (a worker thread receiving them from the main thread). */
  static fromTree(tree: KdTreeArrays): NearestCentroidIndex {
    return new NearestCentroidIndex(tree);
  }

  /** Index of the centroid nearest to one point. */
  nearest(point: ArrayLike<number>): number {
    if (point.length !== this.dim) throw new InputError({ file: 'point' }, `has ${point.length} coordinates but the index has dim = ${this.dim}`);
    const out = new Int32Array(1);
    this.assignRange(Float32Array.from(point), 0, 1, out, null, false);
    return out[0];
  }

  /** Nearest centroid of every point of a flat `n * dim` buffer. */
  assign(points: Float32Array, options: AssignOptions = {}): Int32Array {
    const n = pointCount(points, this.dim);
    const out = options.out ?? new Int32Array(n);
    if (out.length < n) throw new InputError({ file: 'out' }, `has ${out.length} entries but there are ${n} points`);
    if (options.dist2 && options.dist2.length < n) throw new InputError({ file: 'dist2' }, `has ${options.dist2.length} entries but there are ${n} points`);
    this.assignRange(points, 0, n, out, options.dist2 ?? null, options.warmStart === true);
    return out;
  }

  /** Unchecked range query, the hot path shared with k-means. */
  assignRange(points: Float32Array, start: number, end: number, out: Int32Array, dist2: Float64Array | null, warm: boolean): void {
    const t = this.tree;
    nearestRange(t.coords, t.perm, t.position, t.splitDim, t.splitValue, t.size, t.dim, t.leafSize, points, start, end, out, dist2, warm);
  }
}

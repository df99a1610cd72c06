/**
 * A balanced k-d tree over centroids, laid out implicitly: node `i` has children `2i + 1` and
 * `2i + 2` and covers a contiguous range of the reordered centroids, split at the range midpoint.
 * Only the split dimension and value are stored per node, and the centroids are copied in tree
 * order so a leaf scan reads consecutive memory. Every array is a plain typed array that may sit on
 * a SharedArrayBuffer, so worker threads query the tree the main thread built without copying it.
 */
export interface KdTreeArrays {
  readonly dim: number;
  readonly size: number;
  readonly leafSize: number;
  /** Centroid coordinates in tree order, `size * dim`. */
  readonly coords: Float32Array;
  /** Original centroid index of each tree position. */
  readonly perm: Int32Array;
  /** Tree position of each original centroid index (for warm starts). */
  readonly position: Int32Array;
  readonly splitDim: Int32Array;
  readonly splitValue: Float64Array;
}

export type ArrayAllocator = (bytes: number) => ArrayBuffer | SharedArrayBuffer;

const localAllocator: ArrayAllocator = (bytes) => new ArrayBuffer(bytes);

/** Depth of the deepest leaf: the larger half of a range of n has n - floor(n / 2) entries. */
function maxDepth(n: number, leafSize: number): number {
  let depth = 0;
  while (n > leafSize) {
    n -= n >>> 1;
    depth++;
  }
  return depth;
}

export function buildKdTree(centroids: Float32Array, dim: number, leafSize = 8, allocate: ArrayAllocator = localAllocator): KdTreeArrays {
  const size = centroids.length / dim;
  const numNodes = 2 ** (maxDepth(size, leafSize) + 1) - 1;
  const perm = new Int32Array(allocate(4 * size));
  for (let i = 0; i < size; i++) perm[i] = i;
  const splitDim = new Int32Array(allocate(4 * numNodes));
  const splitValue = new Float64Array(allocate(8 * numNodes));
  const lower = new Float64Array(dim);
  const upper = new Float64Array(dim);

  const split = (node: number, lo: number, hi: number): void => {
    if (hi - lo <= leafSize) return;
    // Split along the widest extent: keeps cells compact on thin detector layers, where a
    // round-robin choice of axis would cut across the layer thickness again and again.
    lower.fill(Infinity);
    upper.fill(-Infinity);
    for (let p = lo; p < hi; p++) {
      const base = perm[p] * dim;
      for (let c = 0; c < dim; c++) {
        const v = centroids[base + c];
        if (v < lower[c]) lower[c] = v;
        if (v > upper[c]) upper[c] = v;
      }
    }
    let axis = 0;
    for (let c = 1; c < dim; c++) if (upper[c] - lower[c] > upper[axis] - lower[axis]) axis = c;
    const mid = (lo + hi) >>> 1;
    selectNth(perm, centroids, dim, axis, lo, hi - 1, mid);
    splitDim[node] = axis;
    splitValue[node] = centroids[perm[mid] * dim + axis];
    split(2 * node + 1, lo, mid);
    split(2 * node + 2, mid, hi);
  };
  split(0, 0, size);

  const coords = new Float32Array(allocate(4 * size * dim));
  const position = new Int32Array(allocate(4 * size));
  for (let p = 0; p < size; p++) {
    const base = perm[p] * dim;
    for (let c = 0; c < dim; c++) coords[p * dim + c] = centroids[base + c];
    position[perm[p]] = p;
  }
  return { dim, size, leafSize, coords, perm, position, splitDim, splitValue };
}

/**
 * Hoare quickselect on `perm[lo..hi]` by coordinate `axis`: afterwards entry `kth` holds the kth
 * smallest, entries before it are <= and entries after it are >=. Stopping on equal keys keeps
 * ranges of duplicate centroids balanced instead of quadratic.
 */
function selectNth(perm: Int32Array, coords: Float32Array, dim: number, axis: number, lo: number, hi: number, kth: number): void {
  let l = lo;
  let r = hi;
  while (r > l) {
    const a = coords[perm[l] * dim + axis];
    const b = coords[perm[(l + r) >>> 1] * dim + axis];
    const c = coords[perm[r] * dim + axis];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = l;
    let j = r;
    while (i <= j) {
      while (coords[perm[i] * dim + axis] < pivot) i++;
      while (coords[perm[j] * dim + axis] > pivot) j--;
      if (i <= j) {
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        i++;
        j--;
      }
    }
    if (kth <= j) r = j;
    else if (kth >= i) l = i;
    else return;
  }
}

import { ConfigError, HyperTrackError, InputError } from '@hypertrack/core';
import { checkMinCount, transposeCMatrix, type CMatrix } from '../cmatrix/cmatrix';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import type { VoxdynModel } from '../model';
import { pointCount } from '../points';

/** Default edge budget: 2^28 edges are 2 GiB of src + dst, beyond any sane graph of one event. */
export const DEFAULT_MAX_EDGES = 2 ** 28;

export interface GraphOptions {
  /** Emit the self-loop (i, i) of hits whose cell connects to itself (default true, as the original). */
  readonly selfLoops?: boolean;
  /** Use only C entries backed by at least this many training tracks (default 1 = the original). */
  readonly minCount?: number;
  /** Fail with a HyperTrackError, before allocating, when the graph would have more edges (default 2^28). */
  readonly maxEdges?: number;
}

/**
 * Candidate edges of one event, sorted by (dst, src): the sources of hit j are
 * `src.subarray(offsets[j], offsets[j + 1])`, ascending. An edge (i, j) exists iff
 * C[cell(i), cell(j)] >= minCount.
 */
export interface VoxdynGraph {
  readonly numHits: number;
  readonly numEdges: number;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** CSR offsets by destination, `numHits + 1` entries. */
  readonly offsets: Int32Array;
  /** Cell of every hit. */
  readonly cells: Int32Array;
  /** Milliseconds spent finding cells (the original's time_L2) and building edges (time_A). */
  readonly timing: { readonly assignMs: number; readonly edgesMs: number };
}

/**
 * Builds graphs event after event from one model: the centroid index and the column view of C
 * (already cut at minCount) are made once here, not per event.
 */
export class GraphBuilder {
  readonly ncell: number;
  readonly dim: number;
  private readonly index: NearestCentroidIndex;
  /** C transposed and filtered: column v lists the cells u with C[u, v] >= minCount. */
  private readonly columns: CMatrix;
  private readonly selfLoops: boolean;
  private readonly maxEdges: number;

  constructor(model: Pick<VoxdynModel, 'centroids' | 'dim' | 'ncell' | 'cmatrix'>, options: GraphOptions = {}) {
    const minCount = options.minCount ?? 1;
    checkMinCount(minCount);
    const selfLoops = options.selfLoops ?? true;
    if (typeof selfLoops !== 'boolean') throw new ConfigError('selfLoops', `must be true or false, got ${String(selfLoops)}`);
    const maxEdges = options.maxEdges ?? DEFAULT_MAX_EDGES;
    if (!Number.isInteger(maxEdges) || maxEdges < 0 || maxEdges > 2 ** 31 - 1) {
      throw new ConfigError('maxEdges', `must be an integer in 0..2^31-1, got ${maxEdges}`);
    }
    if (model.cmatrix.ncell !== model.ncell) throw new InputError({ file: 'model' }, `C-matrix has ${model.cmatrix.ncell} cells but the model has ${model.ncell}`);
    this.ncell = model.ncell;
    this.dim = model.dim;
    this.selfLoops = selfLoops;
    this.maxEdges = maxEdges;
    this.index = NearestCentroidIndex.build(model.centroids, model.dim);
    if (this.index.size !== model.ncell) throw new InputError({ file: 'model' }, `has ${this.index.size} centroids but ncell = ${model.ncell}`);
    this.columns = transposeCMatrix(filterCounts(model.cmatrix, minCount));
  }

  build(points: Float32Array): VoxdynGraph {
    const n = pointCount(points, this.dim);
    const t0 = performance.now();
    const cells = this.index.assign(points);
    const t1 = performance.now();
    const { ncell } = this;
    const { indptr: colStart, indices: colRows } = this.columns;

    // Bucket hits per cell; a stable counting sort keeps each bucket in ascending hit order.
    const cellStart = new Int32Array(ncell + 1);
    for (let i = 0; i < n; i++) cellStart[cells[i] + 1]++;
    for (let c = 0; c < ncell; c++) cellStart[c + 1] += cellStart[c];
    const fill = cellStart.slice(0, ncell);
    const cellHits = new Int32Array(n);
    for (let i = 0; i < n; i++) cellHits[fill[cells[i]]++] = i;

    // Every hit of cell v has the same sources: the hits of all cells u with C[u, v], so the
    // degree (and the edge count, checked against the budget before any edge is stored) comes
    // from bucket sizes alone.
    const cellDegree = new Float64Array(ncell);
    const cellSelf = new Uint8Array(ncell);
    let total = 0;
    for (let v = 0; v < ncell; v++) {
      const occupancy = cellStart[v + 1] - cellStart[v];
      if (occupancy === 0) continue;
      let degree = 0;
      for (let e = colStart[v]; e < colStart[v + 1]; e++) {
        const u = colRows[e];
        degree += cellStart[u + 1] - cellStart[u];
        if (u === v) cellSelf[v] = 1;
      }
      if (!this.selfLoops && cellSelf[v]) degree--;
      cellDegree[v] = degree;
      total += degree * occupancy;
    }
    if (total > this.maxEdges) {
      throw new HyperTrackError(
        `voxdyn graph of ${n} hits would have ${total} edges, above the edge budget maxEdges = ${this.maxEdges}; raise maxEdges, raise minCount or use a model with more cells`,
      );
    }
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + cellDegree[cells[i]];
    const src = new Int32Array(total);
    const dst = new Int32Array(total);

    let sources = new Int32Array(1024);
    for (let v = 0; v < ncell; v++) {
      if (cellStart[v] === cellStart[v + 1]) continue;
      const size = cellDegree[v] + (!this.selfLoops && cellSelf[v] ? 1 : 0);
      if (sources.length < size) sources = new Int32Array(Math.max(size, 2 * sources.length));
      const k = gatherSources(v, colStart, colRows, cellStart, cellHits, sources);
      sortSmall(sources, k);
      writeCellEdges(cellStart[v], cellStart[v + 1], cellHits, offsets, sources, k, !this.selfLoops && cellSelf[v] === 1, src, dst);
    }
    const t2 = performance.now();
    return { numHits: n, numEdges: total, src, dst, offsets, cells, timing: { assignMs: t1 - t0, edgesMs: t2 - t1 } };
  }
}

/** One-off graph construction; prefer a GraphBuilder when processing several events. */
export function buildGraph(model: Pick<VoxdynModel, 'centroids' | 'dim' | 'ncell' | 'cmatrix'>, points: Float32Array, options: GraphOptions = {}): VoxdynGraph {
  return new GraphBuilder(model, options).build(points);
}

function filterCounts(c: CMatrix, minCount: number): CMatrix {
  if (minCount <= 1) return c;
  const indptr = new Int32Array(c.ncell + 1);
  let kept = 0;
  for (let e = 0; e < c.counts.length; e++) if (c.counts[e] >= minCount) kept++;
  const indices = new Int32Array(kept);
  const counts = new Uint32Array(kept);
  let k = 0;
  for (let u = 0; u < c.ncell; u++) {
    for (let e = c.indptr[u]; e < c.indptr[u + 1]; e++) {
      if (c.counts[e] >= minCount) {
        indices[k] = c.indices[e];
        counts[k++] = c.counts[e];
      }
    }
    indptr[u + 1] = k;
  }
  return { ncell: c.ncell, indptr, indices, counts };
}

/** Hits of every cell u with C[u, v], bucket after bucket (unsorted across buckets). */
function gatherSources(v: number, colStart: Int32Array, colRows: Int32Array, cellStart: Int32Array, cellHits: Int32Array, out: Int32Array): number {
  let k = 0;
  for (let e = colStart[v]; e < colStart[v + 1]; e++) {
    const u = colRows[e];
    for (let p = cellStart[u], end = cellStart[u + 1]; p < end; p++) out[k++] = cellHits[p];
  }
  return k;
}

/** Writes the shared source list of one cell to the edge slots of each of its hits. */
function writeCellEdges(
  h0: number,
  h1: number,
  cellHits: Int32Array,
  offsets: Int32Array,
  sources: Int32Array,
  k: number,
  skipSelf: boolean,
  src: Int32Array,
  dst: Int32Array,
): void {
  // Plain loops beat subarray set/fill here: source lists hold a few dozen entries.
  for (let p = h0; p < h1; p++) {
    const j = cellHits[p];
    let w = offsets[j];
    for (let q = 0; q < k; q++) {
      const i = sources[q];
      if (skipSelf && i === j) continue;
      src[w] = i;
      dst[w++] = j;
    }
  }
}

/** Ascending sort of the first k entries: insertion sort for short lists, native sort beyond. */
function sortSmall(a: Int32Array, k: number): void {
  if (k > 24) {
    a.subarray(0, k).sort();
    return;
  }
  for (let i = 1; i < k; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

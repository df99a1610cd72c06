import { ConfigError, HyperTrackError, InputError } from '@hypertrack/core';
import { checkMinCount, transposeCMatrix, type CMatrix } from '../cmatrix/cmatrix';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import type { VoxdynModel } from '../model';
import { pointCount } from '../points';
import { EdgeWorker } from './edge-worker';
import { writeCellRange, type CellArrays } from './edge-kernel';

/** Default edge budget: 2^28 edges are 2 GiB of src + dst, beyond any sane graph of one event. */
export const DEFAULT_MAX_EDGES = 2 ** 28;

export interface GraphOptions {
  /** Emit the self-loop (i, i) of hits whose cell connects to itself (default true, as the original). */
  readonly selfLoops?: boolean;
  /** Use only C entries backed by at least this many training tracks (default 1 = the original). */
  readonly minCount?: number;
  /** Fail with a HyperTrackError, before allocating, when the graph would have more edges (default 2^28). */
  readonly maxEdges?: number;
  /**
   * Threads writing edges: 1 (default) or 2, which hands half of the cells to a worker thread. With
   * 2, the returned arrays sit on SharedArrayBuffers; call `close()` when done with the builder.
   */
  readonly threads?: number;
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
  private readonly threads: number;
  private worker: EdgeWorker | undefined;

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
    const threads = options.threads ?? 1;
    if (threads !== 1 && threads !== 2) throw new ConfigError('threads', `must be 1 or 2, got ${threads}`);
    this.threads = threads;
    this.ncell = model.ncell;
    this.dim = model.dim;
    this.selfLoops = selfLoops;
    this.maxEdges = maxEdges;
    this.index = NearestCentroidIndex.build(model.centroids, model.dim);
    if (this.index.size !== model.ncell) throw new InputError({ file: 'model' }, `has ${this.index.size} centroids but ncell = ${model.ncell}`);
    const columns = transposeCMatrix(filterCounts(model.cmatrix, minCount));
    this.columns = threads > 1 ? { ...columns, indptr: sharedCopy(columns.indptr), indices: sharedCopy(columns.indices) } : columns;
  }

  /** Stops the worker thread of a two-thread builder (a no-op otherwise). */
  close(): void {
    this.worker?.close();
    this.worker = undefined;
  }

  build(points: Float32Array): VoxdynGraph {
    const n = pointCount(points, this.dim);
    const t0 = performance.now();
    const cells = this.index.assign(points);
    const t1 = performance.now();
    const { ncell } = this;
    const { indptr: colStart, indices: colRows } = this.columns;

    // Bucket hits per cell; a stable counting sort keeps each bucket in ascending hit order.
    const shared = this.threads > 1;
    const int32 = (length: number) => (shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length));
    const cellStart = int32(ncell + 1);
    for (let i = 0; i < n; i++) cellStart[cells[i] + 1]++;
    for (let c = 0; c < ncell; c++) cellStart[c + 1] += cellStart[c];
    const fill = cellStart.slice(0, ncell);
    const cellHits = int32(n);
    for (let i = 0; i < n; i++) cellHits[fill[cells[i]]++] = i;

    // Every hit of cell v has the same sources: the hits of all cells u with C[u, v], so the
    // degree (and the edge count, checked against the budget before any edge is stored) comes
    // from bucket sizes alone.
    const cellDegree = shared ? new Float64Array(new SharedArrayBuffer(8 * ncell)) : new Float64Array(ncell);
    const cellSelf = shared ? new Uint8Array(new SharedArrayBuffer(ncell)) : new Uint8Array(ncell);
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
    const offsets = int32(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + cellDegree[cells[i]];
    const src = int32(total);
    const dst = int32(total);

    const arrays: CellArrays = { colStart, colRows, cellStart, cellHits, cellDegree, cellSelf, offsets, src, dst };
    if (!shared) {
      writeCellRange(0, ncell, arrays, this.selfLoops);
    } else {
      // Cells split where half of the edges are written: the worker takes the upper part.
      let half = 0;
      let split = ncell;
      for (let v = 0; v < ncell; v++) {
        half += cellDegree[v] * (cellStart[v + 1] - cellStart[v]);
        if (half >= total / 2) {
          split = v + 1;
          break;
        }
      }
      this.worker ??= new EdgeWorker();
      this.worker.start(split, ncell, arrays, this.selfLoops);
      writeCellRange(0, split, arrays, this.selfLoops);
      this.worker.wait();
    }
    const t2 = performance.now();
    return { numHits: n, numEdges: total, src, dst, offsets, cells, timing: { assignMs: t1 - t0, edgesMs: t2 - t1 } };
  }
}

function sharedCopy(array: Int32Array): Int32Array {
  const copy = new Int32Array(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
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

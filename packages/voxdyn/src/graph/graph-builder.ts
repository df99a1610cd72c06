import { ConfigError, HyperTrackError, InputError } from '@hypertrack/core';
import { checkMinCount, type CMatrix } from '../cmatrix/cmatrix';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import type { VoxdynModel } from '../model';
import { pointCount } from '../points';
import { EdgeWorker } from './edge-worker';
import { compactRows, emitPairs, fillDst, lowerBound, pairPacking, scatterPairs, type EdgeArrays, type OutputArrays } from './edge-kernel';

/** Default edge budget: 2^28 edges are 2 GiB of src + dst, beyond any sane graph of one event. */
export const DEFAULT_MAX_EDGES = 2 ** 28;

export interface GraphOptions {
  /** Emit the self-loop (i, i) of hits whose cell connects to itself (default true, as the original). */
  readonly selfLoops?: boolean;
  /** Use only C entries backed by at least this many training tracks (default 1 = the original). */
  readonly minCount?: number;
  /** Fail with an EdgeBudgetError, before allocating, when the graph would have more edges (default 2^28). */
  readonly maxEdges?: number;
  /**
   * Threads building edges: 1 (default) or 2, which hands half of every phase of the edge kernel to
   * a worker thread. With 2, the returned arrays sit on SharedArrayBuffers; call `close()` when
   * done with the builder.
   */
  readonly threads?: number;
  /**
   * Write each graph into the arrays of the previous one (default false): `src`, `dst`, `offsets`
   * and `cells` then stay valid only until the next `build` or `close`. It saves the first-touch
   * cost of new memory (about 70 ms per 100 MB here, 8 bytes per edge) when graphs are used one
   * at a time.
   */
  readonly reuseOutput?: boolean;
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
 * Builds graphs event after event from one model: the centroid index and C cut at minCount are
 * made once here, not per event. The edge kernel (edge-kernel.ts) never sorts: hits are visited
 * in ascending order and appended, through radix partitions, to the source list of every cell
 * their cell connects to.
 */
/** A graph over its edge budget (`GraphOptions.maxEdges`), found before any edge is stored. */
export class EdgeBudgetError extends HyperTrackError {
  constructor(
    readonly hits: number,
    readonly edges: number,
    readonly maxEdges: number,
  ) {
    super(`voxdyn graph of ${hits} hits would have ${edges} edges, above the edge budget maxEdges = ${maxEdges}; raise maxEdges, raise minCount or use a model with more cells`);
  }
}

export class GraphBuilder {
  readonly ncell: number;
  readonly dim: number;
  private readonly index: NearestCentroidIndex;
  /** C cut at minCount: row u lists the cells v with C[u, v] >= minCount. */
  private readonly rows: CMatrix;
  private readonly selfLoops: boolean;
  private readonly maxEdges: number;
  private readonly threads: number;
  private readonly reuseOutput: boolean;
  private worker: EdgeWorker | undefined;
  private readonly work = new Map<string, Int32Array>();

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
    const reuseOutput = options.reuseOutput ?? false;
    if (typeof reuseOutput !== 'boolean') throw new ConfigError('reuseOutput', `must be true or false, got ${String(reuseOutput)}`);
    this.reuseOutput = reuseOutput;
    this.ncell = model.ncell;
    this.dim = model.dim;
    this.selfLoops = selfLoops;
    this.maxEdges = maxEdges;
    this.index = NearestCentroidIndex.build(model.centroids, model.dim);
    if (this.index.size !== model.ncell) throw new InputError({ file: 'model' }, `has ${this.index.size} centroids but ncell = ${model.ncell}`);
    const rows = filterCounts(model.cmatrix, minCount);
    this.rows = threads > 1 ? { ...rows, indptr: sharedCopy(rows.indptr), indices: sharedCopy(rows.indices) } : rows;
  }

  /** Stops the worker thread of a two-thread builder and drops the work arrays kept between events. */
  close(): void {
    this.worker?.close();
    this.worker = undefined;
    this.work.clear();
  }

  /**
   * A work array of `length` entries, zeroed when asked. Work arrays are kept from event to event:
   * writing into memory touched before is several times faster than into new pages (about 70 ms
   * per 100 MB of new pages on our machines), and the largest of them are as big as the edges.
   */
  private workArray(name: string, length: number, zero: boolean): Int32Array {
    const kept = this.work.get(name);
    if (kept !== undefined && kept.length >= length) {
      const view = kept.subarray(0, length);
      if (zero) view.fill(0);
      return view;
    }
    const capacity = length + (length >>> 3);
    const array = this.threads > 1 ? new Int32Array(new SharedArrayBuffer(4 * capacity)) : new Int32Array(capacity);
    this.work.set(name, array);
    return array.subarray(0, length);
  }

  build(points: Float32Array): VoxdynGraph {
    const n = pointCount(points, this.dim);
    const t0 = performance.now();
    const assigned = this.index.assign(points, this.reuseOutput ? { out: this.workArray('out.cells', n, false) } : {});
    const t1 = performance.now();
    const { ncell, selfLoops } = this;
    const { indptr: rowStart, indices: rowCols } = this.rows;
    const worker = this.threads > 1 ? (this.worker ??= new EdgeWorker()) : undefined;
    const shared = worker !== undefined;
    // Arrays handed back to the caller are new; work arrays are the builder's, reused from event to event.
    const int32 = (length: number) => (shared ? new Int32Array(new SharedArrayBuffer(4 * length)) : new Int32Array(length));
    const work = (name: string, length: number, zero: boolean) => this.workArray(name, length, zero);
    const cells = shared && !this.reuseOutput ? sharedCopy(assigned) : assigned;

    // Bucket hits per cell; a stable counting sort keeps each bucket in ascending hit order.
    const cellStart = work('cellStart', ncell + 1, true);
    for (let i = 0; i < n; i++) cellStart[cells[i] + 1]++;
    for (let c = 0; c < ncell; c++) cellStart[c + 1] += cellStart[c];
    const fill = work('cursor', ncell, false);
    fill.set(cellStart.subarray(0, ncell));
    const cellHits = work('cellHits', n, false);
    const occupied = work('occupied', (ncell + 31) >>> 5, true);
    for (let i = 0; i < n; i++) {
      const c = cells[i];
      cellHits[fill[c]++] = i;
      occupied[c >>> 5] |= 1 << (c & 31);
    }

    // Phase 1: rows of occupied cells cut down to occupied cells, and the degree of every cell
    // (all hits of cell v have the same sources: the hits of all cells u with C[u, v]). The cells
    // are split where half of the row entries are read; each thread compacts into its own region
    // (one spare slot each, for the branch-free write).
    let rowTotal = 0;
    for (let u = 0; u < ncell; u++) if (cellStart[u] !== cellStart[u + 1]) rowTotal += rowStart[u + 1] - rowStart[u];
    let uSplit = ncell;
    let rowHalf = 0;
    if (shared) {
      for (let u = 0; u < ncell; u++) {
        if (cellStart[u] === cellStart[u + 1]) continue;
        if (rowHalf + rowStart[u + 1] - rowStart[u] > rowTotal / 2) {
          uSplit = u;
          break;
        }
        rowHalf += rowStart[u + 1] - rowStart[u];
      }
    }
    // Pairs (v, i) go to partition v >>> shift; phase 2 splits the hits at iSplit, where about
    // half of the row entries are (a proxy for half of the pairs, known before phase 1).
    const { shift, hitBits, partitions } = pairPacking(ncell, n);
    let iSplit = n;
    if (shared) {
      const rowHits = rowHitTotal(rowStart, cells);
      let half = 0;
      for (let i = 0; i < n; i++) {
        half += rowStart[cells[i] + 1] - rowStart[cells[i]];
        if (2 * half >= rowHits) {
          iSplit = i + 1;
          break;
        }
      }
    }
    const cellSelf = work('cellSelf', ncell, true);
    const arrays: EdgeArrays = {
      rowStart,
      rowCols,
      cells,
      cellStart,
      cellHits,
      occupied,
      compact: work('compact', rowTotal + 2, false),
      compactStart: work('compactStart', ncell, false),
      compactEnd: work('compactEnd', ncell, false),
      cellSelf,
    };
    const degree = work('degree', ncell, true);
    const below = work('below', partitions, true);
    const above = work('above', partitions, true);
    if (worker) {
      const degree1 = work('degree1', ncell, true);
      const below1 = work('below1', partitions, true);
      const above1 = work('above1', partitions, true);
      worker.start({ phase: 1, arrays, u0: uSplit, u1: ncell, w0: rowHalf + 1, degree: degree1, shift, iSplit, below: below1, above: above1 });
      compactRows(0, uSplit, 0, arrays, degree, shift, iSplit, below, above);
      worker.wait();
      for (let v = 0; v < ncell; v++) degree[v] += degree1[v];
      for (let p = 0; p < partitions; p++) {
        below[p] += below1[p];
        above[p] += above1[p];
      }
    } else {
      compactRows(0, ncell, 0, arrays, degree, shift, iSplit, below, above);
    }

    // The edge count is known now, before any edge is stored: check it against the budget.
    let total = 0;
    let pairCount = 0;
    for (let v = 0; v < ncell; v++) {
      const occupancy = cellStart[v + 1] - cellStart[v];
      if (occupancy === 0) continue;
      pairCount += degree[v];
      if (!selfLoops && cellSelf[v]) degree[v]--;
      total += degree[v] * occupancy;
    }
    if (total > this.maxEdges) {
      worker?.release();
      throw new EdgeBudgetError(n, total, this.maxEdges);
    }
    const output = (name: string, length: number) => (this.reuseOutput ? work(`out.${name}`, length, false) : int32(length));
    const offsets = output('offsets', n + 1);
    offsets[0] = 0;
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + degree[cells[i]];
    const out: OutputArrays = { pairs: work('pairs', pairCount, false), degree, offsets, src: output('src', total), dst: output('dst', total), cursor: fill };

    // Phase 2: each thread's pairs of a partition follow the other's lower hits, so every
    // partition stays in ascending hit order.
    const bounds = work('bounds', partitions + 1, false);
    const heads = new Int32Array(partitions);
    const heads1 = work('heads1', partitions, false);
    for (let p = 0, at = 0; p < partitions; p++) {
      bounds[p] = at;
      heads[p] = at;
      heads1[p] = at + below[p];
      at += below[p] + above[p];
    }
    bounds[partitions] = pairCount;
    if (worker) {
      worker.start({ phase: 2, i0: iSplit, i1: n, shift, hitBits, heads: heads1, pairs: out.pairs });
      emitPairs(0, iSplit, arrays, shift, hitBits, heads, out.pairs);
      worker.wait();
    } else {
      emitPairs(0, n, arrays, shift, hitBits, heads, out.pairs);
    }

    // Phase 3: partitions split where half of the pairs are, destinations where half of the edges are.
    if (worker) {
      let pSplit = partitions;
      for (let p = 0; p < partitions; p++) {
        if (bounds[p + 1] >= pairCount / 2) {
          pSplit = p + 1;
          break;
        }
      }
      const jSplit = Math.min(n, lowerBound(offsets, 0, n + 1, Math.ceil(total / 2)));
      worker.start({ phase: 3, p0: pSplit, p1: partitions, out, shift, hitBits, bounds, selfLoops, j0: jSplit, j1: n });
      scatterPairs(0, pSplit, arrays, out, shift, hitBits, bounds, selfLoops);
      fillDst(0, jSplit, offsets, out.dst);
      worker.wait();
    } else {
      scatterPairs(0, partitions, arrays, out, shift, hitBits, bounds, selfLoops);
      fillDst(0, n, offsets, out.dst);
    }
    const t2 = performance.now();
    return { numHits: n, numEdges: total, src: out.src, dst: out.dst, offsets, cells, timing: { assignMs: t1 - t0, edgesMs: t2 - t1 } };
  }
}

/** Sum over hits of the length of their cell's row of C. */
function rowHitTotal(rowStart: Int32Array, cells: Int32Array): number {
  let total = 0;
  for (let i = 0; i < cells.length; i++) total += rowStart[cells[i] + 1] - rowStart[cells[i]];
  return total;
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

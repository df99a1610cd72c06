import { ConfigError, HyperTrackError, InputError } from '@hypertrack/core';
import { checkMembership, groupByTrack, pointCount } from '../points';
import { checkNode2Node, trackTopology, type LocalEdges, type Node2Node } from '../topology/topology';
import type { CMatrix } from './cmatrix';

/** Typed arrays beyond this many entries are not reliably allocatable in V8. */
const MAX_CAPACITY = 2 ** 30;
/** Rows are split into at most this many contiguous ranges, each with its own key buffer. */
const MAX_BUCKETS = 4096;

/**
 * Streams training tracks into a sparse cell-to-cell matrix with the number of tracks behind each
 * entry, then emits CSR. Unlike the original's fixed buffer, it never stops filling: it grows, or
 * fails loudly when memory runs out.
 *
 * Each (u, v) increment is appended as the key u * ncell + v to the bucket of its row range;
 * a bucket sorts and run-length merges its pending keys once they outnumber its merged entries.
 * Appends are sequential writes into a few thousand buffers, not random probes into a table of
 * hundreds of millions of slots (the open-addressing hash table this replaced took 70 s instead of
 * 23 s for 100 mu = 200 events and 83M entries: nearly every increment was a cache and TLB miss),
 * and finishing is a concatenation of the sorted buckets.
 */
export class CMatrixAccumulator {
  readonly ncell: number;
  private readonly shift: number;
  private readonly buckets: KeyBucket[];
  private readonly scratch = new MergeScratch();
  private trackKeys = new Float64Array(1024);
  private tracksSeen = 0;
  private eventsSeen = 0;
  private pointsSeen = 0;

  /** `initialCapacity` is the number of pending keys first allocated, spread over the buckets. */
  constructor(ncell: number, initialCapacity = 1 << 16) {
    if (!Number.isInteger(ncell) || ncell < 1 || ncell > 2 ** 26) throw new ConfigError('ncell', `must be an integer in 1..2^26 (cell-pair keys u * ncell + v stay exact doubles), got ${ncell}`);
    this.ncell = ncell;
    const rowBits = Math.ceil(Math.log2(ncell));
    this.shift = Math.max(0, rowBits - Math.log2(MAX_BUCKETS));
    const count = ((ncell - 1) >>> this.shift) + 1;
    const perBucket = Math.max(16, Math.ceil(initialCapacity / count));
    this.buckets = Array.from({ length: count }, () => new KeyBucket(perBucket));
  }

  /** Distinct (u, v) entries so far (merges the pending keys of every bucket first). */
  get entries(): number {
    let total = 0;
    for (const bucket of this.buckets) {
      bucket.compact(this.scratch);
      total += bucket.length;
    }
    return total;
  }
  get tracks(): number {
    return this.tracksSeen;
  }
  get events(): number {
    return this.eventsSeen;
  }
  /** Track points (noise excluded) of the events added. */
  get points(): number {
    return this.pointsSeen;
  }

  /**
   * Adds one track: `cells[a]` is the cell of its local hit a and `edges` its truth edges in local
   * indices. Each distinct cell pair counts once per track, however many hit pairs map onto it.
   */
  addTrack(cells: Int32Array, edges: LocalEdges): void {
    const ne = edges.src.length;
    if (this.trackKeys.length < ne) this.trackKeys = new Float64Array(Math.max(ne, 2 * this.trackKeys.length));
    const keys = this.trackKeys.subarray(0, ne);
    const n = this.ncell;
    for (let e = 0; e < ne; e++) {
      const u = cells[edges.src[e]];
      const v = cells[edges.dst[e]];
      if (!(u >= 0 && u < n && v >= 0 && v < n)) throw new InputError({ file: 'cells' }, `cell ${u < 0 || u >= n ? u : v} is outside 0..${n - 1}`);
      keys[e] = u * n + v;
    }
    keys.sort();
    for (let e = 0; e < ne; e++) {
      if (e > 0 && keys[e] === keys[e - 1]) continue;
      const u = Math.floor(keys[e] / n);
      this.buckets[u >>> this.shift].push(keys[e], this.scratch);
    }
    this.tracksSeen++;
  }

  /**
   * Adds every track of one event. `cells` holds the cell of every point (noise may be included;
   * it is ignored). For hyper the cell pairs are all pairs of the track's distinct cells, which
   * skips materialising the m^2 hit pairs.
   */
  addEvent(mode: Node2Node, points: Float32Array, dim: number, membership: Int32Array, cells: Int32Array): void {
    checkNode2Node(mode);
    const n = pointCount(points, dim);
    checkMembership(membership, n);
    if (cells.length !== n) throw new InputError({ file: 'cells' }, `has ${cells.length} entries but there are ${n} points`);
    const { numTracks, start, hits } = groupByTrack(membership);
    let local = new Int32Array(64);
    for (let t = 0; t < numTracks; t++) {
      const m = start[t + 1] - start[t];
      if (m === 0) continue;
      const trackHits = hits.subarray(start[t], start[t + 1]);
      if (local.length < m) local = new Int32Array(2 * m);
      const trackCells = local.subarray(0, m);
      for (let a = 0; a < m; a++) trackCells[a] = cells[trackHits[a]];
      if (mode === 'hyper') this.addHyperTrack(trackCells);
      else this.addTrack(trackCells, trackTopology(mode, points, dim, trackHits));
    }
    this.eventsSeen++;
    this.pointsSeen += hits.length;
  }

  private addHyperTrack(cells: Int32Array): void {
    const n = this.ncell;
    const sorted = cells.slice().sort();
    let k = 0;
    for (let a = 0; a < sorted.length; a++) {
      const u = sorted[a];
      if (!(u >= 0 && u < n)) throw new InputError({ file: 'cells' }, `cell ${u} is outside 0..${n - 1}`);
      if (a === 0 || u !== sorted[a - 1]) sorted[k++] = u;
    }
    for (let a = 0; a < k; a++) {
      const u = sorted[a];
      const bucket = this.buckets[u >>> this.shift];
      const base = u * n;
      for (let b = 0; b < k; b++) bucket.push(base + sorted[b], this.scratch);
    }
    this.tracksSeen++;
  }

  /**
   * The accumulated matrix as CSR with ascending rows and, within a row, ascending columns.
   * Buckets cover ascending row ranges and hold sorted keys, so this is one pass over them.
   */
  finish(): CMatrix {
    const n = this.ncell;
    const nnz = this.entries;
    const indptr = new Int32Array(n + 1);
    const indices = new Int32Array(nnz);
    const counts = new Uint32Array(nnz);
    let p = 0;
    for (const bucket of this.buckets) {
      const keys = bucket.keys;
      for (let i = 0; i < bucket.length; i++, p++) {
        const u = Math.floor(keys[i] / n);
        indptr[u + 1]++;
        indices[p] = keys[i] - u * n;
      }
      counts.set(bucket.counts.subarray(0, bucket.length), p - bucket.length);
    }
    for (let u = 0; u < n; u++) indptr[u + 1] += indptr[u];
    return { ncell: n, indptr, indices, counts };
  }
}

/** Reusable arrays for run-length encoding a bucket's sorted pending keys. */
class MergeScratch {
  keys = new Float64Array(0);
  counts = new Uint32Array(0);

  ensure(size: number): void {
    if (this.keys.length >= size) return;
    const capacity = Math.max(size, 2 * this.keys.length);
    this.keys = allocate(capacity, Float64Array, 'merge buffer');
    this.counts = allocate(capacity, Uint32Array, 'merge buffer');
  }
}

/** The keys of one row range: merged (sorted, distinct, with counts) and pending (appended). */
class KeyBucket {
  keys = new Float64Array(0);
  counts = new Uint32Array(0);
  length = 0;
  private pending: Float64Array;
  private pendingLength = 0;

  constructor(initialPending: number) {
    this.pending = new Float64Array(initialPending);
  }

  push(key: number, scratch: MergeScratch): void {
    if (this.pendingLength === this.pending.length) {
      // Merging costs a sort of the pending keys plus a pass over the merged ones: let the
      // pending buffer grow to the merged size first, so each key is merged O(log) times.
      if (this.pending.length < Math.max(1024, this.length)) {
        const grown = allocate(2 * this.pending.length, Float64Array, 'key buffer');
        grown.set(this.pending);
        this.pending = grown;
      } else {
        this.compact(scratch);
      }
    }
    this.pending[this.pendingLength++] = key;
  }

  /** Sorts the pending keys, counts repeats and merges them into the sorted distinct keys. */
  compact(scratch: MergeScratch): void {
    const m = this.pendingLength;
    if (m === 0) return;
    const pending = this.pending.subarray(0, m);
    pending.sort();
    scratch.ensure(m);
    const runKeys = scratch.keys;
    const runCounts = scratch.counts;
    let runs = 0;
    for (let i = 0; i < m; i++) {
      if (runs > 0 && pending[i] === runKeys[runs - 1]) runCounts[runs - 1]++;
      else {
        runKeys[runs] = pending[i];
        runCounts[runs++] = 1;
      }
    }
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const oldLength = this.length;
    const capacity = oldLength + runs;
    const keys = oldKeys.length >= capacity && oldLength === 0 ? oldKeys : allocate(capacity, Float64Array, 'C-matrix row range');
    const counts = oldCounts.length >= capacity && oldLength === 0 ? oldCounts : allocate(capacity, Uint32Array, 'C-matrix row range');
    let a = 0;
    let b = 0;
    let out = 0;
    while (a < oldLength && b < runs) {
      if (oldKeys[a] < runKeys[b]) {
        keys[out] = oldKeys[a];
        counts[out++] = oldCounts[a++];
      } else if (oldKeys[a] > runKeys[b]) {
        keys[out] = runKeys[b];
        counts[out++] = runCounts[b++];
      } else {
        keys[out] = oldKeys[a];
        counts[out++] = oldCounts[a++] + runCounts[b++];
      }
    }
    while (a < oldLength) {
      keys[out] = oldKeys[a];
      counts[out++] = oldCounts[a++];
    }
    while (b < runs) {
      keys[out] = runKeys[b];
      counts[out++] = runCounts[b++];
    }
    this.keys = keys;
    this.counts = counts;
    this.length = out;
    this.pendingLength = 0;
  }
}

function allocate<T extends Float64Array | Uint32Array>(size: number, Type: { new (size: number): T }, what: string): T {
  if (size > MAX_CAPACITY) throw new HyperTrackError(`C-matrix accumulator is full: a ${what} cannot grow past ${MAX_CAPACITY} entries; use fewer training events`);
  try {
    return new Type(size);
  } catch (error) {
    throw new HyperTrackError(`C-matrix accumulator cannot allocate a ${what} of ${size} entries: ${(error as Error).message}`);
  }
}

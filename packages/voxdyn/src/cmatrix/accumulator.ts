import { ConfigError, HyperTrackError, InputError } from '@hypertrack/core';
import { checkMembership, groupByTrack, pointCount } from '../points';
import { checkNode2Node, trackTopology, type LocalEdges, type Node2Node } from '../topology/topology';
import type { CMatrix } from './cmatrix';

const EMPTY = -1;
/** Typed arrays beyond this many entries are not reliably allocatable in V8. */
const MAX_CAPACITY = 2 ** 30;

/**
 * Streams training tracks into a growable open-addressing hash of (u, v) -> number of tracks,
 * then emits CSR. Unlike the original's fixed buffer, it never stops filling: it grows, or fails
 * loudly when memory runs out.
 */
export class CMatrixAccumulator {
  readonly ncell: number;
  private rows: Int32Array;
  private cols: Int32Array;
  private counts: Uint32Array;
  private mask: number;
  private used = 0;
  private scratch = new Float64Array(1024);
  private tracksSeen = 0;
  private eventsSeen = 0;
  private pointsSeen = 0;

  constructor(ncell: number, initialCapacity = 1 << 16) {
    if (!Number.isInteger(ncell) || ncell < 1 || ncell > 2 ** 26) throw new ConfigError('ncell', `must be an integer in 1..2^26 (cell-pair keys u * ncell + v stay exact doubles), got ${ncell}`);
    let capacity = 1024;
    while (capacity < initialCapacity) capacity *= 2;
    this.ncell = ncell;
    this.rows = new Int32Array(capacity).fill(EMPTY);
    this.cols = new Int32Array(capacity);
    this.counts = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Distinct (u, v) entries so far. */
  get entries(): number {
    return this.used;
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
    if (this.scratch.length < ne) this.scratch = new Float64Array(Math.max(ne, 2 * this.scratch.length));
    const keys = this.scratch.subarray(0, ne);
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
      this.increment(u, keys[e] - u * n);
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
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) this.increment(sorted[a], sorted[b]);
    this.tracksSeen++;
  }

  private increment(u: number, v: number): void {
    let slot = hashPair(u, v) & this.mask;
    const rows = this.rows;
    const cols = this.cols;
    for (;;) {
      const r = rows[slot];
      if (r === EMPTY) break;
      if (r === u && cols[slot] === v) {
        this.counts[slot]++;
        return;
      }
      slot = (slot + 1) & this.mask;
    }
    rows[slot] = u;
    cols[slot] = v;
    this.counts[slot] = 1;
    this.used++;
    if (2 * this.used > this.mask + 1) this.grow();
  }

  private grow(): void {
    const capacity = 2 * (this.mask + 1);
    if (capacity > MAX_CAPACITY) {
      throw new HyperTrackError(`C-matrix accumulator is full: ${this.used} distinct cell pairs cannot grow past ${MAX_CAPACITY / 2}; use fewer cells or fewer training events`);
    }
    let rows: Int32Array, cols: Int32Array, counts: Uint32Array;
    try {
      rows = new Int32Array(capacity).fill(EMPTY);
      cols = new Int32Array(capacity);
      counts = new Uint32Array(capacity);
    } catch (error) {
      throw new HyperTrackError(`C-matrix accumulator cannot grow to ${capacity} slots (${this.used} distinct cell pairs): ${(error as Error).message}`);
    }
    const mask = capacity - 1;
    for (let s = 0; s <= this.mask; s++) {
      const u = this.rows[s];
      if (u === EMPTY) continue;
      const v = this.cols[s];
      let slot = hashPair(u, v) & mask;
      while (rows[slot] !== EMPTY) slot = (slot + 1) & mask;
      rows[slot] = u;
      cols[slot] = v;
      counts[slot] = this.counts[s];
    }
    this.rows = rows;
    this.cols = cols;
    this.counts = counts;
    this.mask = mask;
  }

  /**
   * The accumulated matrix as CSR with ascending rows. Entries are first compacted in slot order
   * (a sequential scan), bucketed by row with a counting sort, then each short row is sorted by
   * column: random access stays within the compact arrays, not the sparse hash table.
   */
  finish(): CMatrix {
    const n = this.ncell;
    const nnz = this.used;
    const indptr = new Int32Array(n + 1);
    for (let s = 0; s <= this.mask; s++) if (this.rows[s] !== EMPTY) indptr[this.rows[s] + 1]++;
    for (let u = 0; u < n; u++) indptr[u + 1] += indptr[u];
    const fill = indptr.slice(0, n);
    const indices = new Int32Array(nnz);
    const counts = new Uint32Array(nnz);
    for (let s = 0; s <= this.mask; s++) {
      const u = this.rows[s];
      if (u === EMPTY) continue;
      const p = fill[u]++;
      indices[p] = this.cols[s];
      counts[p] = this.counts[s];
    }
    for (let u = 0; u < n; u++) sortRow(indices, counts, indptr[u], indptr[u + 1]);
    return { ncell: n, indptr, indices, counts };
  }
}

/** Sorts entries lo..hi-1 by column, carrying the counts along. */
function sortRow(indices: Int32Array, counts: Uint32Array, lo: number, hi: number): void {
  if (hi - lo <= 32) {
    for (let i = lo + 1; i < hi; i++) {
      const v = indices[i];
      const c = counts[i];
      let j = i - 1;
      while (j >= lo && indices[j] > v) {
        indices[j + 1] = indices[j];
        counts[j + 1] = counts[j];
        j--;
      }
      indices[j + 1] = v;
      counts[j + 1] = c;
    }
    return;
  }
  // Keys col * 2^26 + position stay exact doubles (col < 2^26) and sort natively.
  const m = hi - lo;
  const keys = new Float64Array(m);
  for (let k = 0; k < m; k++) keys[k] = indices[lo + k] * 67108864 + k;
  keys.sort();
  const cnts = counts.slice(lo, hi);
  for (let k = 0; k < m; k++) {
    const col = Math.floor(keys[k] / 67108864);
    indices[lo + k] = col;
    counts[lo + k] = cnts[keys[k] - col * 67108864];
  }
}

function hashPair(u: number, v: number): number {
  let h = Math.imul(u, 0x9e3779b1) ^ Math.imul(v + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

// The edge kernel of GraphBuilder. Self-contained (no imports, no module state), because a worker
// thread runs the source text of these functions.
//
// The sources of every hit of cell v are the hits i with C[cell(i), v], ascending. Instead of
// gathering and sorting them per cell, hits are visited in ascending order and each is appended to
// the list of every cell its own cell connects to, so each list comes out sorted with no
// comparison at all. To keep those appends in cache they go through radix partitions of the
// destination cells: first into one of P partitions (P write heads), then, partition by partition,
// into the per-cell lists. The list of cell v is written straight into the edge slots of its first
// hit, and copied (copyWithin) to the slots of its other hits.
//
// Phases (two threads split each one; barriers between them):
//   1. compactRows   (cells u):    keep the cells v of row u of C that hold hits; degree of v;
//                                  pairs (v, i) per partition of v (and per thread of phase 2).
//   2. emitPairs     (hits i):     write the pairs, packed in one int32, partition after partition.
//   3. scatterPairs  (partitions): per-cell lists in the edge slots, copies to the other hits; fillDst.

/** Arrays read and written by the phases (on SharedArrayBuffers in two-thread builds). */
export interface EdgeArrays {
  /** C at minCount, rows (CSR): row u lists the cells v with C[u, v] >= minCount, ascending. */
  readonly rowStart: Int32Array;
  readonly rowCols: Int32Array;
  /** Cell of each hit. */
  readonly cells: Int32Array;
  /** Hits bucketed per cell (counting sort, so each bucket ascends). */
  readonly cellStart: Int32Array;
  readonly cellHits: Int32Array;
  /** Bit v set iff cell v holds a hit. */
  readonly occupied: Int32Array;
  /** Compacted rows: the occupied cells of row u are compact[compactStart[u] .. compactEnd[u]). */
  readonly compact: Int32Array;
  readonly compactStart: Int32Array;
  readonly compactEnd: Int32Array;
  /** 1 iff C[v, v] >= minCount for an occupied cell v. */
  readonly cellSelf: Int32Array;
}

/** Arrays of phases 2 and 3, allocated once phase 1 has counted the edges. */
export interface OutputArrays {
  /** Packed pairs ((v & lowMask) << hitBits | i), partition after partition. */
  readonly pairs: Int32Array;
  /** Final degree per occupied cell (self-loop removed when skipped). */
  readonly degree: Int32Array;
  readonly offsets: Int32Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** Per-cell write cursor of phase 3. */
  readonly cursor: Int32Array;
}

/**
 * How pairs (v, i) are packed in one int32: ((v & (2^shift - 1)) << hitBits) | i, in partition
 * v >>> shift. At least 2^8 partitions (or one per cell for fewer cells), more when cell and hit
 * bits would not fit in 32 bits together.
 */
export function pairPacking(ncell: number, n: number): { readonly shift: number; readonly hitBits: number; readonly partitions: number } {
  const cellBits = Math.max(1, 32 - Math.clz32(Math.max(1, ncell - 1)));
  const hitBits = Math.max(1, 32 - Math.clz32(Math.max(1, n - 1)));
  const partitionBits = Math.min(cellBits, Math.max(Math.min(8, cellBits), cellBits + hitBits - 32));
  return { shift: cellBits - partitionBits, hitBits, partitions: 2 ** partitionBits };
}

/**
 * Phase 1, cells [u0, u1): writes the occupied cells of each occupied row u to `compact` from
 * position w0 (a region of at least the summed row lengths + 1 entries), adds the occupancy of u
 * to the degree of each of them in `degree`, flags C[u, u], and counts the pairs (v, i) of each
 * partition (v >>> shift): those of hits i < iSplit in `below`, the others in `above`. Returns
 * the end position.
 */
export function compactRows(
  u0: number,
  u1: number,
  w0: number,
  a: EdgeArrays,
  degree: Int32Array,
  shift: number,
  iSplit: number,
  below: Int32Array,
  above: Int32Array,
): number {
  const { rowStart, rowCols, cellStart, cellHits, occupied, compact, compactStart, compactEnd, cellSelf } = a;
  let w = w0;
  for (let u = u0; u < u1; u++) {
    const h0 = cellStart[u];
    const h1 = cellStart[u + 1];
    if (h0 === h1) continue;
    const start = w;
    // Branch-free: the entry is always written, and kept (w advances) iff its cell is occupied.
    for (let e = rowStart[u], end = rowStart[u + 1]; e < end; e++) {
      const v = rowCols[e];
      compact[w] = v;
      w += (occupied[v >>> 5] >>> (v & 31)) & 1;
    }
    compactStart[u] = start;
    compactEnd[u] = w;
    const occupancy = h1 - h0;
    let low = 0;
    while (low < occupancy && cellHits[h0 + low] < iSplit) low++;
    const high = occupancy - low;
    for (let e = start; e < w; e++) {
      const v = compact[e];
      degree[v] += occupancy;
      below[v >>> shift] += low;
      above[v >>> shift] += high;
      if (v === u) cellSelf[u] = 1;
    }
  }
  return w;
}

/** Phase 2, hits [i0, i1) in ascending order: writes each pair at its partition's head (advanced). */
export function emitPairs(i0: number, i1: number, a: EdgeArrays, shift: number, hitBits: number, heads: Int32Array, pairs: Int32Array): void {
  const { cells, compact, compactStart, compactEnd } = a;
  const lowMask = (1 << shift) - 1;
  for (let i = i0; i < i1; i++) {
    const u = cells[i];
    for (let e = compactStart[u], end = compactEnd[u]; e < end; e++) {
      const v = compact[e];
      pairs[heads[v >>> shift]++] = ((v & lowMask) << hitBits) | i;
    }
  }
}

/**
 * Phase 3, partitions [p0, p1) (cells [p0 << shift, p1 << shift)): fills the source list of each
 * occupied cell into the edge slots of its first hit (`bounds[p]` .. `bounds[p + 1]` are partition
 * p's pairs), then copies it to the slots of its other hits, leaving out the hit itself when
 * self-loops are skipped.
 */
export function scatterPairs(
  p0: number,
  p1: number,
  a: EdgeArrays,
  o: OutputArrays,
  shift: number,
  hitBits: number,
  bounds: Int32Array,
  selfLoops: boolean,
): void {
  const { cellStart, cellHits, cellSelf } = a;
  const { pairs, degree, offsets, src, cursor } = o;
  const hitMask = hitBits >= 31 ? 0x7fffffff : (1 << hitBits) - 1;
  const v0 = p0 << shift;
  const v1 = Math.min(p1 * 2 ** shift, cellSelf.length);
  for (let v = v0; v < v1; v++) if (cellStart[v] !== cellStart[v + 1]) cursor[v] = offsets[cellHits[cellStart[v]]];
  for (let p = p0; p < p1; p++) {
    const base = p << shift;
    if (selfLoops) {
      for (let q = bounds[p], end = bounds[p + 1]; q < end; q++) {
        const x = pairs[q];
        src[cursor[base + (x >>> hitBits)]++] = x & hitMask;
      }
    } else {
      // The first hit of v does not list itself; its pair (v, i) is the only one with i === first.
      for (let q = bounds[p], end = bounds[p + 1]; q < end; q++) {
        const x = pairs[q];
        const v = base + (x >>> hitBits);
        const i = x & hitMask;
        if (i !== cellHits[cellStart[v]]) src[cursor[v]++] = i;
      }
    }
  }
  for (let v = v0; v < v1; v++) {
    const h0 = cellStart[v];
    const h1 = cellStart[v + 1];
    if (h1 - h0 < 2) continue;
    const first = cellHits[h0];
    const at = offsets[first];
    const k = degree[v];
    if (selfLoops || cellSelf[v] === 0) {
      for (let p = h0 + 1; p < h1; p++) src.copyWithin(offsets[cellHits[p]], at, at + k);
      continue;
    }
    // The stored list is S \ {first}; hit j (> first) needs S \ {j}: insert first, drop j.
    const end = at + k;
    const p0 = lowerBound(src, at, end, first);
    for (let p = h0 + 1; p < h1; p++) {
      const j = cellHits[p];
      const pj = lowerBound(src, p0, end, j);
      let w = offsets[j];
      src.copyWithin(w, at, p0);
      w += p0 - at;
      src[w++] = first;
      src.copyWithin(w, p0, pj);
      w += pj - p0;
      src.copyWithin(w, pj + 1, end);
    }
  }
}

/** Destination of every edge slot of hits [j0, j1). */
export function fillDst(j0: number, j1: number, offsets: Int32Array, dst: Int32Array): void {
  for (let j = j0; j < j1; j++) dst.fill(j, offsets[j], offsets[j + 1]);
}

/** First position in [lo, hi) of the ascending `a` holding a value >= x. */
export function lowerBound(a: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

// The edge-writing kernel of GraphBuilder. Self-contained (no imports), because a worker thread
// runs the source text of these functions.

/** The per-build arrays a cell range reads and writes (shared with the worker in two-thread builds). */
export interface CellArrays {
  readonly colStart: Int32Array;
  readonly colRows: Int32Array;
  readonly cellStart: Int32Array;
  readonly cellHits: Int32Array;
  readonly cellDegree: Float64Array;
  readonly cellSelf: Uint8Array;
  readonly offsets: Int32Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

/**
 * Writes the edges into the hits of cells [v0, v1). Self-contained apart from the three helpers
 * below, because the worker thread runs its source text.
 */
export function writeCellRange(v0: number, v1: number, a: CellArrays, selfLoops: boolean): void {
  let sources = new Int32Array(1024);
  for (let v = v0; v < v1; v++) {
    if (a.cellStart[v] === a.cellStart[v + 1]) continue;
    const size = a.cellDegree[v] + (!selfLoops && a.cellSelf[v] ? 1 : 0);
    if (sources.length < size) sources = new Int32Array(Math.max(size, 2 * sources.length));
    const k = gatherSources(v, a.colStart, a.colRows, a.cellStart, a.cellHits, sources);
    sortSmall(sources, k);
    writeCellEdges(a.cellStart[v], a.cellStart[v + 1], a.cellHits, a.offsets, sources, k, !selfLoops && a.cellSelf[v] === 1, a.src, a.dst);
  }
}

/** Hits of every cell u with C[u, v], bucket after bucket (unsorted across buckets). */
export function gatherSources(v: number, colStart: Int32Array, colRows: Int32Array, cellStart: Int32Array, cellHits: Int32Array, out: Int32Array): number {
  let k = 0;
  for (let e = colStart[v]; e < colStart[v + 1]; e++) {
    const u = colRows[e];
    for (let p = cellStart[u], end = cellStart[u + 1]; p < end; p++) out[k++] = cellHits[p];
  }
  return k;
}

/** Writes the shared source list of one cell to the edge slots of each of its hits. */
export function writeCellEdges(
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
export function sortSmall(a: Int32Array, k: number): void {
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

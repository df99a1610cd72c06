import { ConfigError, InputError } from '@hypertrack/core';

/**
 * Cell-to-cell connectivity as CSR: row u lists, in ascending order, the cells v with C[u, v] > 0
 * and `counts` holds how many training tracks produced each entry. The original's boolean matrix
 * is the pattern of this one (min count 1).
 */
export interface CMatrix {
  readonly ncell: number;
  /** Row offsets, `ncell + 1` entries. */
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly counts: Uint32Array;
}

/** Structural checks of a C-matrix from an untrusted source; `where` names it in the error. */
export function checkCMatrix(c: CMatrix, where = 'cmatrix'): void {
  const fail = (reason: string): never => {
    throw new InputError({ file: where }, reason);
  };
  if (!Number.isInteger(c.ncell) || c.ncell < 1) fail(`ncell must be an integer >= 1, got ${c.ncell}`);
  if (c.indptr.length !== c.ncell + 1) fail(`indptr has ${c.indptr.length} entries, expected ncell + 1 = ${c.ncell + 1}`);
  const nnz = c.indices.length;
  if (c.counts.length !== nnz) fail(`counts has ${c.counts.length} entries but indices has ${nnz}`);
  if (c.indptr[0] !== 0 || c.indptr[c.ncell] !== nnz) fail(`indptr must run from 0 to ${nnz}`);
  for (let u = 0; u < c.ncell; u++) {
    const a = c.indptr[u];
    const b = c.indptr[u + 1];
    if (b < a) fail(`indptr decreases at row ${u}`);
    for (let e = a; e < b; e++) {
      const v = c.indices[e];
      if (v < 0 || v >= c.ncell) fail(`entry ${e} of row ${u} names cell ${v}, outside 0..${c.ncell - 1}`);
      if (e > a && v <= c.indices[e - 1]) fail(`row ${u} is not strictly ascending at entry ${e}`);
      if (c.counts[e] === 0) fail(`entry ${e} of row ${u} has count 0`);
    }
  }
}

export function checkMinCount(minCount: number): void {
  if (!Number.isInteger(minCount) || minCount < 1 || minCount > 0xffffffff) {
    throw new ConfigError('minCount', `must be an integer >= 1, got ${minCount}`);
  }
}

/** Column-major copy (the CSR of C transposed), so graph construction can walk C[., v]. */
export function transposeCMatrix(c: CMatrix): CMatrix {
  const { ncell, indptr, indices, counts } = c;
  const nnz = indices.length;
  const tIndptr = new Int32Array(ncell + 1);
  for (let e = 0; e < nnz; e++) tIndptr[indices[e] + 1]++;
  for (let v = 0; v < ncell; v++) tIndptr[v + 1] += tIndptr[v];
  const fill = tIndptr.slice(0, ncell);
  const tIndices = new Int32Array(nnz);
  const tCounts = new Uint32Array(nnz);
  // Rows are visited in ascending order, so each column comes out sorted.
  for (let u = 0; u < ncell; u++) {
    for (let e = indptr[u]; e < indptr[u + 1]; e++) {
      const p = fill[indices[e]]++;
      tIndices[p] = u;
      tCounts[p] = counts[e];
    }
  }
  return { ncell, indptr: tIndptr, indices: tIndices, counts: tCounts };
}

/** Entries kept at a minimum count, and their share of all ncell^2 cell pairs. */
export function cmatrixDensity(c: CMatrix, minCount = 1): { readonly entries: number; readonly density: number } {
  checkMinCount(minCount);
  let entries = 0;
  for (let e = 0; e < c.counts.length; e++) if (c.counts[e] >= minCount) entries++;
  return { entries, density: entries / (c.ncell * c.ncell) };
}

/** Looks up C[u, v] (0 when absent) by binary search in row u. */
export function cmatrixCount(c: CMatrix, u: number, v: number): number {
  let lo = c.indptr[u];
  let hi = c.indptr[u + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = c.indices[mid];
    if (x === v) return c.counts[mid];
    if (x < v) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

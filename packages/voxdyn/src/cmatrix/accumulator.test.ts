import { Rng } from '@hypertrack/core';
import { CMatrixAccumulator } from './accumulator';
import { checkCMatrix, cmatrixCount, cmatrixDensity, transposeCMatrix } from './cmatrix';

describe('CMatrixAccumulator', () => {
  it('counts each cell pair once per track and emits sorted CSR', () => {
    const acc = new CMatrixAccumulator(5);
    // Points 0..5 in cells [3, 1, 3, 0, 4, 4]; tracks {0,1,2} and {3,4,5}, point 6 noise.
    const points = new Float32Array(7);
    const cells = Int32Array.from([3, 1, 3, 0, 4, 4, 2]);
    const membership = Int32Array.from([0, 0, 0, 1, 1, 1, -1]);
    acc.addEvent('hyper', points, 1, membership, cells);
    acc.addEvent('hyper', points, 1, Int32Array.from([0, 0, -1, -1, -1, -1, -1]), cells);
    const c = acc.finish();
    checkCMatrix(c);
    expect(Array.from(c.indptr)).toEqual([0, 2, 4, 4, 6, 8]);
    expect(Array.from(c.indices)).toEqual([0, 4, 1, 3, 1, 3, 0, 4]);
    expect(Array.from(c.counts)).toEqual([1, 1, 2, 2, 2, 2, 1, 1]);
    expect(cmatrixCount(c, 3, 1)).toBe(2);
    expect(cmatrixCount(c, 2, 2)).toBe(0);
    expect(cmatrixDensity(c, 2)).toEqual({ entries: 4, density: 4 / 25 });
    expect([acc.events, acc.tracks, acc.points]).toEqual([2, 3, 8]);
  });

  it('grows past its initial capacity without losing entries (no silent buffer cap)', () => {
    const rng = Rng.fromSeed(1);
    const ncell = 4000;
    const acc = new CMatrixAccumulator(ncell, 16);
    const expected = new Map<number, number>();
    for (let t = 0; t < 3000; t++) {
      const cells = Int32Array.from({ length: 6 }, () => rng.int(ncell));
      const src = Int32Array.from([0, 1, 2, 3, 4, 5, 0]);
      const dst = Int32Array.from([1, 2, 3, 4, 5, 0, 1]);
      acc.addTrack(cells, { src, dst });
      const keys = new Set(Array.from(src, (s, e) => cells[s] * ncell + cells[dst[e]]));
      for (const k of keys) expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    // One long track: rows of 60 entries take the non-insertion sort path of finish().
    const long = Rng.fromSeed(2).permutation(ncell).subarray(0, 60);
    acc.addEvent('hyper', new Float32Array(60), 1, new Int32Array(60), long);
    for (const u of long) for (const v of long) expected.set(u * ncell + v, (expected.get(u * ncell + v) ?? 0) + 1);
    const c = acc.finish();
    checkCMatrix(c);
    expect(c.indptr[long[0] + 1] - c.indptr[long[0]]).toBeGreaterThanOrEqual(60);
    expect(c.indices.length).toBe(expected.size);
    for (const [k, count] of expected) expect(cmatrixCount(c, Math.floor(k / ncell), k % ncell)).toBe(count);
    const t = transposeCMatrix(c);
    checkCMatrix(t);
    for (const [k, count] of expected) expect(cmatrixCount(t, k % ncell, Math.floor(k / ncell))).toBe(count);
  });

  it('merges repeated keys across many merges of a bucket, counts included', () => {
    // 8 cells give 8 one-row buckets, so 20,000 tracks push each bucket through many merges.
    const rng = Rng.fromSeed(3);
    const ncell = 8;
    const acc = new CMatrixAccumulator(ncell, 16);
    const expected = new Map<number, number>();
    for (let t = 0; t < 20_000; t++) {
      const m = 1 + rng.int(6);
      const cells = Int32Array.from({ length: m }, () => rng.int(ncell));
      acc.addEvent('hyper', new Float32Array(m), 1, new Int32Array(m), cells);
      const distinct = [...new Set(cells)];
      for (const u of distinct) for (const v of distinct) expected.set(u * ncell + v, (expected.get(u * ncell + v) ?? 0) + 1);
      if (t === 10_000) expect(acc.entries).toBe(expected.size);
    }
    const c = acc.finish();
    checkCMatrix(c);
    expect(c.indices.length).toBe(expected.size);
    let total = 0;
    for (const [k, count] of expected) {
      expect(cmatrixCount(c, Math.floor(k / ncell), k % ncell)).toBe(count);
      total += count;
    }
    expect(c.counts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(acc.tracks).toBe(20_000);
  });

  it('keeps rows apart in buckets that span several rows (ncell above 4096)', () => {
    // 10,007 cells: 4096 buckets of up to 4 rows each, the layout of every production model.
    const rng = Rng.fromSeed(4);
    const ncell = 10_007;
    const acc = new CMatrixAccumulator(ncell, 16);
    const expected = new Map<number, number>();
    for (let t = 0; t < 5000; t++) {
      const m = 2 + rng.int(8);
      // Cells close together, so pairs share buckets and rows within a bucket interleave.
      const base = rng.int(ncell - 12);
      const cells = Int32Array.from({ length: m }, () => base + rng.int(12));
      acc.addEvent('hyper', new Float32Array(m), 1, new Int32Array(m), cells);
      const distinct = [...new Set(cells)];
      for (const u of distinct) for (const v of distinct) expected.set(u * ncell + v, (expected.get(u * ncell + v) ?? 0) + 1);
    }
    const c = acc.finish();
    checkCMatrix(c);
    expect(c.indices.length).toBe(expected.size);
    for (const [k, count] of expected) expect(cmatrixCount(c, Math.floor(k / ncell), k % ncell)).toBe(count);
  });

  it('rejects cells outside the matrix', () => {
    const acc = new CMatrixAccumulator(3);
    expect(() => acc.addTrack(Int32Array.from([0, 3]), { src: Int32Array.from([0]), dst: Int32Array.from([1]) })).toThrow('cells: cell 3 is outside 0..2');
  });
});

import { Rng } from '@hypertrack/core';
import { cmatrixCount, type CMatrix } from '../cmatrix/cmatrix';
import { CMatrixAccumulator } from '../cmatrix/accumulator';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import { pairPacking } from './edge-kernel';
import { buildGraph, EdgeBudgetError, GraphBuilder } from './graph-builder';

/** A random (asymmetric) C over a few 2-D cells, with counts 1..3. */
function randomModel(seed: number) {
  const rng = Rng.fromSeed(seed);
  const ncell = 12;
  const centroids = Float32Array.from({ length: 2 * ncell }, () => rng.uniformIn(0, 10));
  const acc = new CMatrixAccumulator(ncell);
  for (let t = 0; t < 40; t++) {
    acc.addTrack(Int32Array.from([rng.int(ncell), rng.int(ncell)]), { src: Int32Array.from([0]), dst: Int32Array.from([1]) });
  }
  return { ncell, dim: 2, centroids, cmatrix: acc.finish() };
}

function expectedEdges(c: CMatrix, cells: Int32Array, minCount: number, selfLoops: boolean): string[] {
  const out: string[] = [];
  for (let j = 0; j < cells.length; j++) {
    for (let i = 0; i < cells.length; i++) {
      if (i === j && !selfLoops) continue;
      if (cmatrixCount(c, cells[i], cells[j]) >= minCount) out.push(`${i}>${j}`);
    }
  }
  return out;
}

/** A denser C over many 2-D cells (up to 5 cells per track, so hyper-like blocks), counts 1..4. */
function widerModel(seed: number, ncell: number) {
  const rng = Rng.fromSeed(seed);
  const centroids = Float32Array.from({ length: 2 * ncell }, () => rng.uniformIn(0, 10));
  const acc = new CMatrixAccumulator(ncell);
  for (let t = 0; t < 4 * ncell; t++) {
    const m = 2 + rng.int(4);
    const trackCells = Int32Array.from({ length: m }, () => rng.int(ncell));
    const src: number[] = [];
    const dst: number[] = [];
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        src.push(a);
        dst.push(b);
      }
    }
    acc.addTrack(trackCells, { src: Int32Array.from(src), dst: Int32Array.from(dst) });
  }
  return { ncell, dim: 2, centroids, cmatrix: acc.finish() };
}

/** Compares with the definition pair by pair (typed arrays: the graphs have up to ~10^5 edges). */
function expectGraph(graph: ReturnType<typeof buildGraph>, model: ReturnType<typeof widerModel>, points: Float32Array, minCount: number, selfLoops: boolean) {
  const cells = NearestCentroidIndex.build(model.centroids, 2).assign(points);
  const n = cells.length;
  const src: number[] = [];
  const dst: number[] = [];
  const offsets = [0];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if ((i !== j || selfLoops) && cmatrixCount(model.cmatrix, cells[i], cells[j]) >= minCount) {
        src.push(i);
        dst.push(j);
      }
    }
    offsets.push(src.length);
  }
  expect(graph.numEdges).toBe(src.length);
  expect(Buffer.from(new Int32Array(graph.src).buffer).equals(Buffer.from(Int32Array.from(src).buffer))).toBe(true);
  expect(Buffer.from(new Int32Array(graph.dst).buffer).equals(Buffer.from(Int32Array.from(dst).buffer))).toBe(true);
  expect(Array.from(graph.offsets)).toEqual(offsets);
}

describe('GraphBuilder', () => {
  it.each([
    [1, true],
    [1, false],
    [2, true],
  ])('emits (i, j) iff C[cell i, cell j] >= minCount (%i, selfLoops %s), sorted by (dst, src), with CSR offsets', (minCount, selfLoops) => {
    const model = randomModel(minCount + (selfLoops ? 0 : 10));
    const rng = Rng.fromSeed(3);
    const points = Float32Array.from({ length: 2 * 60 }, () => rng.uniformIn(0, 10));
    const graph = buildGraph(model, points, { minCount, selfLoops });
    const cells = NearestCentroidIndex.build(model.centroids, 2).assign(points);
    expect(graph.cells).toEqual(cells);
    const got = Array.from(graph.src, (s, e) => `${s}>${graph.dst[e]}`);
    expect(got).toEqual(expectedEdges(model.cmatrix, cells, minCount, selfLoops));
    expect(graph.numEdges).toBe(got.length);
    for (let j = 0; j < 60; j++) {
      for (let e = graph.offsets[j]; e < graph.offsets[j + 1]; e++) expect(graph.dst[e]).toBe(j);
    }
    expect(graph.offsets[60]).toBe(graph.numEdges);
  });

  it.each([true, false])('writes the same graph with two threads as with one (selfLoops %s)', (selfLoops) => {
    const model = randomModel(7);
    const rng = Rng.fromSeed(8);
    const one = new GraphBuilder(model, { selfLoops });
    const two = new GraphBuilder(model, { selfLoops, threads: 2 });
    try {
      for (let event = 0; event < 3; event++) {
        const points = Float32Array.from({ length: 2 * 400 }, () => rng.uniformIn(0, 10));
        const a = one.build(points);
        const b = two.build(points);
        expect(b.numEdges).toBe(a.numEdges);
        expect(b.numEdges).toBeGreaterThan(1000);
        expect(b.src.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(Array.from(b.src)).toEqual(Array.from(a.src));
        expect(Array.from(b.dst)).toEqual(Array.from(a.dst));
        expect(Array.from(b.offsets)).toEqual(Array.from(a.offsets));
      }
    } finally {
      two.close();
    }
    expect(() => new GraphBuilder(model, { threads: 3 })).toThrow('threads: must be 1 or 2, got 3');
  });

  it('stops with a clear error when the edge budget would be exceeded', () => {
    const model = randomModel(1);
    const points = new Float32Array(2 * 100).fill(5);
    const builder = new GraphBuilder(model, { maxEdges: 9999 });
    expect(() => builder.build(points)).toThrow(
      'voxdyn graph of 100 hits would have 10000 edges, above the edge budget maxEdges = 9999; raise maxEdges, raise minCount or use a model with more cells',
    );
    // Callers tell it apart to name their own setting: the counts come with it.
    const error = (() => {
      try {
        builder.build(points);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(EdgeBudgetError);
    expect(error).toMatchObject({ hits: 100, edges: 10000, maxEdges: 9999 });
    expect(new GraphBuilder(model, { maxEdges: 10000 }).build(points).numEdges).toBe(10000);
  });

  it('validates options', () => {
    const model = randomModel(1);
    expect(() => new GraphBuilder(model, { minCount: 0 })).toThrow('minCount: must be an integer >= 1, got 0');
    expect(() => new GraphBuilder(model, { maxEdges: -1 })).toThrow('maxEdges: must be an integer in 0..2^31-1, got -1');
    expect(() => new GraphBuilder({ ...model, ncell: 11 })).toThrow('model: C-matrix has 12 cells but the model has 11');
    expect(() => new GraphBuilder(model, { reuseOutput: 1 as unknown as boolean })).toThrow('reuseOutput: must be true or false, got 1');
  });

  it.each([
    [1, true, 1, false],
    [1, false, 1, false],
    [3, false, 1, false],
    [1, true, 2, false],
    [1, false, 2, false],
    [2, false, 2, false],
    [1, false, 1, true],
    [1, true, 2, true],
  ])('matches the definition on crowded cells, event after event with one builder (minCount %i, selfLoops %s, threads %i, reuseOutput %s)', (minCount, selfLoops, threads, reuseOutput) => {
    // 300 cells, events of 0 to 900 hits: many cells hold several hits (the copied source lists,
    // with and without the hit's own self-loop), and the work arrays kept by the builder shrink and grow.
    const model = widerModel(20 + minCount, 300);
    const builder = new GraphBuilder(model, { minCount, selfLoops, threads, reuseOutput });
    const rng = Rng.fromSeed(21);
    try {
      for (const hits of [700, 1, 0, 40, 900]) {
        const points = Float32Array.from({ length: 2 * hits }, () => rng.uniformIn(0, 10));
        const graph = builder.build(points);
        expectGraph(graph, model, points, minCount, selfLoops);
        expect(graph.cells.length).toBe(hits);
        if (hits >= 700) expect(graph.numEdges).toBeGreaterThan((minCount === 1 ? 20 : 2) * hits);
      }
    } finally {
      builder.close();
    }
  });

  it('keeps working after an event over the edge budget (two threads)', () => {
    const model = widerModel(5, 300);
    const rng = Rng.fromSeed(6);
    const builder = new GraphBuilder(model, { threads: 2, maxEdges: 30_000 });
    try {
      const big = Float32Array.from({ length: 2 * 900 }, () => rng.uniformIn(0, 10));
      expect(() => builder.build(big)).toThrow(/^voxdyn graph of 900 hits would have \d+ edges, above the edge budget maxEdges = 30000/);
      const small = Float32Array.from({ length: 2 * 200 }, () => rng.uniformIn(0, 10));
      expectGraph(builder.build(small), model, small, 1, true);
    } finally {
      builder.close();
    }
  });

  it('packs (cell, hit) pairs into 32 bits for any number of cells and hits', () => {
    for (const ncell of [1, 2, 12, 300, 262_144, 1_048_576, 2 ** 24, 2 ** 31 - 1]) {
      for (const n of [0, 1, 2, 60, 135_000, 2 ** 24, 2 ** 31 - 1]) {
        const { shift, hitBits, partitions } = pairPacking(ncell, n);
        expect(shift + hitBits).toBeLessThanOrEqual(32);
        expect(partitions * 2 ** shift).toBeGreaterThanOrEqual(ncell);
        expect(partitions).toBeGreaterThanOrEqual(Math.min(256, ncell));
        expect(2 ** hitBits).toBeGreaterThanOrEqual(n);
        // The largest cell and hit survive the packing used by the kernel.
        const v = ncell - 1;
        const i = Math.max(0, n - 1);
        const x = ((v & ((1 << shift) - 1)) << hitBits) | i;
        expect((v >>> shift) * 2 ** shift + (x >>> hitBits)).toBe(v);
        expect(x & (hitBits >= 31 ? 0x7fffffff : (1 << hitBits) - 1)).toBe(i);
      }
    }
  });
});

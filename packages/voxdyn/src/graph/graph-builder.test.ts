import { Rng } from '@hypertrack/core';
import { cmatrixCount, type CMatrix } from '../cmatrix/cmatrix';
import { CMatrixAccumulator } from '../cmatrix/accumulator';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import { buildGraph, GraphBuilder } from './graph-builder';

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
    expect(new GraphBuilder(model, { maxEdges: 10000 }).build(points).numEdges).toBe(10000);
  });

  it('validates options', () => {
    const model = randomModel(1);
    expect(() => new GraphBuilder(model, { minCount: 0 })).toThrow('minCount: must be an integer >= 1, got 0');
    expect(() => new GraphBuilder(model, { maxEdges: -1 })).toThrow('maxEdges: must be an integer in 0..2^31-1, got -1');
    expect(() => new GraphBuilder({ ...model, ncell: 11 })).toThrow('model: C-matrix has 12 cells but the model has 11');
  });
});

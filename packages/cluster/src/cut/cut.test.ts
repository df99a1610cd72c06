import { ConfigError, InputError } from '@hypertrack/core';
import { graphOf } from '../testing/graphs';
import type { ClusterGraph } from '../types';
import { clusterCut, cutClusterer } from './cut';

const square = graphOf(6, [
  [0, 1, 0.9],
  [1, 2, 0.8],
  [2, 3, 0.7],
  [3, 3, 0.99],
  [4, 5, 0.95],
  [3, 4, 0.2],
]);

describe('clusterCut', () => {
  it('labels components and reports the counters', () => {
    const { labels, stats } = clusterCut(square);
    expect(Array.from(labels)).toEqual([0, 0, 0, 0, -1, -1]);
    expect(stats).toMatchObject({ clusters: 1, clusteredHits: 4, keptEdges: 4 });
    expect(stats.timeMs).toBeGreaterThanOrEqual(0);
  });

  it('is the registered cut algorithm', async () => {
    expect(cutClusterer.name).toBe('cut');
    const result = await cutClusterer.cluster(square, { threshold: 0.1, minGraph: 2 });
    expect(Array.from(result.labels)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(result.stats.keptEdges).toBe(5);
  });

  it('does not modify its input', () => {
    const copy = { numHits: square.numHits, src: square.src.slice(), dst: square.dst.slice(), prob: square.prob.slice() };
    clusterCut(square);
    expect(square).toEqual(copy);
  });
});

describe('validation', () => {
  const bad = (graph: Partial<ClusterGraph> | null, options = {}) => () => clusterCut({ ...square, ...graph } as ClusterGraph, options);

  it('names the option', () => {
    expect(bad({}, { threshold: 1.5 })).toThrow(new ConfigError('threshold', 'must be a number in [0, 1], got 1.5'));
    expect(bad({}, { threshold: -0.1 })).toThrow('threshold: must be a number in [0, 1], got -0.1');
    expect(bad({}, { threshold: NaN })).toThrow('threshold: must be a number in [0, 1], got NaN');
    expect(bad({}, { threshold: '0.5' })).toThrow('threshold: must be a number in [0, 1], got 0.5');
    expect(bad({}, { minGraph: 0 })).toThrow('minGraph: must be an integer >= 1, got 0');
    expect(bad({}, { minGraph: 2.5 })).toThrow('minGraph: must be an integer >= 1, got 2.5');
    expect(bad({}, { threshold: 0 })).not.toThrow();
    expect(bad({}, { threshold: 1, minGraph: 1 })).not.toThrow();
  });

  it('names the field and the shape problem', () => {
    expect(bad({ numHits: -1 })).toThrow("graph: column 'numHits': must be an integer in 0..2^31-1, got -1");
    expect(bad({ numHits: 3.5 })).toThrow("column 'numHits'");
    expect(bad({ src: [0, 1] as unknown as Int32Array })).toThrow("graph: column 'src': must be an Int32Array, got Array");
    expect(bad({ dst: new Uint32Array(6) as unknown as Int32Array })).toThrow("graph: column 'dst': must be an Int32Array, got Uint32Array");
    expect(bad({ prob: new Float64Array(6) as unknown as Float32Array })).toThrow("graph: column 'prob': must be a Float32Array, got Float64Array");
    expect(bad({ dst: new Int32Array(5) })).toThrow("graph: column 'dst': has 5 edges but src has 6");
    expect(bad({ prob: new Float32Array(7) })).toThrow("graph: column 'prob': has 7 edges but src has 6");
    expect(() => clusterCut(null as unknown as ClusterGraph)).toThrow(InputError);
  });

  it('names the first offending edge', () => {
    const at = (field: 'src' | 'dst' | 'prob', edge: number, value: number): Partial<ClusterGraph> => {
      const array = square[field].slice();
      array[edge] = value;
      return { [field]: array };
    };
    expect(bad(at('src', 2, 6))).toThrow("graph: column 'src': edge 2 has src 6, outside the hit range [0, 6)");
    expect(bad(at('src', 4, -1))).toThrow("graph: column 'src': edge 4 has src -1, outside the hit range [0, 6)");
    expect(bad(at('dst', 5, 100))).toThrow("graph: column 'dst': edge 5 has dst 100, outside the hit range [0, 6)");
    expect(bad(at('prob', 1, NaN))).toThrow("graph: column 'prob': edge 1 has probability NaN, outside [0, 1]");
    expect(bad(at('prob', 3, 1.5))).toThrow("graph: column 'prob': edge 3 has probability 1.5, outside [0, 1]");
    expect(bad(at('prob', 0, -0.25))).toThrow('edge 0 has probability -0.25');
    // Edges below the threshold are checked too.
    expect(bad(at('dst', 5, 6))).toThrow('edge 5 has dst 6');
    expect(bad(at('src', 2, 6))).toThrow(InputError);
  });
});

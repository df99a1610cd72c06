import { ConfigError, InputError } from '@hypertrack/core';
import { graphOf, groups } from '../testing/graphs';
import { clusterDbscan } from './dbscan';

describe('clusterDbscan', () => {
  // Worked by hand with eps 0.2 (p >= 0.8 makes a neighbour) and min_samples 3 (the hit itself
  // counts): neighbourhoods are rows of the distance matrix, i.e. out-edges src -> dst.
  const toy = graphOf(10, [
    [0, 1, 0.9], [1, 0, 0.9], [1, 2, 0.9], [2, 1, 0.9], [0, 2, 0.85], [2, 0, 0.85], // core triangle 0-1-2
    [0, 1, 0.95], // the same pair again: counts once
    [2, 3, 0.9], // 3 is 2's neighbour but has no neighbour of its own: a border hit of cluster 0
    [3, 4, 0.95], // 3 -> 4 only: 3 is not core, so this does not join the clusters
    [4, 5, 0.9], [5, 4, 0.9], [5, 6, 0.9], [6, 5, 0.9], [4, 6, 0.9], [6, 4, 0.9], // core triangle 4-5-6
    [6, 7, 0.7], // kept by the cut (> 0.55) but 1 - 0.7 > eps: 7 is noise
    [1, 8, 0.9], [5, 8, 0.9], // 8 is a border hit of both clusters: the first cluster (seed 0) takes it
    [9, 9, 1.0], [9, 0, 0.8], // a self-loop is ignored; p = 0.8 (float32) is within eps: 9 has 1 neighbour + itself = 2 < 3
  ]);

  it('labels the worked example as scikit-learn would', () => {
    const { labels, stats } = clusterDbscan(toy);
    expect(Array.from(labels)).toEqual([0, 0, 0, 0, 1, 1, 1, -1, 0, -1]);
    expect(groups(labels)).toEqual([[0, 1, 2, 3, 8], [4, 5, 6]]);
    expect(stats).toMatchObject({ clusters: 2, clusteredHits: 8, coreHits: 6, keptEdges: 19 });
  });

  it('follows eps and minSamples', () => {
    // min_samples 1: every hit is core and clusters follow the out-edges within eps from each seed.
    expect(groups(clusterDbscan(toy, { minSamples: 1 }).labels)).toEqual([[0, 1, 2, 3, 4, 5, 6, 8], [7], [9]]);
    // eps 0.12: only p >= 0.88 joins and the 0.85 edges of the first triangle drop. Hit 0 keeps one
    // neighbour (1) and is now a border hit; 1 (0, 2, 8) and 2 (1, 3) stay core, so 3 still joins.
    const narrow = clusterDbscan(toy, { eps: 0.12 });
    expect(groups(narrow.labels)).toEqual([[0, 1, 2, 3, 8], [4, 5, 6]]);
    expect(narrow.stats.coreHits).toBe(5);
    // A higher cut removes edges before DBSCAN sees them.
    expect(clusterDbscan(toy, { threshold: 0.92 }).stats.clusters).toBe(0);
  });

  it('rejects bad options and bad edges with errors naming them', () => {
    expect(() => clusterDbscan(toy, { eps: -1 })).toThrow(new ConfigError('eps', 'must be a number >= 0, got -1'));
    expect(() => clusterDbscan(toy, { minSamples: 0 })).toThrow(new ConfigError('minSamples', 'must be an integer >= 1, got 0'));
    expect(() => clusterDbscan(graphOf(3, [[0, 5, 0.9]]))).toThrow(InputError);
    expect(() => clusterDbscan(graphOf(3, [[0, 1, 1.5]]))).toThrow(/edge 0 has probability 1.5/);
  });

  it('gives the same labels for any edge order', () => {
    const order = Array.from(toy.src, (_, e) => e).reverse();
    const shuffled = { numHits: toy.numHits, src: Int32Array.from(order, (e) => toy.src[e]), dst: Int32Array.from(order, (e) => toy.dst[e]), prob: Float32Array.from(order, (e) => toy.prob[e]) };
    expect(Array.from(clusterDbscan(shuffled).labels)).toEqual(Array.from(clusterDbscan(toy).labels));
  });
});

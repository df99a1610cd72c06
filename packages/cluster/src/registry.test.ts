import { ConfigError } from '@hypertrack/core';
import { clusterers, selectClusterer } from './registry';
import { graphOf } from './testing/graphs';
import type { ClusterAlgorithm } from './types';

describe('clusterers', () => {
  it('offers cut, dbscan and hdbscan by name', () => {
    expect(Object.keys(clusterers)).toEqual(['cut', 'dbscan', 'hdbscan']);
    expect(selectClusterer('cut')).toBe(clusterers.cut);
    expect(selectClusterer('dbscan')).toBe(clusterers.dbscan);
    expect(Object.isFrozen(clusterers)).toBe(true);
  });

  it('rejects an unknown name with the list of choices', () => {
    expect(() => selectClusterer('hdbscan2')).toThrow(new ConfigError('cluster', 'unknown algorithm "hdbscan2" (available: cut, dbscan, hdbscan)'));
    expect(() => selectClusterer('toString')).toThrow('unknown algorithm "toString"');
  });

  it('lets a caller add an algorithm without touching the package (e.g. an asynchronous one)', async () => {
    const everyHitAlone: ClusterAlgorithm = {
      name: 'singletons',
      description: 'every hit is its own cluster',
      cluster: async (graph) => ({
        labels: Int32Array.from({ length: graph.numHits }, (_, i) => i),
        stats: { clusters: graph.numHits, clusteredHits: graph.numHits, keptEdges: 0, timeMs: 0 },
      }),
    };
    const available = { ...clusterers, singletons: everyHitAlone };
    const graph = graphOf(3, [[0, 1, 0.9]]);
    const labels = await Promise.all(['cut', 'singletons'].map(async (name) => Array.from((await selectClusterer(name, available).cluster(graph, { minGraph: 1 })).labels)));
    expect(labels).toEqual([
      [0, 0, 1],
      [0, 1, 2],
    ]);
  });
});

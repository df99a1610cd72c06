import { initBackend } from '@hypertrack/nn';
import { clusterWithScorer, clusterWithSyncScorer, type MicrographQuery, type MicrographScorer, type TransformerGraph } from './clusterize';
import { modeOf } from './losses';
import { TUNE5_PIVOT_SEARCH, TUNE5_TRANSFORMER } from './config';
import { transformerClusterer } from './clusterer';
import { STransformer } from './model';
import { Rng } from '@hypertrack/core';
import { bestPivotPath, hitNorms, micrograph, seedCandidates, type LocalGraph } from './pivot-search';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

/** A local graph from [u, v, p] out-edges over n nodes, all active. */
function local(n: number, edges: Array<[number, number, number]>): LocalGraph {
  const start = new Int32Array(n + 1);
  for (const [u] of edges) start[u + 1]++;
  for (let u = 0; u < n; u++) start[u + 1] += start[u];
  const fill = start.slice(0, n);
  const target = new Int32Array(edges.length);
  const prob = new Float32Array(edges.length);
  for (const [u, v, p] of edges) {
    const at = fill[u]++;
    target[at] = v;
    prob[at] = p;
  }
  return { hits: Int32Array.from({ length: n }, (_, i) => 10 + i), start, target, prob, active: new Uint8Array(n).fill(1) };
}

describe('pivot walk', () => {
  const graph = local(5, [[0, 1, 0.9], [0, 2, 0.95], [2, 3, 0.6], [1, 3, 0.99], [3, 4, 0.3]]);

  it('steps to the most probable active neighbour above the diffuse threshold, and keeps the walk with the largest log-odds', () => {
    // From 0: 2 (0.95), then 3 (0.6): ln(0.95 / 0.051) + ln(0.6 / 0.401) = 3.33. From 1: 3 (0.99),
    // then nothing above 0.4 (3 -> 4 is 0.3): ln(0.99 / 0.011) = 4.50. The reference keeps the
    // larger sum even though that walk is short (and then counts a failure).
    expect(bestPivotPath(graph, [0], TUNE5_PIVOT_SEARCH)).toEqual({ nodes: [0, 2, 3], logOdds: expect.closeTo(Math.log(0.95 / 0.051) + Math.log(0.6 / 0.401), 5) });
    expect(bestPivotPath(graph, [0, 1], TUNE5_PIVOT_SEARCH).nodes).toEqual([1, 3]);
    // An inactive node is skipped.
    graph.active[2] = 0;
    expect(bestPivotPath(graph, [0], TUNE5_PIVOT_SEARCH).nodes).toEqual([0, 1, 3]);
    graph.active[2] = 1;
  });

  it('ranks seed candidates by |x| or transverse |x| of the hits', () => {
    // Local nodes 0-4 are hits 10-14; hit 12 is farthest from the beam line, hit 14 farthest overall.
    const coords = new Float32Array(15 * 3);
    coords.set([100, 0, 0], 3 * 12);
    coords.set([10, 0, 500], 3 * 14);
    coords.set([50, 0, 0], 3 * 11);
    const norms = () => hitNorms(coords);
    expect(seedCandidates(graph, { ...TUNE5_PIVOT_SEARCH, seedStrategy: 'max_T' }, Rng.fromSeed(1), norms)).toEqual([2, 1]);
    expect(seedCandidates(graph, { ...TUNE5_PIVOT_SEARCH, seedStrategy: 'max' }, Rng.fromSeed(1), norms)).toEqual([4, 2]);
    expect(seedCandidates(graph, { ...TUNE5_PIVOT_SEARCH, seedStrategy: 'min' }, Rng.fromSeed(1), norms)).toEqual([0, 3]);
    // 'random' never asks for the norms.
    expect(seedCandidates(graph, TUNE5_PIVOT_SEARCH, Rng.fromSeed(1), () => { throw new Error('norms read'); })).toHaveLength(2);
  });

  it('spans the micrograph from the pivots out-edges', () => {
    expect(micrograph(graph, [0, 2, 3], 'pivot-spanned')).toEqual([1, 2, 3, 4]);
    expect(micrograph(graph, [0, 2, 3], 'full')).toEqual([0, 1, 2, 3, 4]);
  });
});

/** Three tracks of six hits (0-5, 6-11, 12-17), chains at p 0.9 both ways, tracks 0 and 1 joined by two 0.7 edges. */
function threeTracks(): TransformerGraph & { track: Int32Array } {
  const edges: Array<[number, number, number]> = [];
  for (let t = 0; t < 3; t++) {
    for (let k = 0; k < 5; k++) {
      edges.push([6 * t + k, 6 * t + k + 1, 0.9], [6 * t + k + 1, 6 * t + k, 0.9]);
      if (k < 4) edges.push([6 * t + k, 6 * t + k + 2, 0.8], [6 * t + k + 2, 6 * t + k, 0.8]);
    }
  }
  edges.push([2, 8, 0.7], [8, 2, 0.7]);
  const n = 18;
  return {
    numHits: n,
    src: Int32Array.from(edges, (e) => e[0]),
    dst: Int32Array.from(edges, (e) => e[1]),
    prob: Float32Array.from(edges, (e) => e[2]),
    latents: Float32Array.from({ length: n * 61 }, (_, i) => Math.sin(i)),
    latentDim: 61,
    coords: Float32Array.from({ length: n * 3 }, (_, i) => 100 * Math.cos(i)),
    track: Int32Array.from({ length: n }, (_, h) => Math.floor(h / 6)),
  };
}

/** The perfect answer: a hit belongs when it is on the pivots' majority track. */
function truthAnswers(track: Int32Array, queries: readonly MicrographQuery[]): Float32Array[] {
  return queries.map((q) => {
    const majority = modeOf(Array.from(q.pivots, (p) => track[p]));
    return Float32Array.from(q.nodes, (h) => (track[h] === majority ? 1 : 0));
  });
}

function truthScorer(track: Int32Array): MicrographScorer {
  return async (_graph, queries) => truthAnswers(track, queries);
}

describe('clusterWithScorer', () => {
  it('with a perfect scorer and full micrographs, separates the merged tracks that cut joins', async () => {
    const graph = threeTracks();
    const { labels, stats } = await clusterWithScorer(graph, truthScorer(graph.track), { search: { micrograph: 'full' }, seed: 3 });
    const byTrack = [0, 1, 2].map((t) => new Set(Array.from(labels).filter((_, h) => graph.track[h] === t)));
    expect(byTrack.every((set) => set.size === 1 && !set.has(-1))).toBe(true);
    expect(new Set(byTrack.map((set) => [...set][0])).size).toBe(3);
    expect(stats).toMatchObject({ clusters: 3, clusteredHits: 18, failures: 0 });
    expect(stats.trials).toBeGreaterThan(0);
    expect(stats.componentsMs).toBeGreaterThanOrEqual(0);
  });

  it('with pivot-spanned micrographs, every cluster is pure and has at least four hits', async () => {
    const graph = threeTracks();
    const { labels, stats } = await clusterWithScorer(graph, truthScorer(graph.track), { seed: 4 });
    for (let c = 0; c < stats.clusters; c++) {
      const hits = Array.from(labels).flatMap((l, h) => (l === c ? [h] : []));
      expect(hits.length).toBeGreaterThanOrEqual(4);
      expect(new Set(hits.map((h) => graph.track[h])).size).toBe(1);
    }
    expect(stats.clusters).toBeGreaterThanOrEqual(3);
  });

  it('ends, with every hit unclustered, when the scorer accepts nothing', async () => {
    const graph = threeTracks();
    const reject: MicrographScorer = async (_graph, queries) => queries.map((q) => new Float32Array(q.nodes.length));
    const { labels, stats } = await clusterWithScorer(graph, reject, { seed: 5 });
    expect(Array.from(labels).every((l) => l === -1)).toBe(true);
    expect(stats.clusters).toBe(0);
    expect(stats.failures).toBeGreaterThan(0);
  });

  it('runs the same with a synchronous scorer, and records each accepted cluster with its trial and query', async () => {
    const graph = threeTracks();
    const truth = truthScorer(graph.track);
    const asyncResult = await clusterWithScorer(graph, truth, { seed: 6 });
    const syncResult = clusterWithSyncScorer(graph, (queries) => truthAnswers(graph.track, queries), { seed: 6 });
    expect(Array.from(syncResult.labels)).toEqual(Array.from(asyncResult.labels));
    expect(syncResult.accepted.length).toBe(syncResult.stats.clusters);
    syncResult.accepted.forEach((cluster, c) => {
      expect(Array.from(cluster.hits)).toEqual(Array.from(syncResult.labels).flatMap((l, h) => (l === c ? [h] : [])));
      expect(cluster.trial).toBeLessThan(syncResult.stats.trials);
    });
  });

  it('gives the same clusters for the same seed', async () => {
    const graph = threeTracks();
    const run = async () => Array.from((await clusterWithScorer(graph, truthScorer(graph.track), { seed: 9 })).labels);
    expect(await run()).toEqual(await run());
  });
});

describe('transformerClusterer', () => {
  it('runs an (untrained) STransformer through the pivot search: disjoint clusters of at least four hits', async () => {
    const graph = threeTracks();
    const model = new STransformer(TUNE5_TRANSFORMER, 1);
    const { labels, stats } = await transformerClusterer(model).cluster(graph, { seed: 1 });
    for (let c = 0; c < stats.clusters; c++) expect(Array.from(labels).filter((l) => l === c).length).toBeGreaterThanOrEqual(4);
    expect(stats.trials).toBeGreaterThan(0);
    expect(stats.clusteredHits).toBe(Array.from(labels).filter((l) => l >= 0).length);
    model.dispose();
  });
});

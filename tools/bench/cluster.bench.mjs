// Cut clustering (issue 6): threshold, self-loop removal, weakly connected components by
// union-find, min_graph. Graph sizes of a mu = 20 event (~15k hits, ~300k edges), a mu = 200 event
// (~130k hits, ~6M edges) and a rich mu = 200 graph (~25M edges, like voxdyn with a dense C-matrix).
// Synthetic probabilities; edges sorted by (dst, src) as voxdyn emits them.
// Run after a build: node tools/bench/cluster.bench.mjs
// Knob: CLUSTER_BENCH_LARGE=0 skips the 25M-edge graph.
import { loadavg } from 'node:os';
import { Rng } from '@hypertrack/core';
import { clusterCut } from '@hypertrack/cluster';
import { measure } from './harness.mjs';
import { syntheticGraph } from './synthetic-graph.mjs';

const rng = Rng.fromSeed(2026);
const cases = [
  { name: 'mu = 20 size', hits: 15_000, edgesPerHit: 20, runs: 31 },
  { name: 'mu = 200 size', hits: 130_000, edgesPerHit: 46, runs: 11 },
];
if (process.env.CLUSTER_BENCH_LARGE !== '0') cases.push({ name: 'mu = 200, rich graph', hits: 130_000, edgesPerHit: 190, runs: 7 });

const results = [];
for (const c of cases) {
  const t0 = performance.now();
  const graph = syntheticGraph(rng.split(c.name), c.hits, c.edgesPerHit);
  const buildMs = performance.now() - t0;
  let stats;
  const run = await measure(`cut, ${c.name}: ${(graph.src.length / 1e6).toFixed(2)}M edges`, () => {
    stats = clusterCut(graph).stats;
  }, { warmup: 3, runs: c.runs });
  results.push({
    case: c.name,
    hits: graph.numHits,
    edges: graph.src.length,
    keptEdges: stats.keptEdges,
    clusters: stats.clusters,
    clusteredHits: stats.clusteredHits,
    medianMs: +run.medianMs.toFixed(2),
    minMs: +run.minMs.toFixed(2),
    maxMs: +run.maxMs.toFixed(2),
    nsPerEdge: +((run.medianMs * 1e6) / graph.src.length).toFixed(2),
    graphBuildMs: Math.round(buildMs),
  });
}
console.log(JSON.stringify({ bench: 'cluster', load: loadavg().map((l) => +l.toFixed(2)), node: process.version, results }));

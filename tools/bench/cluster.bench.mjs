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

/**
 * `numHits` hits, 85% on tracks of 4-20 hits (mean about 10) and 15% noise, in random order. Each
 * hit gets `edgesPerHit` incoming edges on average: from the other hits of its track (true edges,
 * 90% of the pairs, probability 1 - 0.6 u^2, so 13% fall below 0.55) and from random hits (fake
 * edges, probability 0.55 u^2, except about 0.05 per hit above the threshold), so the cut finds
 * track-sized components with occasional merges.
 */
function syntheticGraph(rng, numHits, edgesPerHit) {
  const track = new Int32Array(numHits).fill(-1);
  const order = rng.permutation(numHits);
  const members = [];
  let h = 0;
  const trackHits = Math.round(0.85 * numHits);
  while (h < trackHits) {
    const size = Math.min(4 + rng.poisson(6), trackHits - h);
    const list = order.subarray(h, h + size);
    for (const hit of list) track[hit] = members.length;
    members.push(list);
    h += size;
  }
  const capacity = Math.ceil(numHits * edgesPerHit * 1.2) + 64;
  let src = new Int32Array(capacity);
  let dst = new Int32Array(capacity);
  let prob = new Float32Array(capacity);
  let e = 0;
  const sources = [];
  for (let d = 0; d < numHits; d++) {
    sources.length = 0;
    const t = track[d];
    if (t >= 0) for (const s of members[t]) if (s !== d && rng.uniform() < 0.9) sources.push(s);
    const fakes = Math.max(0, Math.round(edgesPerHit - sources.length + rng.normal(0, 2)));
    const fakeKept = 0.05 / Math.max(1, edgesPerHit - 8);
    for (let k = 0; k < fakes; k++) sources.push(rng.int(numHits));
    sources.sort((a, b) => a - b);
    if (e + sources.length > src.length) {
      const grow = (a) => { const b = new a.constructor(a.length * 2); b.set(a); return b; };
      src = grow(src); dst = grow(dst); prob = grow(prob);
    }
    for (const s of sources) {
      const same = t >= 0 && track[s] === t;
      const u = rng.uniform();
      src[e] = s;
      dst[e] = d;
      prob[e] = same ? 1 - 0.6 * u * u : rng.uniform() < fakeKept ? 0.56 + 0.44 * u : 0.55 * u * u;
      e++;
    }
  }
  return { numHits, src: src.subarray(0, e), dst: dst.subarray(0, e), prob: prob.subarray(0, e) };
}

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

// DBSCAN and HDBSCAN (issue 16) per event at mu = 20 and mu = 200 size (synthetic scored graphs of
// synthetic-graph.mjs, as cluster.bench.mjs), with cut as the anchor, and scikit-learn's DBSCAN on
// the same sparse distance matrix side by side (tools/validate/dbscan_sklearn.py, Debian's
// python3-sklearn; its fit alone is timed, not the matrix building). Medians after a warm-up.
// Run after a build: node tools/bench/density-clusterers.bench.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@hypertrack/core';
import { clusterCut, clusterDbscan, clusterHdbscan, DBSCAN_DEFAULTS, DEFAULT_EDGE_THRESHOLD } from '@hypertrack/cluster';
import { measure } from './harness.mjs';
import { syntheticGraph } from './synthetic-graph.mjs';

const PYTHON = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const SKLEARN = fileURLToPath(new URL('../validate/dbscan_sklearn.py', import.meta.url));
const rng = Rng.fromSeed(2026);
const dir = mkdtempSync(join(tmpdir(), 'density-bench-'));
const results = [];
try {
  for (const c of [
    { name: 'mu = 20 size', hits: 15_000, edgesPerHit: 20, runs: 9 },
    { name: 'mu = 200 size', hits: 130_000, edgesPerHit: 46, runs: 3 },
  ]) {
    const graph = syntheticGraph(rng.split(c.name), c.hits, c.edgesPerHit);
    const row = { case: c.name, hits: graph.numHits, edges: graph.src.length };
    for (const [name, cluster] of [['cut', clusterCut], ['dbscan', clusterDbscan], ['hdbscan', clusterHdbscan]]) {
      let stats;
      const run = await measure(`${name}, ${c.name}: ${(graph.src.length / 1e6).toFixed(2)}M edges`, () => {
        stats = cluster(graph).stats;
      }, { warmup: 1, runs: c.runs });
      row[name] = { medianMs: +run.medianMs.toFixed(1), clusters: stats.clusters, keptEdges: stats.keptEdges };
    }
    const file = join(dir, `${c.hits}.graph`);
    const e = graph.src.length;
    const bytes = Buffer.alloc(8 + 12 * e);
    bytes.writeInt32LE(graph.numHits, 0);
    bytes.writeInt32LE(e, 4);
    Buffer.from(graph.src.buffer, graph.src.byteOffset, 4 * e).copy(bytes, 8);
    Buffer.from(graph.dst.buffer, graph.dst.byteOffset, 4 * e).copy(bytes, 8 + 4 * e);
    Buffer.from(graph.prob.buffer, graph.prob.byteOffset, 4 * e).copy(bytes, 8 + 8 * e);
    writeFileSync(file, bytes);
    const sk = spawnSync(PYTHON, [SKLEARN, '--time', String(c.runs), String(DEFAULT_EDGE_THRESHOLD), String(DBSCAN_DEFAULTS.eps), String(DBSCAN_DEFAULTS.minSamples), file], { encoding: 'utf8' });
    if (sk.status === 0) {
      const timing = JSON.parse(sk.stdout.trim().split('\n').pop());
      row.sklearnDbscanMs = +timing.medianMs.toFixed(1);
      console.log(`scikit-learn DBSCAN fit, ${c.name}: median ${timing.medianMs.toFixed(1)} ms; ours / scikit-learn = ${(row.dbscan.medianMs / timing.medianMs).toFixed(2)}`);
    } else {
      console.log(`scikit-learn DBSCAN: not measured (${sk.stderr.trim().split('\n').pop()})`);
    }
    results.push(row);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`RESULT ${JSON.stringify(results)}`);

#!/usr/bin/env node
// Issue 16 validation: our DBSCAN against scikit-learn's on the same sparse distance matrices.
// 20 seeded graphs from 200 to 15k hits (mu = 20 size, up to about 300k edges): tracks of 6-14
// hits whose consecutive hits are joined with high probability, plus random edges between any hits
// with probabilities spread over [0, 1], no pair twice. The labels must be equal, hit for hit.
// Needs /usr/bin/python3 with python3-sklearn (BENCH_PYTHON to name another). Run after a build:
//   node tools/validate/dbscan-vs-sklearn.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@hypertrack/core';
import { clusterDbscan, DBSCAN_DEFAULTS, DEFAULT_EDGE_THRESHOLD } from '@hypertrack/cluster';

const PYTHON = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const SCRIPT = fileURLToPath(new URL('./dbscan_sklearn.py', import.meta.url));

/** A seeded graph of tracks and random edges; no (src, dst) pair twice. */
export function trackGraph(seed, hits) {
  const rng = Rng.fromSeed(seed);
  const pairs = new Map();
  const add = (s, d, p) => {
    if (s !== d && !pairs.has(s * hits + d)) pairs.set(s * hits + d, [s, d, p]);
  };
  for (let first = 0; first < hits; ) {
    const length = 6 + rng.int(9);
    const last = Math.min(hits, first + length);
    for (let h = first; h + 1 < last; h++) {
      add(h, h + 1, 0.75 + 0.25 * rng.uniform());
      if (rng.uniform() < 0.8) add(h + 1, h, 0.75 + 0.25 * rng.uniform());
      if (h + 2 < last && rng.uniform() < 0.5) add(h, h + 2, 0.6 + 0.4 * rng.uniform());
    }
    first = last;
  }
  for (let k = 0, extra = 15 * hits; k < extra; k++) add(rng.int(hits), rng.int(hits), rng.uniform() ** 2);
  const list = [...pairs.values()];
  return { numHits: hits, src: Int32Array.from(list, (e) => e[0]), dst: Int32Array.from(list, (e) => e[1]), prob: Float32Array.from(list, (e) => e[2]) };
}

const dir = mkdtempSync(join(tmpdir(), 'dbscan-sklearn-'));
try {
  const sizes = Array.from({ length: 20 }, (_, k) => Math.round(200 * (15_000 / 200) ** (k / 19)));
  const graphs = sizes.map((hits, k) => ({ file: join(dir, `g${k}.graph`), graph: trackGraph(100 + k, hits) }));
  for (const { file, graph } of graphs) {
    const e = graph.src.length;
    const bytes = Buffer.alloc(8 + 12 * e);
    bytes.writeInt32LE(graph.numHits, 0);
    bytes.writeInt32LE(e, 4);
    Buffer.from(graph.src.buffer).copy(bytes, 8);
    Buffer.from(graph.dst.buffer).copy(bytes, 8 + 4 * e);
    Buffer.from(graph.prob.buffer).copy(bytes, 8 + 8 * e);
    writeFileSync(file, bytes);
  }
  const run = spawnSync(PYTHON, [SCRIPT, String(DEFAULT_EDGE_THRESHOLD), String(DBSCAN_DEFAULTS.eps), String(DBSCAN_DEFAULTS.minSamples), ...graphs.map((g) => g.file)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`scikit-learn failed: ${run.stderr.trim().split('\n').pop()}`);
  let failures = 0;
  for (const [k, { file, graph }] of graphs.entries()) {
    const bytes = readFileSync(file.replace('.graph', '.sklearn.i32'));
    // A small file's Buffer is a view into a shared pool: copy exactly its bytes.
    const theirs = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const ours = clusterDbscan(graph);
    const differing = ours.labels.findIndex((label, i) => label !== theirs[i]);
    const clusters = new Set(theirs).size - (theirs.includes(-1) ? 1 : 0);
    console.log(`graph ${String(k).padStart(2)}: ${graph.numHits} hits, ${graph.src.length} edges, ${ours.stats.keptEdges} kept, ${clusters} clusters, ${ours.stats.timeMs.toFixed(1)} ms: ${differing === -1 ? 'equal' : `hit ${differing} differs (ours ${ours.labels[differing]}, scikit-learn ${theirs[differing]})`}`);
    if (differing !== -1 || theirs.length !== graph.numHits) failures++;
  }
  console.log(failures === 0 ? 'dbscan-vs-sklearn: all 20 graphs equal' : `dbscan-vs-sklearn: ${failures} graph(s) differ`);
  process.exitCode = failures === 0 ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

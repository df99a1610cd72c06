#!/usr/bin/env node
// Writes the Voxel-Dynamics edges of events, reduced as `hypertrack infer` reduces them, with pair
// features and truth labels, for a classifier outside the product (pair-classifier.py): one binary
// file of float32 rows [event, self-loop, label, r_i, z_i, r_j, z_j, dr, dz, dphi, deta,
// ...the decoder's pair geometry (gnn's pairGeometry, 8 values)], and a JSON header.
// Usage (after a build):
//   node tools/validate/pair-features-dump.mjs --vd-model M.vdm --in STORE --events 20-39 --rfactor 0.01 --out FILE
//        [--noise-ratio 0.05] [--seed 1]
import { writeFileSync } from 'node:fs';
import { PAIR_GEOMETRY_DIM, pairGeometry } from '@hypertrack/gnn';
import { openArrowStore, selectEvents } from '@hypertrack/io-arrow';
import { loadModel } from '@hypertrack/voxdyn';
import { labelledGraphs } from './vd-graphs.mjs';
import { scriptFlags } from './script-flags.mjs';

const flags = scriptFlags('pair-features-dump');
const modelPath = flags.required('vd-model');
const storePath = flags.required('in', 'an Arrow store');
const out = flags.required('out');
const rfactor = flags.number('rfactor', undefined);
const noiseRatio = flags.number('noise-ratio', 0.05);
const seed = flags.number('seed', 1);
const ranges = flags.ranges('events') ?? flags.fail('--events is required');

const RAW = 8;
const WIDTH = 3 + RAW + PAIR_GEOMETRY_DIM;
const model = await loadModel(modelPath);
const store = await openArrowStore(storePath);
const chunks = [];
let rows = 0;
for (const { eventId, points, graph, labels } of labelledGraphs(model, store, selectEvents(store.eventIds, ranges), { rfactor, noiseRatio, seed })) {
  const geometry = pairGeometry(points, 3, graph.src, graph.dst);
  const E = graph.src.length;
  const block = new Float32Array(E * WIDTH);
  const cyl = (i) => {
    const [x, y, z] = [points[3 * i], points[3 * i + 1], points[3 * i + 2]];
    const r = Math.hypot(x, y);
    return { r, z, phi: Math.atan2(y, x), eta: Math.asinh(z / Math.max(r, 1e-3)) };
  };
  for (let e = 0; e < E; e++) {
    const a = cyl(graph.src[e]);
    const b = cyl(graph.dst[e]);
    let dPhi = a.phi - b.phi;
    dPhi -= 2 * Math.PI * Math.round(dPhi / (2 * Math.PI));
    const o = e * WIDTH;
    block.set([eventId, graph.src[e] === graph.dst[e] ? 1 : 0, labels[e], a.r, a.z, b.r, b.z, b.r - a.r, b.z - a.z, dPhi, b.eta - a.eta], o);
    block.set(geometry.subarray(e * PAIR_GEOMETRY_DIM, (e + 1) * PAIR_GEOMETRY_DIM), o + 3 + RAW);
  }
  chunks.push(block);
  rows += E;
  console.error(`event ${eventId}: ${points.length / 3} hits, ${E} edges`);
}
const all = new Float32Array(rows * WIDTH);
let at = 0;
for (const c of chunks) {
  all.set(c, at);
  at += c.length;
}
writeFileSync(out, Buffer.from(all.buffer));
writeFileSync(`${out}.json`, JSON.stringify({ rows, width: WIDTH, columns: ['event', 'self', 'label', 'r_i', 'z_i', 'r_j', 'z_j', 'dr', 'dz', 'dphi', 'deta', ...Array.from({ length: PAIR_GEOMETRY_DIM }, (_, k) => `geometry_${k}`)] }));
console.error(`wrote ${rows} edges to ${out}`);

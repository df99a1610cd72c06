#!/usr/bin/env node
// The two-angle baseline of docs/training.md: on the Voxel-Dynamics edges of each event, the fixed
// score -(delta-eta^2 + delta-phi^2) of the two hits (eta and phi seen from the origin; no training,
// no parameters), and its edge AUC against the truth labels the GNN is scored with. The events are
// reduced exactly as `hypertrack infer` reduces them (same --rfactor, --noise-ratio and --seed), so
// the AUC compares directly with infer's GNN AUC; printed with the self-loops (as the GNN's
// GNN(AUC)) and without them (as its AUC(noself)).
// Usage (after a build):
//   node tools/validate/angle-baseline.mjs --vd-model M.vdm --in STORE [--events 110-114]
//        [--rfactor 0.01] [--noise-ratio 0.05] [--seed 1]
import { rocAuc, rocAucWithoutSelfLoops } from '@hypertrack/metrics';
import { openArrowStore, selectEvents } from '@hypertrack/io-arrow';
import { loadModel } from '@hypertrack/voxdyn';
import { labelledGraphs } from './vd-graphs.mjs';
import { scriptFlags } from './script-flags.mjs';

const flags = scriptFlags('angle-baseline');
const modelPath = flags.required('vd-model');
const storePath = flags.required('in', 'an Arrow store');
const rfactor = flags.number('rfactor', undefined);
const noiseRatio = flags.number('noise-ratio', 0.05);
const seed = flags.number('seed', 1);
const ranges = flags.ranges('events');

const model = await loadModel(modelPath);
const store = await openArrowStore(storePath);
const eventIds = ranges === undefined ? store.eventIds : selectEvents(store.eventIds, ranges);
const aucs = [];
const aucsNoSelf = [];
for (const { eventId, points, graph, labels } of labelledGraphs(model, store, eventIds, { rfactor, noiseRatio, seed })) {
  const n = graph.numHits;
  const eta = new Float64Array(n);
  const phi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [x, y, z] = [points[3 * i], points[3 * i + 1], points[3 * i + 2]];
    eta[i] = Math.asinh(z / Math.hypot(x, y));
    phi[i] = Math.atan2(y, x);
  }
  const scores = new Float64Array(graph.src.length);
  for (let e = 0; e < scores.length; e++) {
    const a = graph.src[e];
    const b = graph.dst[e];
    let dPhi = phi[a] - phi[b];
    dPhi -= 2 * Math.PI * Math.round(dPhi / (2 * Math.PI));
    scores[e] = -((eta[a] - eta[b]) ** 2 + dPhi ** 2);
  }
  const auc = rocAuc(scores, labels);
  const noSelf = rocAucWithoutSelfLoops(scores, labels, graph.src, graph.dst);
  aucs.push(auc);
  aucsNoSelf.push(noSelf);
  console.log(`event ${eventId}: ${n} hits, ${scores.length} edges, two-angle AUC ${auc.toFixed(4)}, without self-loops ${noSelf.toFixed(4)}`);
}
const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
console.log(`two-angle baseline AUC, mean over ${aucs.length} event(s): ${mean(aucs).toFixed(4)}; without self-loops ${mean(aucsNoSelf).toFixed(4)}`);

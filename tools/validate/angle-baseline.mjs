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
import { Rng } from '@hypertrack/core';
import { rocAuc, rocAucWithoutSelfLoops } from '@hypertrack/metrics';
import { hitPoints, openArrowStore, particleIndexOfHits, reduceEvent, selectEvents } from '@hypertrack/io-arrow';
import { edgeLabels, GraphBuilder, loadModel } from '@hypertrack/voxdyn';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return fallback;
  if (at + 1 >= args.length) fail(`--${name} needs a value`);
  return args[at + 1];
};
function fail(message) {
  console.error(`angle-baseline: ${message}`);
  process.exit(2);
}
const number = (name, fallback) => {
  const text = flag(name, undefined);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) fail(`--${name} must be a number, got "${text}"`);
  return value;
};
const modelPath = flag('vd-model') ?? fail('--vd-model is required');
const storePath = flag('in') ?? fail('--in is required (an Arrow store)');
const rfactor = number('rfactor', undefined);
const noiseRatio = number('noise-ratio', 0.05);
const seed = number('seed', 1);
const ranges = flag('events', undefined);

const model = await loadModel(modelPath);
const store = await openArrowStore(storePath);
const eventIds = ranges === undefined ? store.eventIds : selectEvents(store.eventIds, ranges.split(',').map((r) => r.split('-').map(Number)).map(([a, b]) => [a, b ?? a]));
const builder = new GraphBuilder(model, {});
const root = Rng.fromSeed(seed);
const aucs = [];
const aucsNoSelf = [];
for (const eventId of eventIds) {
  let event = store.load(eventId);
  if (rfactor !== undefined) event = reduceEvent(event, { rfactor, noiseRatio, rng: root.split(eventId) }).event;
  const points = hitPoints(event.hits);
  const membership = particleIndexOfHits(event);
  const graph = builder.build(points);
  const labels = edgeLabels(model.node2node, graph, points, 3, membership);
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

// Render time of each plot type (SVG through vega, then PNG through resvg), of a whole run report,
// and of the Phoenix export of a pile-up 200 event. Run after a build: node tools/bench/report.bench.mjs
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { doubleMajority, hitMixing, observableEfficiency, rocCurve } from '@hypertrack/metrics';
import { efficiencyPlot, eventScorePlot, hitMixingPlot, rocPlot, toPhoenixEvent, toPng, toRunJson, trainingPlots, writeRunReport } from '@hypertrack/report';
import { measure } from './harness.mjs';

/** A reconstruction with mistakes: 10% of tracks lose their hits after the third to a new cluster. */
function perturbed(truthLabel, rng) {
  let tracks = 0;
  for (const t of truthLabel) tracks = Math.max(tracks, t + 1);
  const split = Uint8Array.from({ length: tracks }, () => (rng.uniform() < 0.1 ? 1 : 0));
  const seen = new Int32Array(tracks);
  return Int32Array.from(truthLabel, (t) => (t < 0 ? -1 : split[t] && ++seen[t] > 3 ? tracks + t : t));
}

function padded(values, n, fill) {
  const out = new Float64Array(n).fill(fill);
  out.set(values.subarray(0, Math.min(n, values.length)));
  return out;
}

const rng = Rng.fromSeed(5);
const { event, hitParticle } = simulateEvent(1000, defaultSimulationConfig({ pileup: 200 }), rng.split('sim'));
const reco = perturbed(hitParticle, rng.split('perturb'));
const dm = doubleMajority(hitParticle, reco, event.truth.weight);
const n = event.particles.particleId.length;
const p = event.particles;
const efficiency = observableEfficiency([{ vx: p.vx, vy: p.vy, vz: p.vz, px: p.px, py: p.py, pz: p.pz, nhits: padded(dm.truthSize, n, 0), passed: padded(dm.passed, n, 0), hitPurity: padded(dm.hitPurity, n, -1), hitEfficiency: padded(dm.hitEfficiency, n, -1) }]);
const mixing = hitMixing(dm);
console.log(`pile-up 200 event: ${event.hits.hitId.length} hits, ${dm.numTruthTracks} true tracks with >= 4 hits`);

function edgeScores(seed, edges, separation) {
  const r = Rng.fromSeed(seed);
  const scores = new Float32Array(edges);
  const labels = new Uint8Array(edges);
  for (let i = 0; i < edges; i++) {
    labels[i] = r.uniform() < 0.05 ? 1 : 0;
    scores[i] = 1 / (1 + Math.exp(-r.normal(labels[i] ? separation : -separation, 1)));
  }
  return rocCurve(scores, labels, { maxPoints: 2000 });
}
const roc = [
  { name: 'VD', curve: edgeScores(1, 1_000_000, 1.2) },
  { name: 'GNN', curve: edgeScores(2, 1_000_000, 2.4) },
];
const events = Array.from({ length: 1250 }, (_, k) => ({ eventId: 8750 + k, hits: 100000, tracks: 9000, trackmlScore: 0.9 + 0.02 * rng.normal(), dms: 0.9 + 0.02 * rng.normal(), efficiency: 0.93 + 0.01 * rng.normal(), purity: 0.97 + 0.01 * rng.normal() }));
const training = Array.from({ length: 100_000 }, (_, i) => ({ iteration: i + 1, phase: 'train', loss: 0.05 + Math.exp(-i / 20000) * (1 + 0.1 * rng.normal()) ** 2, lr: 1e-3 * (1 - i / 100_000) + 1e-6 }));

const eta = efficiency.categories.inclusive.find((o) => o.key === 'eta');
const rocSvg = (await rocPlot(roc)).svg;
await measure('ROC, 2 curves of 1M edges (SVG)', () => rocPlot(roc));
await measure('ROC, log FPR (SVG)', () => rocPlot(roc, { scale: 'log' }));
await measure('efficiency vs eta, 50 bins (SVG)', () => efficiencyPlot(eta));
await measure('hit mixing, pile-up 200 (SVG)', () => hitMixingPlot(mixing));
await measure('per-event scores, 1250 events (SVG)', () => eventScorePlot(events));
await measure('training log, 100k iterations, 3 plots (SVG)', () => trainingPlots(training));
await measure('ROC SVG to PNG (2x)', () => toPng(rocSvg));

const dir = mkdtempSync(join(tmpdir(), 'report-bench-'));
try {
  mkdirSync(join(dir, 'score'));
  mkdirSync(join(dir, 'roc'));
  writeFileSync(join(dir, 'score', 'events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
  writeFileSync(join(dir, 'score', 'efficiency.json'), toRunJson(efficiency));
  writeFileSync(join(dir, 'score', 'hit-mixing.json'), toRunJson(mixing));
  roc.forEach((s) => writeFileSync(join(dir, 'roc', `${s.name}.json`), toRunJson(s)));
  writeFileSync(join(dir, 'metrics.jsonl'), training.map((r) => JSON.stringify(r)).join('\n'));
  await measure('writeRunReport: 43 plots, SVG + PNG + HTML', () => writeRunReport(dir), { warmup: 1, runs: 3 });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

let bytes = 0;
await measure('Phoenix export, pile-up 200, + JSON.stringify', () => (bytes = JSON.stringify(toPhoenixEvent(event, { reconstructed: reco })).length));
console.log(`Phoenix file: ${(bytes / 1e6).toFixed(1)} MB`);

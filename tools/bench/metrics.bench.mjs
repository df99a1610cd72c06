// Targets (metrics issue): TrackML score + double-majority metrics of one 120k-hit event in
// <= 30 ms, exact ROC curve + AUC over 10 million edges in <= 2 s.
// Run after a build: node tools/bench/metrics.bench.mjs
import { encodeParticleId, Rng } from '@hypertrack/core';
import { doubleMajority, rocAuc, rocCurve, trackmlScore } from '@hypertrack/metrics';
import { measure } from './harness.mjs';

/**
 * A TrackML-sized event: ~10k particles of 4-20 hits (mean ~10), 15% noise, hits in random order
 * with hit ids 1..N, positive weights summing to 1 on particle hits and 0 on noise.
 */
function syntheticEvent(rng, targetHits = 120_000, noiseFraction = 0.15) {
  const trackHits = Math.round(targetHits * (1 - noiseFraction));
  const sizes = [];
  for (let total = 0; total < trackHits; ) {
    const n = Math.min(4 + rng.poisson(6), trackHits - total);
    sizes.push(n);
    total += n;
  }
  const numHits = targetHits;
  const label = new Int32Array(numHits).fill(-1);
  let h = 0;
  sizes.forEach((n, p) => {
    for (let k = 0; k < n; k++) label[h++] = p;
  });
  const order = rng.permutation(numHits);
  const truthLabel = Int32Array.from(order, (i) => label[i]);
  const ids = sizes.map((_, p) => encodeParticleId({ vertex: 1 + (p % 200), primary: 1 + Math.floor(p / 200), generation: 0, secondary: 0, process: 0 }));
  const weight = new Float32Array(numHits);
  let sum = 0;
  for (let i = 0; i < numHits; i++) if (truthLabel[i] >= 0) sum += weight[i] = 0.5 + rng.uniform();
  for (let i = 0; i < numHits; i++) weight[i] /= sum;
  const truth = {
    hitId: Int32Array.from({ length: numHits }, (_, i) => i + 1),
    particleId: BigUint64Array.from(truthLabel, (p) => (p >= 0 ? ids[p] : 0n)),
    weight,
  };
  return { truth, truthLabel, numParticles: sizes.length };
}

/** A flawed reconstruction: 3% of tracks split, 2% merged, 5% of hits moved, noise half attached. */
function flawedClusters(rng, truthLabel, numParticles) {
  let next = numParticles;
  const splitAt = new Map();
  const mergeInto = new Int32Array(numParticles).map((_, p) => p);
  for (let p = 0; p < numParticles; p++) {
    if (rng.uniform() < 0.03) splitAt.set(p, next++);
    if (rng.uniform() < 0.02) mergeInto[p] = rng.int(numParticles);
  }
  const seen = new Int32Array(numParticles);
  return Int32Array.from(truthLabel, (t) => {
    if (t < 0) return rng.uniform() < 0.5 ? -1 : rng.int(numParticles);
    if (rng.uniform() < 0.05) return rng.int(next);
    if (splitAt.has(t) && seen[t]++ % 2 === 1) return splitAt.get(t);
    return mergeInto[t];
  });
}

const rng = Rng.fromSeed(2025);
const { truth, truthLabel, numParticles } = syntheticEvent(rng.split('event'));
const clusters = flawedClusters(rng.split('submission'), truthLabel, numParticles);
// The submission as read from a CSV: int64 track ids; unassigned hits get their own ids.
const trackId = BigInt64Array.from(clusters, (c, i) => (c >= 0 ? BigInt(c) * 7919n + 2n ** 40n : -1n - BigInt(i)));
let trackml = 0;
let dms = 0;
const scoreRun = await measure('TrackML score + DMS, 120k hits', () => {
  trackml = trackmlScore(truth, { hitId: truth.hitId, trackId }).score;
  dms = doubleMajority(truthLabel, clusters, truth.weight).dms;
}, { warmup: 3, runs: 15 });

const EDGES = 10_000_000;
const edgeRng = rng.split('edges');
const labels = new Uint8Array(EDGES);
const scores = new Float32Array(EDGES);
for (let e = 0; e < EDGES; e++) {
  const u = edgeRng.uniform();
  labels[e] = edgeRng.uniform() < 0.1 ? 1 : 0;
  scores[e] = labels[e] ? 1 - u * u : u * u * u;
}
let auc = 0;
let points = 0;
const rocRun = await measure('exact ROC curve + AUC, 10M edges', () => {
  const roc = rocCurve(scores, labels);
  auc = roc.auc;
  points = roc.tpr.length;
}, { warmup: 1, runs: 5 });
const aucRun = await measure('AUC only, 10M edges', () => {
  auc = rocAuc(scores, labels);
}, { warmup: 1, runs: 5 });

console.log(
  JSON.stringify({
    bench: 'metrics',
    hits: truth.hitId.length,
    particles: numParticles,
    trackmlScore: trackml,
    dms,
    scoreAndDmsMedianMs: scoreRun.medianMs,
    scoreTargetMs: 30,
    edges: EDGES,
    rocPoints: points,
    auc,
    rocMedianMs: rocRun.medianMs,
    aucOnlyMedianMs: aucRun.medianMs,
    rocTargetMs: 2000,
  }),
);

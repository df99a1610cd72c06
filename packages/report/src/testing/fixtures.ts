/**
 * Realistic inputs for tests and previews: a simulated event scored against a perturbed
 * reconstruction, and synthetic edge-score ROC curves.
 */
import { Rng, type Seed, type TrackMLEvent } from '@hypertrack/core';
import { simulateEvent, defaultSimulationConfig } from '@hypertrack/detsim';
import {
  doubleMajority,
  efficiencyEventOf,
  hitMixing,
  observableEfficiency,
  rocCurve,
  summarizeResults,
  sumTrackingPerformance,
  trackingPerformance,
  trackmlScore,
  type DoubleMajorityResult,
  type EfficiencyEvent,
  type EfficiencyReport,
  type EventResults,
  type HitMixing,
  type ResultsSummary,
  type RocCurve,
  type TrackingPerformance,
} from '@hypertrack/metrics';
import type { RunInferEvent, RunMetricsRecord, RunScoreEvent } from '../run/files';

export interface ScoredEvent {
  event: TrackMLEvent;
  /** Per hit: row of its particle in `event.particles`, -1 for noise. */
  truthLabel: Int32Array;
  /** Per hit: reconstructed cluster, -1 unassigned. */
  recoLabel: Int32Array;
  majority: DoubleMajorityResult;
  score: RunScoreEvent;
  /** Efficiency for target particles and per region, fake and duplicate rates of this event. */
  tracking: TrackingPerformance;
}

/**
 * A reconstruction with typical mistakes: a fraction of the tracks loses its last hits to a new
 * cluster (split), pairs of tracks are merged, and noise hits stay unassigned.
 */
export function perturbedLabels(truthLabel: Int32Array, rng: Rng, splitFraction = 0.1, mergeFraction = 0.06): Int32Array {
  let tracks = 0;
  for (const t of truthLabel) tracks = Math.max(tracks, t + 1);
  const target = new Int32Array(tracks);
  for (let t = 0; t < tracks; t++) target[t] = t;
  const split = new Uint8Array(tracks);
  for (let t = 0; t < tracks; t++) {
    const u = rng.uniform();
    if (u < splitFraction) split[t] = 1;
    else if (u < splitFraction + mergeFraction && t > 0) target[t] = target[t - 1];
  }
  const seen = new Int32Array(tracks);
  const out = new Int32Array(truthLabel.length).fill(-1);
  for (let i = 0; i < truthLabel.length; i++) {
    const t = truthLabel[i];
    if (t < 0) continue;
    seen[t]++;
    out[i] = split[t] && seen[t] > 3 ? tracks + t : target[t];
  }
  return out;
}


export function scoredEvent(eventId: number, pileup: number, seed = 1): ScoredEvent {
  const rng = Rng.fromSeed(seed).split(eventId);
  const { event, hitParticle } = simulateEvent(eventId, defaultSimulationConfig({ pileup }), rng.split('simulate'));
  const recoLabel = perturbedLabels(hitParticle, rng.split('perturb'));
  const truth = event.truth as NonNullable<TrackMLEvent['truth']>;
  const majority = doubleMajority(hitParticle, recoLabel, truth.weight);
  // Unassigned hits each get a track of their own, as the official score expects every hit listed.
  const trackId = Int32Array.from(recoLabel, (label, i) => (label >= 0 ? label : 1_000_000 + i));
  const official = trackmlScore(truth, { hitId: event.hits.hitId, trackId });
  const tracks = new Set(recoLabel.filter((l) => l >= 0)).size;
  return {
    event,
    truthLabel: hitParticle,
    recoLabel,
    majority,
    tracking: trackingPerformance({ truthLabel: hitParticle, match: majority, particles: event.particles, volumeId: event.hits.volumeId }),
    score: { eventId, hits: recoLabel.length, tracks, trackmlScore: official.score, dms: majority.dms, efficiency: majority.efficiency, purity: majority.purity },
  };
}

export function efficiencyEvent(scored: ScoredEvent): EfficiencyEvent {
  return efficiencyEventOf(scored.event.particles, scored.majority);
}

/** Edge scores: positives ~ sigmoid(N(mu, 1)), negatives ~ sigmoid(N(-mu, 1)). */
export function syntheticRoc(seed: Seed, edges: number, positiveFraction: number, separation: number): RocCurve {
  const rng = Rng.fromSeed(seed);
  const scores = new Float32Array(edges);
  const labels = new Uint8Array(edges);
  for (let i = 0; i < edges; i++) {
    labels[i] = rng.uniform() < positiveFraction ? 1 : 0;
    scores[i] = 1 / (1 + Math.exp(-rng.normal(labels[i] ? separation : -separation, 1)));
  }
  return rocCurve(scores, labels, { maxPoints: 2000 });
}
/**
 * A plausible training log: two phases, a decaying loss, a warm-up then cosine learning rate, a
 * step time in ms, and the counters and ids a real log has (hits, event, tensors), which are no curves.
 */
export function syntheticTrainingLog(iterations: number, seed = 3): RunMetricsRecord[] {
  const rng = Rng.fromSeed(seed);
  const out: RunMetricsRecord[] = [];
  for (let it = 1; it <= iterations; it++) {
    const warm = Math.min(1, it / (iterations * 0.05));
    const lr = 1e-3 * warm * 0.5 * (1 + Math.cos((Math.PI * it) / iterations));
    const loss = 0.05 + 0.65 * Math.exp(-it / (iterations * 0.2)) * Math.exp(0.15 * rng.normal());
    out.push({ iteration: it, phase: 'train', loss, loss_edge: loss * 0.6, lr, step_ms: 400 + 50 * rng.uniform(), hits: 1000 + (it % 37), event: it % 20, tensors: 367 });
    if (it % Math.max(1, Math.floor(iterations / 20)) === 0) {
      out.push({ iteration: it, phase: 'validate', loss: loss * 1.1, auc: 0.9 + 0.09 * (1 - Math.exp(-it / (iterations * 0.3))), dms: 0.5 + 0.4 * (1 - Math.exp(-it / (iterations * 0.4))), val_event: 100 + (it % 5) });
    }
  }
  return out;
}

export interface RunFixture {
  scored: ScoredEvent[];
  efficiency: EfficiencyReport;
  mixing: HitMixing;
  results: ResultsSummary;
  /** What infer writes per event (`infer/events.jsonl`): the results row with times in ms. */
  inferEvents: RunInferEvent[];
  tracking: TrackingPerformance;
  events: RunScoreEvent[];
  roc: { name: string; curve: RocCurve }[];
  training: RunMetricsRecord[];
}

/** Everything a full report holds, from `events` simulated events at the given pile-up. */
export function runFixture(events: number, pileup: number): RunFixture {
  const scored = Array.from({ length: events }, (_, k) => scoredEvent(1000 + k, pileup));
  const roc = [
    { name: 'VD', curve: syntheticRoc('vd', 40_000, 0.05, 1.2) },
    { name: 'GNN', curve: syntheticRoc('gnn', 40_000, 0.05, 2.4) },
  ];
  // Times in ms as the pipeline measures them; the first event is the slow warm-up.
  const inferEvents: RunInferEvent[] = scored.map((s, k) => ({
    eventId: s.score.eventId,
    hits: s.score.hits,
    edges: 20 * s.score.hits,
    clusters: s.score.tracks,
    vdTpr: 0.99 - 0.002 * k,
    vdFpr: 0.02 + 0.001 * k,
    gnnTpr: 0.95,
    gnnFpr: 0.004,
    gnnAuc: roc[1].curve.auc,
    gnnAucNoSelf: roc[1].curve.auc - 0.01,
    dms: s.majority.dms,
    efficiency: s.majority.efficiency,
    purity: s.majority.purity,
    timeVd: (k === 0 ? 40 : 15) + 2 * k,
    timeGnn: k === 0 ? 300 : 120 + 10 * k,
    timeCc: 4 + k,
    timeCluster: 0,
  }));
  const results = summarizeResults(inferEvents as EventResults[], { timingWarmUp: events > 1 ? 1 : 0 });
  return {
    scored,
    inferEvents,
    tracking: sumTrackingPerformance(scored.map((s) => s.tracking)),
    efficiency: observableEfficiency(scored.map(efficiencyEvent)),
    mixing: hitMixing(scored.map((s) => s.majority)),
    results,
    events: scored.map((s) => s.score),
    roc,
    training: syntheticTrainingLog(400),
  };
}

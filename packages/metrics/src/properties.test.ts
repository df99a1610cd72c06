import { Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent, type SimulatedEvent } from '@hypertrack/detsim';
import { doubleMajority } from './majority/double-majority';
import { bruteDoubleMajority, bruteTrackmlScore } from './testing/brute-force';
import { trackmlScore } from './trackml/score';
import { indexTruth } from './trackml/truth-index';

// Properties of the TrackML score and the double-majority metrics over simulated events
// (pile-up 10, about 9k hits and 800 particles each, official TrackML weights, 15% noise).
// Every expectation below is computed directly from the truth, not with the code under test.

const SEEDS = [1, 2, 3, 4, 5];
const events: SimulatedEvent[] = SEEDS.map((seed) => simulateEvent(seed, defaultSimulationConfig({ pileup: 10 }), Rng.fromSeed(seed)));

interface Particle {
  row: number;
  hits: number[];
  weight: number;
}

const particleCache = new WeakMap<SimulatedEvent, Particle[]>();
const indexCache = new WeakMap<SimulatedEvent, ReturnType<typeof indexTruth>>();

function particlesOf(sim: SimulatedEvent): Particle[] {
  if (!particleCache.has(sim)) particleCache.set(sim, collectParticles(sim));
  return particleCache.get(sim)!;
}

function collectParticles(sim: SimulatedEvent): Particle[] {
  const byRow = new Map<number, Particle>();
  const w = sim.event.truth!.weight;
  sim.hitParticle.forEach((p, i) => {
    if (p < 0) return;
    if (!byRow.has(p)) byRow.set(p, { row: p, hits: [], weight: 0 });
    const particle = byRow.get(p)!;
    particle.hits.push(i);
    particle.weight += w[i];
  });
  return [...byRow.values()].sort((a, b) => a.row - b.row);
}

function totalWeight(sim: SimulatedEvent): number {
  return sim.event.truth!.weight.reduce((s, w) => s + w, 0);
}

function noiseHits(sim: SimulatedEvent): number[] {
  const out: number[] = [];
  sim.hitParticle.forEach((p, i) => p < 0 && out.push(i));
  return out;
}

/** Truth-perfect track ids: the particle row, and a fresh id for each noise hit. */
function perfectTracks(sim: SimulatedEvent): Int32Array {
  const n = sim.hitParticle.length;
  return Int32Array.from(sim.hitParticle, (p, i) => (p >= 0 ? p : n + i));
}

/** Truth-perfect clusters: the particle row, noise unassigned. */
function perfectClusters(sim: SimulatedEvent): Int32Array {
  return Int32Array.from(sim.hitParticle);
}

function score(sim: SimulatedEvent, trackId: Int32Array | BigInt64Array): ReturnType<typeof trackmlScore> {
  if (!indexCache.has(sim)) indexCache.set(sim, indexTruth(sim.event.truth!));
  return trackmlScore(indexCache.get(sim)!, { hitId: sim.event.truth!.hitId, trackId });
}

function dmsOf(sim: SimulatedEvent, clusters: Int32Array): ReturnType<typeof doubleMajority> {
  return doubleMajority(sim.hitParticle, clusters, sim.event.truth!.weight);
}

/** Expected double-majority figures when the matched tracks and the matched weight are known. */
function expectDms(sim: SimulatedEvent, r: ReturnType<typeof doubleMajority>, matched: Map<number, number>, matchable: number): void {
  const eligible = particlesOf(sim).filter((p) => p.hits.length >= 4);
  const eligibleWeight = eligible.reduce((s, p) => s + p.weight, 0);
  const matchedWeight = [...matched.values()].reduce((s, w) => s + w, 0);
  expect(r.numMatched).toBe(matched.size);
  expect(r.efficiency).toBeCloseTo(matched.size / eligible.length, 14);
  expect(r.dms).toBeCloseTo(matchedWeight / eligibleWeight, 12);
  expect(r.purity).toBeCloseTo(matched.size / matchable, 14);
  const passedRows: number[] = [];
  r.passed.forEach((v, row) => v && passedRows.push(row));
  // Compared as strings: jest's deep equality on hundreds of entries would dominate the run time.
  expect(passedRows.join(',')).toBe([...matched.keys()].sort((a, b) => a - b).join(','));
}

function perfectMatches(sim: SimulatedEvent): Map<number, number> {
  return new Map(particlesOf(sim).filter((p) => p.hits.length >= 4).map((p) => [p.row, p.weight]));
}

const sumWeights = (sim: SimulatedEvent, hits: number[]) => hits.reduce((s, i) => s + sim.event.truth!.weight[i], 0);

describe.each(SEEDS.map((seed, k) => [seed, events[k]] as const))('simulated event %i', (_seed, sim) => {
  const particles = particlesOf(sim);
  const total = totalWeight(sim);
  const eligible = particles.filter((p) => p.hits.length >= 4);

  it('is a realistic test bed (hundreds of particles, noise, weights summing to 1)', () => {
    expect(particles.length).toBeGreaterThan(150);
    expect(eligible.length).toBeGreaterThan(100);
    expect(noiseHits(sim).length).toBeGreaterThan(200);
    expect(total).toBeCloseTo(1, 6);
  });

  it('scores the truth assignment exactly 1, with DMS = efficiency = purity = 1', () => {
    const r = score(sim, perfectTracks(sim));
    expect(r.score).toBe(1);
    expect(r.numGoodTracks).toBe(particles.length);
    // The same with the 64-bit particle ids as track ids (all noise in track 0).
    expect(score(sim, BigInt64Array.from(sim.event.truth!.particleId, (p) => BigInt.asIntN(64, p))).score).toBe(1);
    const d = dmsOf(sim, perfectClusters(sim));
    expect([d.dms, d.efficiency, d.purity]).toEqual([1, 1, 1]);
    expect(d.numMatched).toBe(eligible.length);
  });

  it('loses the smaller of two merged tracks (both when they tie)', () => {
    const rng = Rng.fromSeed(100).split(_seed);
    const pairs: [Particle, Particle][] = [];
    for (let k = 0; k < 20; k++) pairs.push([particles[rng.int(particles.length)], particles[rng.int(particles.length)]]);
    const tie = particles.find((p) => p !== eligible[0] && p.hits.length === eligible[0].hits.length);
    if (tie) pairs.push([eligible[0], tie]);
    for (const [a, b] of pairs) {
      if (a === b) continue;
      const tracks = perfectTracks(sim);
      const clusters = perfectClusters(sim);
      for (const i of b.hits) tracks[i] = clusters[i] = a.row;
      const na = a.hits.length;
      const nb = b.hits.length;
      const larger = na > nb ? a : nb > na ? b : null;
      // TrackML: the merged track keeps only its strict majority particle.
      expect(score(sim, tracks).score).toBeCloseTo((total - a.weight - b.weight + (larger ? larger.weight : 0)) / total, 12);
      // DMS: the same, provided the survivor has >= 4 hits; the merged cluster replaces two.
      const matched = perfectMatches(sim);
      matched.delete(a.row);
      matched.delete(b.row);
      if (larger && larger.hits.length >= 4) matched.set(larger.row, larger.weight);
      const matchable = eligible.length - (na >= 4 ? 1 : 0) - (nb >= 4 ? 1 : 0) + (na + nb >= 4 ? 1 : 0);
      expectDms(sim, dmsOf(sim, clusters), matched, matchable);
    }
  });

  it('keeps a split track only through a part holding more than half of its hits', () => {
    const p = eligible.reduce((best, q) => (q.hits.length > best.hits.length ? q : best));
    const n = p.hits.length;
    expect(n).toBeGreaterThanOrEqual(8);
    for (let k = 1; k < n; k++) {
      const tracks = perfectTracks(sim);
      const clusters = perfectClusters(sim);
      const first = p.hits.slice(0, k);
      const rest = p.hits.slice(k);
      for (const i of first) tracks[i] = clusters[i] = 1_000_000;
      const keep = 2 * k > n ? first : 2 * (n - k) > n ? rest : [];
      expect(score(sim, tracks).score).toBeCloseTo((total - p.weight + sumWeights(sim, keep)) / total, 12);
      const matched = perfectMatches(sim);
      matched.delete(p.row);
      if (keep.length >= 4) matched.set(p.row, sumWeights(sim, keep));
      expectDms(sim, doubleMajority(sim.hitParticle, relabelDense(clusters), sim.event.truth!.weight), matched, eligible.length - 1 + (k >= 4 ? 1 : 0) + (n - k >= 4 ? 1 : 0));
    }
  });

  it('loses a track once as many noise hits as its own hits are moved into it', () => {
    const noise = noiseHits(sim);
    for (const p of eligible.slice(0, 10)) {
      const n = p.hits.length;
      for (const m of [1, n - 1, n, n + 1]) {
        const tracks = perfectTracks(sim);
        const clusters = perfectClusters(sim);
        for (const i of noise.slice(0, m)) tracks[i] = clusters[i] = p.row;
        const lost = m >= n;
        expect(score(sim, tracks).score).toBeCloseTo(lost ? (total - p.weight) / total : 1, 12);
        const matched = perfectMatches(sim);
        if (lost) matched.delete(p.row);
        expectDms(sim, dmsOf(sim, clusters), matched, eligible.length);
      }
    }
  });

  it('does not depend on track ids, their relabelling or the row order', () => {
    const rng = Rng.fromSeed(200).split(_seed);
    const labels = randomClusters(sim, rng);
    const base = score(sim, labels);
    const baseDms = dmsOf(sim, labels);
    const k = Math.max(...labels) + 1;
    const perm = rng.permutation(k);
    const relabelled = Int32Array.from(labels, (l) => (l >= 0 ? perm[l] : -1));
    const d = dmsOf(sim, relabelled);
    expect([d.numMatched, d.efficiency, d.purity]).toEqual([baseDms.numMatched, baseDms.efficiency, baseDms.purity]);
    expect(d.dms).toBeCloseTo(baseDms.dms, 14);
    expect(Array.from(d.passed)).toEqual(Array.from(baseDms.passed));
    // TrackML: random 64-bit ids and shuffled submission rows.
    const ids = new Map<number, bigint>();
    const id = (l: number) => {
      if (!ids.has(l)) ids.set(l, BigInt(rng.int(2 ** 31)) * BigInt(rng.int(2 ** 31)) - 2n ** 61n);
      return ids.get(l)!;
    };
    const order = rng.permutation(labels.length);
    const truth = sim.event.truth!;
    const shuffled = trackmlScore(truth, { hitId: Int32Array.from(order, (i) => truth.hitId[i]), trackId: BigInt64Array.from(order, (i) => id(labels[i])) });
    expect(shuffled.numGoodTracks).toBe(base.numGoodTracks);
    expect(shuffled.numTracks).toBe(base.numTracks);
    expect(shuffled.score).toBeCloseTo(base.score, 14);
  });
});

/** Relabels a labelling to 0..K-1 by first appearance (keeps -1). */
function relabelDense(labels: Int32Array): Int32Array {
  const map = new Map<number, number>();
  return Int32Array.from(labels, (l) => {
    if (l < 0) return -1;
    if (!map.has(l)) map.set(l, map.size);
    return map.get(l)!;
  });
}

/**
 * A plausible, flawed reconstruction: tracks split and merged, hits moved between tracks, noise
 * hits attached to tracks or left unassigned (-1). The strength of each flaw is random.
 */
function randomClusters(sim: SimulatedEvent, rng: Rng): Int32Array {
  const labels = perfectClusters(sim);
  const particles = particlesOf(sim);
  let next = sim.event.particles.particleId.length;
  const [pSplit, pMerge, pMove, pNoise] = [rng.uniform() * 0.3, rng.uniform() * 0.3, rng.uniform() * 0.3, rng.uniform()];
  for (const p of particles) {
    if (rng.uniform() < pSplit) {
      const cut = rng.int(p.hits.length + 1);
      const label = next++;
      for (const i of p.hits.slice(cut)) labels[i] = label;
    }
    if (rng.uniform() < pMerge) {
      const other = particles[rng.int(particles.length)];
      for (const i of other.hits) labels[i] = labels[p.hits[0]];
    }
  }
  for (let i = 0; i < labels.length; i++) {
    const target = labels[rng.int(labels.length)];
    if (sim.hitParticle[i] < 0) {
      if (rng.uniform() < pNoise) labels[i] = target;
    } else if (rng.uniform() < pMove) {
      labels[i] = rng.uniform() < 0.2 ? -1 : rng.uniform() < 0.2 ? next++ : target;
    }
  }
  return relabelDense(labels);
}

describe('fast implementations against the brute-force transcriptions', () => {
  it('agree on 100 random seeded submissions over the simulated events', () => {
    const root = Rng.fromSeed(2024);
    for (let s = 0; s < 100; s++) {
      const sim = events[s % events.length];
      const rng = root.split(s);
      const truth = sim.event.truth!;
      const clusters = randomClusters(sim, rng);
      const fastDms = doubleMajority(sim.hitParticle, clusters, truth.weight);
      const slowDms = bruteDoubleMajority(sim.hitParticle, clusters, truth.weight);
      expect(fastDms.numMatched).toBe(slowDms.passed.size);
      for (const [r, t] of slowDms.match) expect(fastDms.matchIndex[r]).toBe(t);
      expect(fastDms.dms).toBeCloseTo(slowDms.dms, 12);
      expect(fastDms.efficiency).toBeCloseTo(slowDms.efficiency, 14);
      expect(fastDms.purity).toBeCloseTo(slowDms.purityMatchable, 14);
      // TrackML needs every hit in a track: unassigned hits share one id or get their own.
      const shared = rng.uniform() < 0.5;
      const trackId = Int32Array.from(clusters, (l, i) => (l >= 0 ? l : shared ? -1 : -2 - i));
      const index = indexTruth(truth);
      const fast = trackmlScore(index, { hitId: truth.hitId, trackId });
      const slow = bruteTrackmlScore(truth, truth.hitId, trackId);
      expect(fast.numGoodTracks).toBe(slow.good);
      expect(fast.numTracks).toBe(slow.tracks);
      expect(fast.score).toBeCloseTo(slow.score, 12);
      expect(fast.score).toBeLessThan(1);
      expect(fast.score).toBeGreaterThan(0.05);
    }
  });
});

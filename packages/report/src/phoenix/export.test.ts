import { ConfigError, Rng, type TrackMLEvent } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { perturbedLabels } from '../testing/fixtures';
import { orderAlongFlight, PHOENIX_COLLECTIONS, thinTracks, toPhoenixEvent } from './export';
import { phoenixProblem, PHOENIX_TRACK_CUTS } from './testing';
import type { PhoenixTrack } from './types';

const simulated = simulateEvent(7, defaultSimulationConfig({ pileup: 2 }), Rng.fromSeed(11).split(7));
const event = simulated.event;
const truth = event.truth as NonNullable<TrackMLEvent['truth']>;
const reco = perturbedLabels(simulated.hitParticle, Rng.fromSeed(12));

/** Hits per particle id, counted from the truth table alone. */
function hitsPerParticle(): Map<bigint, number> {
  const counts = new Map<bigint, number>();
  for (const id of truth.particleId) if (id !== 0n) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('toPhoenixEvent', () => {
  const file = toPhoenixEvent(event, { reconstructed: reco, runNumber: 3 });
  const phoenix = file['Event 7'];

  test('matches the Phoenix event schema and survives JSON', () => {
    expect(Object.keys(file)).toEqual(['Event 7']);
    expect(phoenixProblem(file)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
    expect(phoenix['event number']).toBe(7);
    expect(phoenix['run number']).toBe(3);
  });

  test('the schema check catches what Phoenix cannot draw', () => {
    const broken = JSON.parse(JSON.stringify(file));
    broken['Event 7'].Tracks[PHOENIX_COLLECTIONS.recoTracks][0].pos = [[0, 0, 0]];
    expect(phoenixProblem(broken)).toMatch(/fewer than 3 positions/);
    const noRun = JSON.parse(JSON.stringify(file));
    delete noRun['Event 7']['run number'];
    expect(phoenixProblem(noRun)).toMatch(/no run number/);
  });

  test('every hit once, split into track and noise hits by the truth', () => {
    const noise = truth.particleId.filter((id) => id === 0n).length;
    expect(event.hits.hitId.length).toBeGreaterThan(500);
    expect(noise).toBeGreaterThan(0);
    expect(Object.keys(phoenix.Hits)).toEqual([PHOENIX_COLLECTIONS.trackHits, PHOENIX_COLLECTIONS.noiseHits]);
    expect(phoenix.Hits[PHOENIX_COLLECTIONS.noiseHits]).toHaveLength(noise);
    expect(phoenix.Hits[PHOENIX_COLLECTIONS.trackHits]).toHaveLength(event.hits.hitId.length - noise);
    const ids = Object.values(phoenix.Hits).flatMap((hits) => hits.map((h) => h.hitId));
    expect(new Set(ids).size).toBe(event.hits.hitId.length);
    const first = phoenix.Hits[PHOENIX_COLLECTIONS.trackHits][0];
    const row = event.hits.hitId.indexOf(first.hitId);
    expect(first.pos[0]).toBeCloseTo(event.hits.x[row], 3);
    expect(first.pos[2]).toBeCloseTo(event.hits.z[row], 3);
  });

  test('one true track per particle with at least 4 hits, starting at its vertex', () => {
    const counts = hitsPerParticle();
    const expected = [...counts.values()].filter((n) => n >= 4).length;
    const tracks = phoenix.Tracks[PHOENIX_COLLECTIONS.truthTracks];
    expect(expected).toBeGreaterThan(20);
    expect(tracks).toHaveLength(expected);
    for (const t of tracks) {
      expect(t.nhits).toBe(counts.get(BigInt(t.particleId as string)));
      expect(t.pos).toHaveLength(t.nhits + 1);
      const row = event.particles.particleId.indexOf(BigInt(t.particleId as string));
      expect(t.pos[0]).toEqual([event.particles.vx[row], event.particles.vy[row], event.particles.vz[row]].map((v) => Math.round(v * 1000) / 1000));
      // Ordered along the flight: distance from the vertex never decreases.
      const d = t.pos.map((p) => Math.hypot(p[0] - t.pos[0][0], p[1] - t.pos[0][1], p[2] - t.pos[0][2]));
      for (let k = 1; k < d.length; k++) expect(d[k]).toBeGreaterThanOrEqual(d[k - 1]);
    }
  });

  test('one reconstructed track per cluster with at least minHits hits', () => {
    const sizes = new Map<number, number>();
    for (const label of reco) if (label >= 0) sizes.set(label, (sizes.get(label) ?? 0) + 1);
    const tracks = phoenix.Tracks[PHOENIX_COLLECTIONS.recoTracks];
    expect(tracks).toHaveLength([...sizes.values()].filter((n) => n >= 4).length);
    for (const t of tracks) expect(t.pos).toHaveLength(sizes.get(t.label as number) as number);
    const all = toPhoenixEvent(event, { reconstructed: reco, minHits: 1 })['Event 7'].Tracks[PHOENIX_COLLECTIONS.recoTracks];
    expect(all).toHaveLength(sizes.size);
  });

  test('truthLabels given as particle rows give the same file as the truth table', () => {
    expect(toPhoenixEvent(event, { reconstructed: reco, runNumber: 3, truthLabels: simulated.hitParticle })).toEqual(file);
  });

  test('without truth: assigned and unassigned hits; without a reconstruction either: one collection', () => {
    const bare: TrackMLEvent = { eventId: event.eventId, hits: event.hits, particles: event.particles };
    const withReco = toPhoenixEvent(bare, { reconstructed: reco, eventName: 'bare' }).bare;
    const unassigned = reco.filter((l) => l < 0).length;
    expect(Object.keys(withReco.Hits)).toEqual([PHOENIX_COLLECTIONS.assignedHits, PHOENIX_COLLECTIONS.unassignedHits]);
    expect(withReco.Hits[PHOENIX_COLLECTIONS.unassignedHits]).toHaveLength(unassigned);
    expect(Object.keys(withReco.Tracks)).toEqual([PHOENIX_COLLECTIONS.recoTracks]);
    const plain = toPhoenixEvent(bare)['Event 7'];
    expect(Object.keys(plain.Hits)).toEqual([PHOENIX_COLLECTIONS.hits]);
    expect(plain.Hits[PHOENIX_COLLECTIONS.hits]).toHaveLength(event.hits.hitId.length);
    expect(plain.Tracks).toEqual({});
    expect(phoenixProblem({ plain })).toBeUndefined();
  });

  test('bad options are ConfigErrors naming the option', () => {
    expect(() => toPhoenixEvent(event, { reconstructed: new Int32Array(3) })).toThrow(new ConfigError('reconstructed', `has 3 labels, expected one per hit (${event.hits.hitId.length})`));
    expect(() => toPhoenixEvent(event, { truthLabels: new Int32Array(1) })).toThrow(ConfigError);
    expect(() => toPhoenixEvent(event, { minHits: 0 })).toThrow('minHits: must be an integer >= 1, got 0');
    expect(() => toPhoenixEvent(event, { minPt: -1 })).toThrow('minPt: must be a number of GeV >= 0, got -1');
    expect(() => toPhoenixEvent(event, { maxTracks: 1.5 })).toThrow('maxTracks: must be an integer >= 0, got 1.5');
    expect(() => toPhoenixEvent(event, { hits: 'some' as 'all' })).toThrow('hits: must be one of all, tracks, none, got some');
    expect(() => toPhoenixEvent(event, { bFieldTesla: 0 })).toThrow('bFieldTesla: must be a field > 0 in tesla, got 0');
  });
});

describe("units: Phoenix's mm and MeV", () => {
  /** The event with particle `row`'s momentum set to (px, py, pz) GeV. */
  function withMomentum(row: number, p: [number, number, number]): TrackMLEvent {
    const particles = { ...event.particles, px: event.particles.px.slice(), py: event.particles.py.slice(), pz: event.particles.pz.slice() };
    [particles.px[row], particles.py[row], particles.pz[row]] = p;
    return { ...event, particles };
  }
  const row = simulated.hitParticle.find((r) => r >= 0 && simulated.hitParticle.filter((q) => q === r).length >= 4) as number;
  const id = event.particles.particleId[row].toString();

  test('a particle of pT 0.5 GeV and |p| 1.3 GeV exports pT 500 and mom 1300 (MeV)', () => {
    const tracks = toPhoenixEvent(withMomentum(row, [0.3, -0.4, 1.2]))['Event 7'].Tracks[PHOENIX_COLLECTIONS.truthTracks];
    const track = tracks.find((t) => t.particleId === id) as PhoenixTrack;
    expect(track.pT).toBe(500);
    expect(track.mom).toBe(1300);
    expect(track.phi).toBeCloseTo(Math.atan2(-0.4, 0.3), 3);
    expect(track.eta).toBeCloseTo(Math.asinh(1.2 / 0.5), 3);
  });

  test("every true track: pT and mom are 1000 times the particle's GeV, to 1 keV; positions in mm as in the event", () => {
    const tracks = toPhoenixEvent(event)['Event 7'].Tracks[PHOENIX_COLLECTIONS.truthTracks];
    for (const t of tracks) {
      const r = event.particles.particleId.indexOf(BigInt(t.particleId as string));
      const [px, py, pz] = [event.particles.px[r], event.particles.py[r], event.particles.pz[r]];
      expect(Math.abs((t.pT as number) - 1000 * Math.hypot(px, py))).toBeLessThanOrEqual(0.0005);
      expect(Math.abs((t.mom as number) - 1000 * Math.hypot(px, py, pz))).toBeLessThanOrEqual(0.0005);
      expect(t.pos[0]).toEqual([event.particles.vx[r], event.particles.vy[r], event.particles.vz[r]].map((v) => Math.round(v * 1000) / 1000));
    }
    // The simulated spectrum (min-bias, pT mostly below a few GeV) sits inside Phoenix's pT slider (0 to 50,000 MeV).
    const pts = tracks.map((t) => t.pT as number);
    expect(Math.min(...pts)).toBeGreaterThan(50);
    expect(pts.filter((p) => p < 50_000).length).toBe(pts.length);
  });

  test('reconstructed tracks: pT from the curvature in the given field, close to the true pT for a perfect reconstruction', () => {
    const perfect = toPhoenixEvent(event, { reconstructed: simulated.hitParticle, bFieldTesla: 2 })['Event 7'].Tracks;
    const trueByLabel = new Map(perfect[PHOENIX_COLLECTIONS.truthTracks].map((t) => [event.particles.particleId.indexOf(BigInt(t.particleId as string)), t.pT as number]));
    const ratios = perfect[PHOENIX_COLLECTIONS.recoTracks].filter((t) => (trueByLabel.get(t.label as number) ?? 0) > 500).map((t) => (t.pT as number) / (trueByLabel.get(t.label as number) as number));
    expect(ratios.length).toBeGreaterThan(10);
    ratios.sort((a, b) => a - b);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeGreaterThan(0.95);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeLessThan(1.05);
    // Without a field there is no pT: the collection has no pT slider.
    const noField = toPhoenixEvent(event, { reconstructed: reco })['Event 7'].Tracks[PHOENIX_COLLECTIONS.recoTracks];
    expect(noField.every((t) => t.pT === undefined)).toBe(true);
  });

  test('the first track of each collection carries pT, eta and phi: Phoenix builds its cut sliders from the first object', () => {
    const tracks = toPhoenixEvent(event, { reconstructed: reco, bFieldTesla: 2 })['Event 7'].Tracks;
    for (const list of Object.values(tracks)) expect(PHOENIX_TRACK_CUTS.filter((cut) => cut in list[0])).toEqual(['phi', 'eta', 'pT']);
  });
});

describe('thinning', () => {
  const full = toPhoenixEvent(event, { reconstructed: reco, bFieldTesla: 2 })['Event 7'];
  const trueTracks = full.Tracks[PHOENIX_COLLECTIONS.truthTracks];

  test('thinTracks: a minimum pT, then decreasing pT (none last, ties in input order), then the first maxTracks', () => {
    const list = [
      { name: 'a', ptGeV: 0.5 },
      { name: 'b', ptGeV: undefined },
      { name: 'c', ptGeV: 2 },
      { name: 'd', ptGeV: 0.9 },
      { name: 'e', ptGeV: 2 },
    ];
    expect(thinTracks(list).map((t) => t.name)).toEqual(['c', 'e', 'd', 'a', 'b']);
    expect(thinTracks(list, { minPt: 0.9 }).map((t) => t.name)).toEqual(['c', 'e', 'd']);
    expect(thinTracks(list, { maxTracks: 2 }).map((t) => t.name)).toEqual(['c', 'e']);
    expect(thinTracks(list, { minPt: 1, maxTracks: 5 }).map((t) => t.name)).toEqual(['c', 'e']);
    expect(thinTracks(list, { maxTracks: 0 })).toEqual([]);
  });

  test('by default nothing is left out; tracks come in decreasing pT', () => {
    expect(trueTracks).toHaveLength([...hitsPerParticle().values()].filter((n) => n >= 4).length);
    const pts = trueTracks.map((t) => t.pT as number);
    expect(pts).toEqual([...pts].sort((a, b) => b - a));
    expect(Object.values(full.Hits).reduce((n, list) => n + list.length, 0)).toBe(event.hits.hitId.length);
  });

  test('--min-pt: exactly the tracks at or above it, in the same order', () => {
    const thin = toPhoenixEvent(event, { reconstructed: reco, bFieldTesla: 2, minPt: 0.8 })['Event 7'].Tracks;
    for (const name of [PHOENIX_COLLECTIONS.truthTracks, PHOENIX_COLLECTIONS.recoTracks]) {
      const expected = full.Tracks[name].filter((t) => (t.pT as number) >= 800);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(full.Tracks[name].length);
      expect(thin[name].map((t) => t.pos)).toEqual(expected.map((t) => t.pos));
    }
  });

  test('--max-tracks: the highest-pT tracks of each collection', () => {
    const thin = toPhoenixEvent(event, { reconstructed: reco, bFieldTesla: 2, maxTracks: 10 })['Event 7'].Tracks;
    expect(thin[PHOENIX_COLLECTIONS.truthTracks]).toEqual(trueTracks.slice(0, 10));
    const highest = [...full.Tracks[PHOENIX_COLLECTIONS.recoTracks]].sort((a, b) => (b.pT as number) - (a.pT as number)).slice(0, 10);
    expect(thin[PHOENIX_COLLECTIONS.recoTracks].map((t) => t.label)).toEqual(highest.map((t) => t.label));
    const minimum = Math.min(...thin[PHOENIX_COLLECTIONS.truthTracks].map((t) => t.pT as number));
    expect(trueTracks.slice(10).every((t) => (t.pT as number) <= minimum)).toBe(true);
  });

  test('--hits tracks: only the hits of kept tracks; --hits none: no hits', () => {
    const thin = toPhoenixEvent(event, { minPt: 1, hits: 'tracks' })['Event 7'];
    const kept = thin.Tracks[PHOENIX_COLLECTIONS.truthTracks];
    expect(thin.Hits[PHOENIX_COLLECTIONS.noiseHits]).toEqual([]);
    const ids = new Set(thin.Hits[PHOENIX_COLLECTIONS.trackHits].map((h) => h.hitId));
    expect(ids.size).toBe(kept.reduce((n, t) => n + t.nhits, 0));
    const keptParticles = new Set(kept.map((t) => BigInt(t.particleId as string)));
    const expected = new Set([...truth.hitId].filter((_, k) => keptParticles.has(truth.particleId[k])));
    expect(ids).toEqual(expected);
    // With a reconstruction, hits of kept reconstructed tracks stay too, noise among them.
    const both = toPhoenixEvent(event, { reconstructed: reco, bFieldTesla: 2, maxTracks: 5, hits: 'tracks' })['Event 7'];
    const labels = new Set(both.Tracks[PHOENIX_COLLECTIONS.recoTracks].map((t) => t.label));
    const onReco = [...reco].flatMap((l, i) => (labels.has(l) ? [event.hits.hitId[i]] : []));
    const shown = new Set(Object.values(both.Hits).flatMap((list) => list.map((h) => h.hitId)));
    for (const id of onReco) expect(shown.has(id)).toBe(true);
    expect(shown.size).toBeLessThan(event.hits.hitId.length / 2);
    const none = toPhoenixEvent(event, { hits: 'none' });
    expect(none['Event 7'].Hits).toEqual({});
    expect(phoenixProblem(none)).toBeUndefined();
  });

  test('a thinned file is much smaller and still valid', () => {
    const thin = toPhoenixEvent(event, { reconstructed: reco, bFieldTesla: 2, minPt: 1, hits: 'tracks' });
    expect(phoenixProblem(thin)).toBeUndefined();
    expect(JSON.stringify(thin).length).toBeLessThan(JSON.stringify({ e: full }).length / 3);
  });
});

describe('orderAlongFlight', () => {
  test('by distance from the origin given, else from the point nearest the beam line', () => {
    const points: [number, number, number][] = [
      [100, 0, 50],
      [30, 0, 10],
      [60, 0, 30],
    ];
    expect(orderAlongFlight(points, [0, 0, 0])).toEqual([1, 2, 0]);
    expect(orderAlongFlight(points)).toEqual([1, 2, 0]);
    expect(orderAlongFlight([[10, 0, 0], [10, 0, 0]])).toEqual([0, 1]);
  });
});

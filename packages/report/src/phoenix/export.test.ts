import { ConfigError, Rng, type TrackMLEvent } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { perturbedLabels } from '../testing/fixtures';
import { orderAlongFlight, PHOENIX_COLLECTIONS, toPhoenixEvent } from './export';

/**
 * The Phoenix JSON event format as documented in HSF phoenix
 * (guides/developers/event_data_format.md) and checked by phoenix-helpers' event_file_checker.py:
 * returns the first problem found, or undefined.
 */
function phoenixProblem(file: unknown): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const isTriplet = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every(isNumber);
  const isHex = (v: unknown) => typeof v === 'string' && /^(0x)?[0-9a-fA-F]{6}$/.test(v) && Number.isInteger(parseInt(v, 16));
  if (!isObject(file)) return 'top level is not an object';
  for (const [name, event] of Object.entries(file)) {
    if (!isObject(event)) return `event ${name} is not an object`;
    if (!('event number' in event || 'eventNumber' in event)) return `event ${name} has no event number`;
    if (!('run number' in event || 'runNumber' in event)) return `event ${name} has no run number`;
    for (const [type, collections] of Object.entries(event)) {
      if (!isObject(collections)) continue;
      if (!['Tracks', 'Jets', 'Hits', 'CaloClusters', 'CaloCells', 'PlanarCaloCells', 'Vertices', 'MissingEnergy', 'Muons', 'Photons', 'Electrons'].includes(type)) return `unknown object type ${type}`;
      for (const [collection, objects] of Object.entries(collections)) {
        const where = `${name}/${type}/${collection}`;
        if (!Array.isArray(objects)) return `${where} is not a list`;
        if (type === 'Tracks') {
          for (const [k, t] of objects.entries()) {
            if (!isObject(t)) return `${where}[${k}] is not an object`;
            if (!Array.isArray(t.pos) || !t.pos.every(isTriplet)) return `${where}[${k}].pos is not a list of [x, y, z]`;
            if (t.pos.length < 3 && t.dparams === undefined) return `${where}[${k}] has fewer than 3 positions and no dparams: Phoenix would not draw it`;
            if (t.color !== undefined && !isHex(t.color)) return `${where}[${k}].color is not a hex string`;
            if (t.dparams !== undefined && !(Array.isArray(t.dparams) && t.dparams.length === 5 && t.dparams.every(isNumber))) return `${where}[${k}].dparams`;
            for (const cut of ['d0', 'z0', 'phi', 'eta', 'pT', 'chi2', 'dof']) if (t[cut] !== undefined && !isNumber(t[cut])) return `${where}[${k}].${cut} is not a number`;
          }
        }
        if (type === 'Hits' && objects.length > 0) {
          if (Array.isArray(objects[0])) {
            if (!objects.every(isTriplet)) return `${where}: positions are not all [x, y, z]`;
            continue;
          }
          const hitType = isObject(objects[0]) ? (objects[0].type ?? 'Point') : undefined;
          for (const [k, h] of objects.entries()) {
            if (!isObject(h)) return `${where}[${k}] is not an object`;
            if ((h.type ?? 'Point') !== hitType) return `${where}[${k}]: all hits of a collection must share one type`;
            if (!['Point', 'CircularPoint', 'Line', 'Box'].includes(String(hitType))) return `${where}: unknown hit type ${String(hitType)}`;
            const n = hitType === 'Point' || hitType === 'CircularPoint' ? 3 : 6;
            if (!Array.isArray(h.pos) || h.pos.length !== n || !h.pos.every(isNumber)) return `${where}[${k}].pos needs ${n} numbers`;
            if (h.color !== undefined && typeof h.color !== 'string') return `${where}[${k}].color is not a string`;
          }
        }
      }
    }
  }
  return undefined;
}

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

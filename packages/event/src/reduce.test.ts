import { ConfigError, Rng, type TrackMLEvent } from '@hypertrack/core';
import { reduceEvent } from './reduce';
import { syntheticEvent } from './testing/synthetic-event';

/** Truth hits per particle id, counted independently of the code under test. */
function hitsPerParticle(event: TrackMLEvent): Map<bigint, number> {
  const counts = new Map<bigint, number>();
  for (const id of event.truth?.particleId ?? []) if (id !== 0n) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe('reduceEvent', () => {
  const event = syntheticEvent(42, { tracks: 120, invisible: 15, noise: 400, minHits: 1, maxHits: 14, cells: true });
  const counts = hitsPerParticle(event);

  it('keeps whole tracks plus noise drawn from the original noise hits', () => {
    for (let seed = 0; seed < 20; seed++) {
      const r = reduceEvent(event, { rfactor: 0.3, noiseRatio: 0.05, rng: Rng.fromSeed(seed) });
      const keptIds = [...r.event.particles.particleId];
      const trackHits = keptIds.reduce((sum, id) => sum + (counts.get(id) ?? 0), 0);
      expect(r.trackHits).toBe(trackHits);
      expect(r.event.hits.hitId.length).toBe(trackHits + r.noiseHits);
      const truth = r.event.truth as NonNullable<TrackMLEvent['truth']>;
      const kept = new Set(keptIds);
      let noise = 0;
      truth.particleId.forEach((id) => {
        if (id === 0n) noise++;
        else expect(kept.has(id)).toBe(true);
      });
      expect(noise).toBe(r.noiseHits);
      // Every kept particle is a visible track, present with all of its hits.
      for (const id of keptIds) expect(truth.particleId.filter((p) => p === id).length).toBe(counts.get(id));
    }
  });

  it('keeps hits in their original order, renumbered, with consistent truth and track index', () => {
    const r = reduceEvent(event, { rfactor: 0.5, noiseRatio: 0.1, rng: Rng.fromSeed(7) });
    const n = r.sourceHitIndex.length;
    const truth = r.event.truth as NonNullable<TrackMLEvent['truth']>;
    const originalTruth = event.truth as NonNullable<TrackMLEvent['truth']>;
    for (let i = 0; i < n; i++) {
      if (i > 0) expect(r.sourceHitIndex[i]).toBeGreaterThan(r.sourceHitIndex[i - 1]);
      const source = r.sourceHitIndex[i];
      expect(r.event.hits.hitId[i]).toBe(i + 1);
      expect(truth.hitId[i]).toBe(i + 1);
      expect(r.event.hits.x[i]).toBe(event.hits.x[source]);
      expect(r.event.hits.moduleId[i]).toBe(event.hits.moduleId[source]);
      expect(truth.particleId[i]).toBe(originalTruth.particleId[event.hits.hitId[source] - 1]);
      const track = r.trackIndex[i];
      if (truth.particleId[i] === 0n) expect(track).toBe(-1);
      else expect(r.event.particles.particleId[track]).toBe(truth.particleId[i]);
    }
    for (let p = 0; p < r.particleRows.length; p++) {
      if (p > 0) expect(r.particleRows[p]).toBeGreaterThan(r.particleRows[p - 1]);
      expect(r.event.particles.particleId[p]).toBe(event.particles.particleId[r.particleRows[p]]);
      expect(r.event.particles.pz[p]).toBe(event.particles.pz[r.particleRows[p]]);
    }
    // Cells follow their hits and their new hit ids.
    const cells = r.event.cells as NonNullable<TrackMLEvent['cells']>;
    const originalCells = event.cells as NonNullable<TrackMLEvent['cells']>;
    expect(cells.hitId.length).toBe(2 * n);
    for (let i = 0; i < cells.hitId.length; i++) {
      const source = r.sourceHitIndex[cells.hitId[i] - 1];
      const originalRow = 2 * source + (i % 2);
      expect(cells.ch0[i]).toBe(originalCells.ch0[originalRow]);
    }
  });

  it('renormalises the weights to sum to 1', () => {
    for (let seed = 0; seed < 10; seed++) {
      const r = reduceEvent(event, { rfactor: 0.2, noiseRatio: 0.05, rng: Rng.fromSeed(seed) });
      const weights = (r.event.truth as NonNullable<TrackMLEvent['truth']>).weight;
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('is reproducible: the same seed gives the same event, another seed another one', () => {
    const a = reduceEvent(event, { rfactor: 0.3, noiseRatio: 0.05, rng: Rng.fromSeed(99) });
    const b = reduceEvent(event, { rfactor: 0.3, noiseRatio: 0.05, rng: Rng.fromSeed(99) });
    const c = reduceEvent(event, { rfactor: 0.3, noiseRatio: 0.05, rng: Rng.fromSeed(100) });
    expect(b).toEqual(a);
    expect(c.sourceHitIndex).not.toEqual(a.sourceHitIndex);
  });

  it('draws noise close to the requested fraction over many events', () => {
    const big = syntheticEvent(3, { tracks: 300, invisible: 0, noise: 4000, minHits: 8, maxHits: 12 });
    const rng = Rng.fromSeed(1);
    let noise = 0;
    let total = 0;
    for (let i = 0; i < 200; i++) {
      const r = reduceEvent(big, { rfactor: 0.5, noiseRatio: 0.1, rng: rng.split(i) });
      noise += r.noiseHits;
      total += r.event.hits.hitId.length;
    }
    expect(noise / total).toBeGreaterThan(0.095);
    expect(noise / total).toBeLessThan(0.105);
  });

  it('uses the original noise fraction when noiseRatio is negative', () => {
    const hitCount = event.hits.hitId.length;
    const original = 400 / hitCount;
    let noise = 0;
    let total = 0;
    for (let i = 0; i < 300; i++) {
      const r = reduceEvent(event, { rfactor: 0.8, noiseRatio: -1, rng: Rng.fromSeed(i) });
      noise += r.noiseHits;
      total += r.event.hits.hitId.length;
    }
    expect(Math.abs(noise / total - original)).toBeLessThan(0.1 * original);
  });

  it('keeps about rfactor of the tracks', () => {
    let kept = 0;
    for (let i = 0; i < 400; i++) kept += reduceEvent(event, { rfactor: 0.25, noiseRatio: 0, rng: Rng.fromSeed(i) }).particleRows.length;
    expect(kept / 400 / 120).toBeGreaterThan(0.24);
    expect(kept / 400 / 120).toBeLessThan(0.26);
  });

  it('with rfactor 1 keeps every visible track and drops the invisible particles', () => {
    const r = reduceEvent(event, { rfactor: 1, noiseRatio: 0, rng: Rng.fromSeed(5) });
    expect(r.particleRows.length).toBe(120);
    expect(new Set(r.event.particles.particleId)).toEqual(new Set(counts.keys()));
    expect(r.noiseHits).toBe(0);
    expect(r.event.hits.hitId.length).toBe(event.hits.hitId.length - 400);
  });

  it('rejects invalid options and events without truth', () => {
    const rng = Rng.fromSeed(1);
    expect(() => reduceEvent(event, { rfactor: 0, noiseRatio: 0.05, rng })).toThrow(new ConfigError('rfactor', 'must be a number > 0, got 0'));
    expect(() => reduceEvent(event, { rfactor: 0.1, noiseRatio: 1, rng })).toThrow(new ConfigError('noiseRatio', 'must be a number < 1, got 1'));
    const noTruth = { ...event, truth: undefined };
    expect(() => reduceEvent(noTruth, { rfactor: 0.1, noiseRatio: 0.05, rng })).toThrow(
      'event 1000: has no truth table, so the particle of each hit is unknown',
    );
  });
});

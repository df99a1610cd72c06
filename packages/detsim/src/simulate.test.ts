import { allocateTable, decodeParticleId, encodeParticleId, Rng, type ParticleTable } from '@hypertrack/core';
import { trackmlGeometry } from './geometry/trackml';
import type { DetectorGeometry } from './geometry/types';
import { helixRadius } from './physics/helix';
import { defaultSimulationConfig, simulateEvent, type SimulatedEvent } from './simulate';

/** The TrackML layout made ideal: no material, full efficiency, no overlaps, tiny pitch. */
function idealGeometry(): DetectorGeometry {
  const g = trackmlGeometry();
  return {
    ...g,
    passive: [],
    layers: g.layers.map((l) => ({ ...l, radiationLengths: 0, efficiency: 1, phiOverlap: 0, pitch: { u: 1e-6, v: 1e-6 } })),
  };
}

function singleParticle(px: number, py: number, pz: number, q: number, vz = 0): ParticleTable {
  const t = allocateTable('particles', 1);
  t.particleId[0] = encodeParticleId({ vertex: 1, primary: 1, generation: 0, secondary: 0, process: 0 });
  t.px[0] = px;
  t.py[0] = py;
  t.pz[0] = pz;
  t.vz[0] = vz;
  t.q[0] = q;
  return t;
}

function hitsInFlightOrder(sim: SimulatedEvent, particle: number): number[] {
  const rows: number[] = [];
  sim.hitParticle.forEach((p, row) => p === particle && rows.push(row));
  return rows.sort((a, b) => sim.hitPathLength[a] - sim.hitPathLength[b]);
}

/** Circle through three points: radius and the z-component of the turning direction. */
function circleThrough(p: [number, number][]): { radius: number; turn: number } {
  const [[ax, ay], [bx, by], [cx, cy]] = p;
  const d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
  const ux = ((ax * ax + ay * ay) * (by - cy) + (bx * bx + by * by) * (cy - ay) + (cx * cx + cy * cy) * (ay - by)) / d;
  const uy = ((ax * ax + ay * ay) * (cx - bx) + (bx * bx + by * by) * (ax - cx) + (cx * cx + cy * cy) * (bx - ax)) / d;
  const turn = (bx - ax) * (cy - by) - (by - ay) * (cx - bx);
  return { radius: Math.hypot(ax - ux, ay - uy), turn };
}

describe('helix propagation', () => {
  it.each([
    [0.5, 1],
    [1.2, -1],
    [5, 1],
  ])('puts the true hits of a pT = %p GeV, q = %p track on a circle of radius pT/(0.3 q B)', (pt, q) => {
    const config = defaultSimulationConfig({ geometry: idealGeometry(), particles: singleParticle(pt * 0.6, pt * 0.8, 0.3, q), noiseFraction: 0 });
    const sim = simulateEvent(0, config, Rng.fromSeed(1));
    const rows = hitsInFlightOrder(sim, 0);
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const t = sim.event.truth!;
    const pts = [rows[0], rows[Math.floor(rows.length / 2)], rows[rows.length - 1]].map((r) => [t.tx[r], t.ty[r]] as [number, number]);
    const { radius, turn } = circleThrough(pts);
    const expected = helixRadius(pt, q, 2);
    expect(expected).toBeCloseTo((pt / (0.299792458 * 2)) * 1000, 6);
    expect(Math.abs(radius - expected) / expected).toBeLessThan(1e-3); // float32 positions
    // A positive charge in a field along +z turns clockwise (negative turn).
    expect(Math.sign(turn)).toBe(-q);
  });

  it('keeps |p| and pT along the helix without material, and z linear in the arc', () => {
    const config = defaultSimulationConfig({ geometry: idealGeometry(), particles: singleParticle(0.9, -0.4, 1.1, -1, 12), noiseFraction: 0 });
    const sim = simulateEvent(0, config, Rng.fromSeed(2));
    const t = sim.event.truth!;
    for (const r of hitsInFlightOrder(sim, 0)) {
      expect(Math.hypot(t.tpx[r], t.tpy[r])).toBeCloseTo(Math.hypot(0.9, -0.4), 5);
      expect(t.tpz[r]).toBeCloseTo(1.1, 5);
    }
  });

  it('gives a neutral particle no hits', () => {
    const sim = simulateEvent(0, defaultSimulationConfig({ particles: singleParticle(1, 0, 0, 0), noiseFraction: 0 }), Rng.fromSeed(3));
    expect(sim.event.hits.hitId.length).toBe(0);
    expect(sim.event.particles.nhits[0]).toBe(0);
  });
});

describe('a simulated pile-up event', () => {
  const geometry = trackmlGeometry();
  const config = defaultSimulationConfig({ pileup: 20 });
  const sim = simulateEvent(7, config, Rng.fromSeed(2024).split(7));
  const { hits, particles } = sim.event;
  const truth = sim.event.truth!;

  it('has TrackML-consistent tables', () => {
    const n = hits.hitId.length;
    expect(n).toBeGreaterThan(1000);
    expect(truth.hitId).toEqual(hits.hitId);
    expect(Array.from(hits.hitId.subarray(0, 3))).toEqual([1, 2, 3]);
    let sumNhits = 0;
    particles.nhits.forEach((c) => (sumNhits += c));
    const noise = sim.hitParticle.filter((p) => p < 0).length;
    expect(sumNhits + noise).toBe(n);
    for (let i = 1; i < particles.particleId.length; i++) expect(particles.particleId[i] > particles.particleId[i - 1]).toBe(true);
    for (let row = 0; row < n; row++) {
      const p = sim.hitParticle[row];
      expect(truth.particleId[row]).toBe(p < 0 ? 0n : particles.particleId[p]);
    }
  });

  it('orders hits by detector element: volume, layer, module', () => {
    for (let i = 1; i < hits.hitId.length; i++) {
      const a = [hits.volumeId[i - 1], hits.layerId[i - 1], hits.moduleId[i - 1]];
      const b = [hits.volumeId[i], hits.layerId[i], hits.moduleId[i]];
      const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
      expect(cmp).toBeLessThanOrEqual(0);
    }
  });

  it('puts every hit, measured and true, on its layer surface and inside the layer', () => {
    const layerOf = new Map(geometry.layers.map((l) => [`${l.volumeId}/${l.layerId}`, l]));
    for (let i = 0; i < hits.hitId.length; i++) {
      const layer = layerOf.get(`${hits.volumeId[i]}/${hits.layerId[i]}`);
      expect(layer).toBeDefined();
      if (!layer) continue;
      const tolerance = layer.stagger / 2 + 1e-3;
      for (const [x, y, z] of [
        [hits.x[i], hits.y[i], hits.z[i]],
        [truth.tx[i], truth.ty[i], truth.tz[i]],
      ]) {
        const r = Math.hypot(x, y);
        if (layer.kind === 'barrel') {
          expect(Math.abs(r - layer.radius)).toBeLessThanOrEqual(tolerance);
          expect(Math.abs(z)).toBeLessThanOrEqual(layer.halfLengthZ + 1e-3);
          expect(hits.moduleId[i]).toBeLessThanOrEqual(layer.modulesPhi * layer.modulesZ);
        } else {
          expect(Math.abs(z - layer.z)).toBeLessThanOrEqual(tolerance);
          expect(r).toBeGreaterThanOrEqual(layer.rings[0].rMin - 1e-3);
          expect(r).toBeLessThanOrEqual(layer.rings[layer.rings.length - 1].rMax + 1e-3);
        }
      }
      expect(hits.moduleId[i]).toBeGreaterThanOrEqual(1);
    }
  });

  it('orders each particle\'s hits along its flight: chord <= path length between consecutive hits', () => {
    for (let p = 0; p < particles.particleId.length; p++) {
      const rows = hitsInFlightOrder(sim, p);
      for (let k = 1; k < rows.length; k++) {
        const [a, b] = [rows[k - 1], rows[k]];
        const chord = Math.hypot(truth.tx[b] - truth.tx[a], truth.ty[b] - truth.ty[a], truth.tz[b] - truth.tz[a]);
        const arc = sim.hitPathLength[b] - sim.hitPathLength[a];
        expect(arc).toBeGreaterThan(0);
        expect(chord).toBeLessThanOrEqual(arc + 1e-2);
      }
    }
  });

  it('moves outwards in radius for stiff central tracks', () => {
    let checked = 0;
    for (let p = 0; p < particles.particleId.length; p++) {
      const pt = Math.hypot(particles.px[p], particles.py[p]);
      const eta = Math.asinh(particles.pz[p] / pt);
      if (pt < 2 || Math.abs(eta) > 1 || decodeParticleId(particles.particleId[p]).generation > 0) continue;
      const radii = hitsInFlightOrder(sim, p).map((r) => Math.hypot(truth.tx[r], truth.ty[r]));
      for (let k = 1; k < radii.length; k++) expect(radii[k]).toBeGreaterThan(radii[k - 1]);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('weights hits the TrackML way: sum 1, noise 0, short tracks 0', () => {
    let total = 0;
    for (let i = 0; i < truth.weight.length; i++) {
      total += truth.weight[i];
      const p = sim.hitParticle[i];
      if (p < 0 || particles.nhits[p] < 4) expect(truth.weight[i]).toBe(0);
      expect(truth.weight[i]).toBeGreaterThanOrEqual(0);
    }
    expect(total).toBeCloseTo(1, 5);
  });

  it('has about the configured noise fraction', () => {
    const noise = sim.hitParticle.filter((p) => p < 0).length / hits.hitId.length;
    expect(Math.abs(noise - 0.15)).toBeLessThan(0.02);
    for (let i = 0; i < hits.hitId.length; i++) if (sim.hitParticle[i] < 0) expect(truth.weight[i]).toBe(0);
  });

  it('leaves two hits on one layer where modules overlap in phi', () => {
    let doubles = 0;
    for (let p = 0; p < particles.particleId.length; p++) {
      const seen = new Set<string>();
      for (const r of hitsInFlightOrder(sim, p)) {
        const key = `${hits.volumeId[r]}/${hits.layerId[r]}`;
        if (seen.has(key)) doubles++;
        seen.add(key);
      }
    }
    expect(doubles).toBeGreaterThan(0);
  });

  it('produces secondaries at material, with generation > 0 and the parent\'s vertex and primary ids', () => {
    const rows = Array.from(particles.particleId, (id, row) => ({ row, ...decodeParticleId(id) }));
    const secondaries = rows.filter((r) => r.generation > 0);
    expect(secondaries.length).toBeGreaterThan(0);
    const primaries = new Set(rows.filter((r) => r.generation === 0).map((r) => `${r.vertex}/${r.primary}`));
    const materialRadii = [19, ...geometry.layers.filter((l) => l.kind === 'barrel').map((l) => (l.kind === 'barrel' ? l.radius : 0))];
    for (const s of secondaries) {
      expect(primaries.has(`${s.vertex}/${s.primary}`)).toBe(true);
      const r = Math.hypot(particles.vx[s.row], particles.vy[s.row]);
      const z = particles.vz[s.row];
      const onCylinder = materialRadii.some((R) => Math.abs(r - R) <= 2.01);
      const onDisk = geometry.layers.some((l) => l.kind === 'disk' && Math.abs(z - l.z) <= 2.01);
      expect(onCylinder || onDisk).toBe(true);
    }
  });
});

describe('reproducibility and scaling', () => {
  it('gives identical events for the same seed and different ones for another', () => {
    const config = defaultSimulationConfig({ pileup: 5 });
    const a = simulateEvent(1, config, Rng.fromSeed(99).split(1)).event;
    const b = simulateEvent(1, config, Rng.fromSeed(99).split(1)).event;
    const c = simulateEvent(1, config, Rng.fromSeed(100).split(1)).event;
    expect(b.hits).toEqual(a.hits);
    expect(b.truth).toEqual(a.truth);
    expect(b.particles).toEqual(a.particles);
    expect(c.hits.x).not.toEqual(a.hits.x);
  });

  it('grows the hit count linearly with pile-up', () => {
    const meanHits = (mu: number) => {
      let total = 0;
      for (let k = 0; k < 6; k++) total += simulateEvent(k, defaultSimulationConfig({ pileup: mu }), Rng.fromSeed(mu).split(k)).event.hits.hitId.length;
      return total / 6;
    };
    const perInteraction = [5, 20, 40].map((mu) => meanHits(mu) / mu);
    // Multiplicities fluctuate (negative binomial, k = 1.2): allow 25% between the per-interaction means.
    const mean = perInteraction.reduce((s, v) => s + v, 0) / perInteraction.length;
    for (const v of perInteraction) expect(Math.abs(v / mean - 1)).toBeLessThan(0.25);
    expect(mean).toBeGreaterThan(300);
  });

  it('rejects invalid configuration with the key named', () => {
    expect(() => simulateEvent(0, defaultSimulationConfig({ pileup: -1 }), Rng.fromSeed(1))).toThrow('pileup: must be a finite number >= 0, got -1');
    expect(() => simulateEvent(0, defaultSimulationConfig({ noiseFraction: 1 }), Rng.fromSeed(1))).toThrow('noiseFraction: must be in [0, 1), got 1');
  });
});

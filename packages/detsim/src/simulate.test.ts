import { allocateTable, decodeParticleId, encodeParticleId, Rng, type ParticleTable } from '@hypertrack/core';
import { trackmlGeometry } from './geometry/trackml';
import type { DetectorGeometry } from './geometry/types';
import { helixRadius } from './physics/helix';
import { DEFAULT_TRANSPORT, defaultSimulationConfig, describeSimulation, SIMULATOR_VERSION, simulateEvent, type SimulatedEvent } from './simulate';
import { SILICON_X0_OVER_LAMBDA } from './physics/energy-loss';

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
  return particleTable([[px, py, pz, q, vz]]);
}

/** A particle table of primaries from the origin (or at vz), rows [px, py, pz, q, vz?]. */
function particleTable(rows: Array<[number, number, number, number, number?]>): ParticleTable {
  const t = allocateTable('particles', rows.length);
  rows.forEach(([px, py, pz, q, vz = 0], i) => {
    t.particleId[i] = encodeParticleId({ vertex: 1, primary: i + 1, generation: 0, secondary: 0, process: 0 });
    t.px[i] = px;
    t.py[i] = py;
    t.pz[i] = pz;
    t.vz[i] = vz;
    t.q[i] = q;
  });
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

describe('what TrackML records (docs/simulation.md)', () => {
  const ideal = idealGeometry();
  const simulateOne = (table: ParticleTable, transport = {}, geometry = ideal) =>
    simulateEvent(0, defaultSimulationConfig({ geometry, particles: table, noiseFraction: 0, transport: { ...DEFAULT_TRANSPORT, ...transport } }), Rng.fromSeed(5));
  const radiiInFlight = (sim: SimulatedEvent) => hitsInFlightOrder(sim, 0).map((r) => Math.hypot(sim.event.truth!.tx[r], sim.event.truth!.ty[r]));

  it('follows a looper for half a turn of its helix (ACTS loop protection): hits on the way out only', () => {
    // pT 0.25 GeV: R = 417 mm, so the helix reaches r = 834 mm, past nine of the ten barrel layers.
    const looper = singleParticle(0.25, 0, 0.02, 1);
    const halfTurn = simulateOne(looper);
    const radii = radiiInFlight(halfTurn);
    const { volumeId, layerId } = halfTurn.event.hits;
    expect(new Set(hitsInFlightOrder(halfTurn, 0).map((r) => `${volumeId[r]}/${layerId[r]}`)).size).toBe(9);
    for (let k = 1; k < radii.length; k++) expect(radii[k]).toBeGreaterThan(radii[k - 1]);
    const R = helixRadius(Math.hypot(0.25, 0.02), 1, 2);
    for (const length of halfTurn.hitPathLength) expect(length).toBeLessThanOrEqual(0.5 * 2 * Math.PI * R);

    const unlimited = radiiInFlight(simulateOne(looper, { loopFraction: Infinity }));
    expect(unlimited.length).toBeGreaterThan(2 * radii.length);
    expect(unlimited.some((r, k) => k > 0 && r < unlimited[k - 1])).toBe(true);
  });

  it('gives hits only to particles above 150 MeV of transverse momentum', () => {
    expect(simulateOne(singleParticle(0.149, 0, 0.1, -1)).event.particles.nhits[0]).toBe(0);
    expect(simulateOne(singleParticle(0.151, 0, 0.1, -1)).event.particles.nhits[0]).toBeGreaterThan(4);
    expect(simulateOne(singleParticle(0.149, 0, 0.1, -1), { minPt: 0 }).event.particles.nhits[0]).toBeGreaterThan(4);
  });

  it('loses energy in material, so |p| falls along the track, and stops a particle once its pT falls below 150 MeV', () => {
    const material = { ...ideal, layers: ideal.layers.map((l) => ({ ...l, radiationLengths: 0.05 })) };
    const sim = simulateOne(singleParticle(0.16, 0, 0, 1), { hadronicInteractions: false }, material);
    const t = sim.event.truth!;
    const rows = hitsInFlightOrder(sim, 0);
    const p = rows.map((r) => Math.hypot(t.tpx[r], t.tpy[r], t.tpz[r]));
    expect(rows.length).toBeGreaterThan(1);
    for (let k = 1; k < p.length; k++) expect(p[k]).toBeLessThan(p[k - 1]);
    for (const r of rows) expect(Math.hypot(t.tpx[r], t.tpy[r])).toBeGreaterThanOrEqual(0.15 * (1 - 1e-6));
    // 5% X0 of silicon takes about 2 MeV per layer from this slow pion: it stops well before the
    // nine layers that its helix reaches without energy loss.
    expect(rows.length).toBeLessThan(radiiInFlight(simulateOne(singleParticle(0.16, 0, 0, 1), { hadronicInteractions: false, energyLoss: false }, material)).length);
  });

  it('ends a particle in a hadronic interaction with probability x X0 / lambda_I per crossing', () => {
    const layers = 10;
    const perLayer = 0.2;
    const material = { ...ideal, layers: ideal.layers.map((l) => ({ ...l, radiationLengths: l.kind === 'barrel' ? perLayer : 0 })) };
    const rng = Rng.fromSeed(8);
    const rows = Array.from({ length: 2000 }, (): [number, number, number, number] => {
      const phi = rng.uniform() * 2 * Math.PI;
      return [10 * Math.cos(phi), 10 * Math.sin(phi), 0, 1];
    });
    // Tracks that reach the outermost layer (a few miss it where the two staggered module surfaces
    // leave a gap along the track's curve, with or without interactions).
    const reachOutermost = (transport: object) => {
      const sim = simulateOne(particleTable(rows), transport, material);
      const reached = new Set<number>();
      sim.hitParticle.forEach((p, r) => sim.event.hits.volumeId[r] === 17 && sim.event.hits.layerId[r] === 4 && reached.add(p));
      return reached.size;
    };
    const without = reachOutermost({ hadronicInteractions: false });
    expect(without).toBeGreaterThan(0.98 * rows.length);
    // Nine crossings before the tenth layer's hit; the binomial spread over 2000 tracks is 0.01.
    const expected = (1 - perLayer * SILICON_X0_OVER_LAMBDA) ** (layers - 1);
    expect(Math.abs(reachOutermost({}) / without - expected)).toBeLessThan(0.035);
  });

  it('describes itself as plain JSON: version, geometry, generator or particle table, transport', () => {
    const generated = describeSimulation(defaultSimulationConfig({ pileup: 20 }));
    expect(generated.version).toBe(SIMULATOR_VERSION);
    expect(JSON.parse(JSON.stringify(generated))).toEqual(generated);
    expect(generated.config.minBias?.pileup).toBe(20);
    expect(generated.config.transport.minPt).toBe(0.15);
    const driven = describeSimulation(defaultSimulationConfig({ particles: particleTable([[1, 0, 0, 1]]) }));
    expect(driven.config.minBias).toBeUndefined();
    expect(driven.config.particleTableRows).toBe(1);
    // A particle table lists its own secondaries: the description says none are added.
    expect(driven.config.transport.secondaryPairsPerX0).toBe(0);
    expect(generated.config.transport.secondaryPairsPerX0).toBe(DEFAULT_TRANSPORT.secondaryPairsPerX0);
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

  it('records no particle below 150 MeV at any hit, none above 20 hits, and none below 150 MeV at production', () => {
    for (let i = 0; i < truth.tpx.length; i++) {
      if (sim.hitParticle[i] >= 0) expect(Math.hypot(truth.tpx[i], truth.tpy[i])).toBeGreaterThanOrEqual(0.15 * (1 - 1e-6));
    }
    for (let p = 0; p < particles.particleId.length; p++) {
      expect(particles.nhits[p]).toBeLessThanOrEqual(20);
      if (Math.hypot(particles.px[p], particles.py[p]) < 0.15) expect(particles.nhits[p]).toBe(0);
    }
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
    const transport = (t: object) => defaultSimulationConfig({ pileup: 1, transport: { ...DEFAULT_TRANSPORT, ...t } });
    expect(() => simulateEvent(0, transport({ loopFraction: 0 }), Rng.fromSeed(1))).toThrow('transport.loopFraction: must be > 0 (Infinity: no loop limit), got 0');
    expect(() => simulateEvent(0, transport({ minPt: -0.1 }), Rng.fromSeed(1))).toThrow('transport.minPt: must be a finite number >= 0, got -0.1');
  });
});

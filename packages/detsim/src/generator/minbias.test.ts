import { Rng } from '@hypertrack/core';
import { DEFAULT_MINBIAS, generatePileup } from './minbias';

describe('minimum-bias pile-up generator', () => {
  const particles = generatePileup(DEFAULT_MINBIAS, Rng.fromSeed(12));
  const pts = particles.map((p) => Math.hypot(p.px, p.py)).sort((a, b) => a - b);

  it('matches the real TrackML event 1000 primaries: median pT 0.44 GeV, 15% above 1 GeV', () => {
    expect(pts[0]).toBeGreaterThanOrEqual(0.1);
    expect(pts[Math.floor(pts.length / 2)]).toBeGreaterThan(0.4);
    expect(pts[Math.floor(pts.length / 2)]).toBeLessThan(0.49);
    const above1 = pts.filter((p) => p > 1).length / pts.length;
    expect(above1).toBeGreaterThan(0.12);
    expect(above1).toBeLessThan(0.18);
  });

  it('spreads vertices over the luminous region of the real event (sigma_z about 6 mm) and eta flat within 4', () => {
    const vertices = new Map<number, number>();
    for (const p of particles) vertices.set(p.vertex, p.vz);
    // One event's 200 vertices fix sigma_z to about 5%; pooled over 10 events, to under 2%.
    const pooled: number[] = [];
    for (let event = 0; event < 10; event++) {
      const byVertex = new Map<number, number>();
      for (const p of generatePileup(DEFAULT_MINBIAS, Rng.fromSeed(12).split(event))) byVertex.set(p.vertex, p.vz);
      pooled.push(...byVertex.values());
    }
    const sd = Math.sqrt(pooled.reduce((s, z) => s + z * z, 0) / pooled.length);
    expect(Math.abs(sd / DEFAULT_MINBIAS.beamSigmaZ - 1)).toBeLessThan(0.05);
    // The real event 1000: per-vertex standard deviation 5.97 mm, interquartile estimate 5.46 mm.
    expect(sd).toBeGreaterThan(5.2);
    expect(sd).toBeLessThan(6.3);
    expect(vertices.size).toBeGreaterThan(150);
    expect(vertices.size).toBeLessThan(250);
    const etas = particles.map((p) => Math.asinh(p.pz / Math.hypot(p.px, p.py)));
    expect(Math.max(...etas.map(Math.abs))).toBeLessThanOrEqual(4);
    const central = etas.filter((e) => Math.abs(e) < 2).length / etas.length;
    expect(central).toBeCloseTo(0.5, 1);
  });

  it('has about 47 charged primaries per interaction', () => {
    const vertices = new Set(particles.map((p) => p.vertex)).size;
    expect(particles.length / vertices).toBeGreaterThan(35);
    expect(particles.length / vertices).toBeLessThan(60);
  });
});

import { Rng } from '@hypertrack/core';
import { HelixSegment, helixRadius, newHelixPoint } from './helix';
import { betheLossPerX0, betheMeanLoss, momentumAfterLoss } from './energy-loss';
import { highlandTheta0, PION_MASS, scatter } from './scattering';

describe('HelixSegment', () => {
  it('returns to its start after one full turn and advances z by 2 pi R pz/pT', () => {
    const h = new HelixSegment().set(10, -5, 3, 0.3, 0.4, 0.2, 1, 2);
    const p = h.at(2 * Math.PI * h.radius, newHelixPoint());
    expect(p.x).toBeCloseTo(10, 9);
    expect(p.y).toBeCloseTo(-5, 9);
    expect(p.z).toBeCloseTo(3 + 2 * Math.PI * h.radius * (0.2 / 0.5), 9);
    expect(h.radius).toBeCloseTo(helixRadius(0.5, 1, 2), 12);
  });

  it('finds cylinder crossings that lie on the cylinder, in increasing arc length', () => {
    const h = new HelixSegment().set(0, 0, 0, 0.2, 0, 0.1, -1, 2); // R = 333.6 mm, reaches r = 667 mm
    const out = new Float64Array(2);
    expect(h.cylinderCrossings(500, 1e-6, out)).toBe(2);
    expect(out[0]).toBeLessThan(out[1]);
    for (const s of out) {
      const p = h.at(s, newHelixPoint());
      expect(Math.hypot(p.x, p.y)).toBeCloseTo(500, 6);
    }
    expect(h.cylinderCrossings(700, 1e-6, out)).toBe(0);
  });

  it('finds where it reaches a plane in z, only ahead', () => {
    const h = new HelixSegment().set(0, 0, 0, 1, 0, 1, 1, 2);
    expect(h.planeCrossing(600)).toBeCloseTo(600, 9);
    expect(h.planeCrossing(-600)).toBe(-1);
  });
});

describe('multiple scattering', () => {
  it('follows the Highland formula (PDG value for 1 GeV pions through 1% X0)', () => {
    const beta = 1 / Math.sqrt(1 + 0.13957 ** 2);
    const expected = (0.0136 / beta) * 0.1 * (1 + 0.038 * Math.log(0.01 / (beta * beta)));
    expect(highlandTheta0(1, 0.13957, 0.01)).toBeCloseTo(expected, 12);
    expect(highlandTheta0(1, 0.13957, 0)).toBe(0);
  });

  it('deflects by a projected angle of width theta0 and keeps |p|', () => {
    const rng = Rng.fromSeed(4);
    const out = new Float64Array(3);
    const theta0 = 0.01;
    let sumSq = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      scatter(0, 0, 2, theta0, rng, out);
      expect(Math.hypot(out[0], out[1], out[2])).toBeCloseTo(2, 10);
      sumSq += Math.atan2(out[0], out[2]) ** 2;
    }
    expect(Math.sqrt(sumSq / n) / theta0).toBeCloseTo(1, 1);
  });
});

describe('ionisation energy loss in silicon', () => {
  /** Stopping power in MeV cm^2 / g from the loss over one radiation length of silicon (9.37 cm, 2.329 g/cm^3). */
  const stoppingPower = (betaGamma: number) => (betheMeanLoss(betaGamma * PION_MASS, PION_MASS, 1) * 1000) / (9.37 * 2.329);

  it('has the PDG minimum of 1.664 MeV cm^2/g near beta*gamma = 3.5', () => {
    const curve = [2, 2.5, 3, 3.5, 4, 5, 6].map(stoppingPower);
    const minimum = Math.min(...curve);
    expect(minimum).toBeGreaterThan(1.664 * 0.99);
    expect(minimum).toBeLessThan(1.664 * 1.01);
    expect(curve.indexOf(minimum)).toBe(3);
  });

  it('looks the loss up in a table that stays within 0.01% of the formula', () => {
    for (let p = 0.05; p < 500; p *= 1.37) {
      expect(Math.abs(betheMeanLoss(p, PION_MASS, 0.02) / (0.02 * betheLossPerX0(p, PION_MASS)) - 1)).toBeLessThan(1e-4);
    }
    expect(betheMeanLoss(1e6, PION_MASS, 1)).toBeCloseTo(betheLossPerX0(1e6, PION_MASS), 12);
  });

  it('rises like 1/beta^2 for slow particles and only logarithmically (tamed by the density effect) for fast ones', () => {
    expect(stoppingPower(0.5) / stoppingPower(1)).toBeGreaterThan(2);
    expect(stoppingPower(1000) / stoppingPower(3.5)).toBeLessThan(1.5);
    expect(stoppingPower(1000)).toBeGreaterThan(stoppingPower(100));
  });

  it('takes 0.36 MeV from a minimum-ionising pion crossing 1% X0, and stops a particle that loses all its kinetic energy', () => {
    expect(betheMeanLoss(3.5 * PION_MASS, PION_MASS, 0.01)).toBeCloseTo(0.01 * 9.37 * 2.329 * 1.664e-3, 5);
    const p = 0.2;
    const kinetic = Math.hypot(p, PION_MASS) - PION_MASS;
    expect(momentumAfterLoss(p, PION_MASS, kinetic * 1.01)).toBe(0);
    const after = momentumAfterLoss(p, PION_MASS, 0.001);
    expect(Math.hypot(after, PION_MASS)).toBeCloseTo(Math.hypot(p, PION_MASS) - 0.001, 12);
    expect(betheMeanLoss(1, PION_MASS, 0)).toBe(0);
  });
});

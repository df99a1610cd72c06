import { orderWeights, ptWeight, trackmlWeights } from './weights';

describe('TrackML weights', () => {
  it('interpolates the order profile over the hit count (worked by hand for 4 and 9 hits)', () => {
    // 4 hits sit at profile positions 0, 8/3, 16/3, 8: values 10, 5.333.., 3, 6.
    const raw4 = [10, 6 - 2 / 3, 3, 6];
    const sum4 = raw4.reduce((a, b) => a + b);
    Array.from(orderWeights(4)).forEach((w, k) => expect(w).toBeCloseTo(raw4[k] / sum4, 12));
    // 9 hits take the profile as it is.
    const profile = [10, 8, 6, 5, 3, 3, 3, 5, 6];
    Array.from(orderWeights(9)).forEach((w, k) => expect(w).toBeCloseTo(profile[k] / 49, 12));
  });

  it('weights pT: 0 below 0.05, 0.2 to 0.5, linear to 1 at 3 GeV', () => {
    expect(ptWeight(0.04)).toBe(0);
    expect(ptWeight(0.3)).toBe(0.2);
    expect(ptWeight(1.75)).toBeCloseTo(0.6, 12);
    expect(ptWeight(3)).toBe(1);
    expect(ptWeight(40)).toBe(1);
  });

  it('ranks hits by |tz - vz|, zeroes short tracks, caps at 20 hits and normalises the event', () => {
    // Particle 0: 4 hits given out of order; particle 1: 3 hits (weight 0); particle 2: 22 hits.
    const hitParticle: number[] = [0, 0, 0, 0, 1, 1, 1, -1];
    const tz: number[] = [30, -10, 20, 5, 1, 2, 3, 0];
    for (let k = 0; k < 22; k++) {
      hitParticle.push(2);
      tz.push(100 + k);
    }
    const vz = [0, 0, 0];
    const pt = [3, 3, 0.3];
    const w = trackmlWeights(Int32Array.from(hitParticle), tz, vz, pt);
    const profile4 = orderWeights(4);
    const total = 1 + 0.2; // particle 0 carries 1 * 1, particle 2 carries 1 * 0.2
    // |tz - vz| ranks of particle 0's hits 30, -10, 20, 5 are 3, 1, 2, 0.
    expect(w[0]).toBeCloseTo(profile4[3] / total, 6);
    expect(w[1]).toBeCloseTo(profile4[1] / total, 6);
    expect(w[2]).toBeCloseTo(profile4[2] / total, 6);
    expect(w[3]).toBeCloseTo(profile4[0] / total, 6);
    for (const i of [4, 5, 6, 7]) expect(w[i]).toBe(0);
    const profile20 = orderWeights(20);
    expect(w[8]).toBeCloseTo((0.2 * profile20[0]) / total, 6);
    expect(w[8 + 19]).toBeCloseTo((0.2 * profile20[19]) / total, 6);
    expect(w[8 + 20]).toBe(0);
    expect(w[8 + 21]).toBe(0);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });
});

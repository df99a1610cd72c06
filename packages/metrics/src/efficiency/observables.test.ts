import { binOf, defaultObservables, geomspace, linspace } from './bins';
import { binomialError, wilsonInterval } from './intervals';
import { efficiencyEventOf, observableEfficiency, type EfficiencyEvent } from './observables';

// Five truth tracks (hitsMin 4):
//   t0: pT 1 GeV along +x (phi 0, eta 0), r0xy 0, 5 hits, matched (hit purity 1, hit efficiency 0.8)
//   t1: pT 2 GeV along +y, r0xy 20 mm, 10 hits, not matched
//   t2: pT 0.5 GeV, 3 hits: in the "all" histogram only
//   t3: no hits: ignored
//   t4: pT 1.005 GeV, phi = atan2(-0.1, -1) = -3.0419 (outside the original's [0, pi] range), 4 hits,
//       matched (0.5, 1)
// pt_low has 50 bins of 0.06 GeV: t0 and t4 fall in bin 16, t1 in bin 33, t2 in bin 8.
const event: EfficiencyEvent = {
  vx: [0, 20, 0, 0, 0],
  vy: [0, 0, 0, 0, 0],
  vz: [5, 0, 0, 0, 0],
  px: [1, 0, 0.5, 1, -1],
  py: [0, 2, 0, 0, -0.1],
  pz: [0, 0, 0, 0, 0],
  nhits: [5, 10, 3, 0, 4],
  passed: [1, 0, 0, 0, 1],
  hitPurity: [1, -1, -1, -1, 0.5],
  hitEfficiency: [0.8, -1, -1, -1, 1],
};

describe('observableEfficiency', () => {
  const report = observableEfficiency(event);
  const find = (category: keyof typeof report.categories, key: string) => report.categories[category].find((o) => o.key === key)!;

  it('histograms all, denominator and numerator per bin with binomial and Wilson errors', () => {
    const pt = find('inclusive', 'pt_low');
    expect([pt.all[16], pt.denominator[16], pt.numerator[16]]).toEqual([2, 2, 2]);
    expect([pt.all[33], pt.denominator[33], pt.numerator[33]]).toEqual([1, 1, 0]);
    expect([pt.all[8], pt.denominator[8]]).toEqual([1, 0]);
    expect(pt.efficiency[16]).toBe(1);
    expect(pt.error[16]).toBe(0);
    // Wilson at z = 1 for 2/2: centre (1 + 1/4) / (3/2) = 5/6, half width (1/4) / (3/2) = 1/6.
    expect(pt.wilsonLow[16]).toBeCloseTo(2 / 3, 12);
    expect(pt.wilsonHigh[16]).toBe(1);
    expect(pt.meanHitPurity[16]).toBe(0.75);
    expect(pt.meanHitEfficiency[16]).toBe(0.9);
    expect(pt.efficiency[8]).toBeNaN();
    expect(pt.denominator.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('splits by production radius', () => {
    expect(find('r0_xy_more_10mm', 'pt_low').denominator[33]).toBe(1);
    expect(find('r0_xy_more_10mm', 'pt_low').efficiency[33]).toBe(0);
    expect(find('r0_xy_less_10mm', 'pt_low').denominator[33]).toBe(0);
    expect(find('inclusive', 'nhits').denominator[4]).toBe(1); // 5 hits in [4.5, 5.5)
    expect(find('inclusive', 'eta').denominator[25]).toBe(3); // eta 0 in [0, 0.164)
  });

  it('bins phi over [-pi, pi]: negative phi is inside, no track is dropped', () => {
    const phi = find('inclusive', 'phi');
    // 50 bins of 2 pi / 50 = 0.1257 rad from -pi: edge 25 is phi = 0.
    expect([phi.edges[0], phi.edges[25], phi.edges[50]]).toEqual([-Math.PI, 0, Math.PI]);
    expect(phi.outside).toBe(0);
    // t4 at -3.0419 rad: (pi - 3.0419) / 0.1257 = 0.79 -> bin 0; t0 at 0 -> bin 25; t1 at pi/2 -> bin 37.
    expect([phi.denominator[0], phi.numerator[0]]).toEqual([1, 1]);
    expect([phi.denominator[25], phi.numerator[25]]).toEqual([1, 1]);
    expect([phi.denominator[37], phi.numerator[37]]).toEqual([1, 0]);
    expect(phi.denominator.reduce((a, b) => a + b, 0)).toBe(3);
    // The edges of the range are inside: atan2 gives exactly +-pi for momenta along -x.
    const edge = observableEfficiency({ ...event, px: [-1, -1, 0, 0, 0], py: [0, -0, 0, 0, 0], nhits: [4, 4, 0, 0, 0], passed: [1, 1, 0, 0, 0] });
    const phiEdge = edge.categories.inclusive.find((o) => o.key === 'phi')!;
    expect([phiEdge.outside, phiEdge.numerator[0], phiEdge.numerator[49]]).toEqual([0, 1, 1]);
  });

  it('sums events', () => {
    const two = observableEfficiency([event, event]);
    expect(two.categories.inclusive.find((o) => o.key === 'pt_low')!.numerator[16]).toBe(4);
  });

  it('rejects columns of the wrong length', () => {
    expect(() => observableEfficiency({ ...event, vx: [0] })).toThrow("efficiency: column 'vx': has 1 rows but passed has 5");
  });
});

describe('bins and intervals', () => {
  it('uses the reference bins', () => {
    const obs = defaultObservables();
    expect(obs.map((o) => o.key)).toEqual(['r0mod', 'r0xy_1', 'r0xy_2', 'r0xy_3', 'r0xy_4', 'r0z', 'p3mod', 'pt_low', 'pt_high_log', 'eta', 'phi', 'nhits']);
    const nhits = obs[obs.length - 1].edges;
    expect([nhits.length, nhits[0], nhits[25]]).toEqual([26, 0.5, 25.5]);
    const log = geomspace(0.1, 20, 51);
    expect([log[0], log[50]]).toEqual([0.1, 20]);
    expect(log[25]).toBeCloseTo(Math.sqrt(2), 12);
  });

  it('bins like numpy.histogram (last bin closed, outside -> -1)', () => {
    const e = linspace(0, 2, 3);
    expect([binOf(e, 0), binOf(e, 0.999), binOf(e, 1), binOf(e, 2), binOf(e, 2.0001), binOf(e, -1e-9), binOf(e, NaN)]).toEqual([0, 0, 1, 1, -1, -1, -1]);
  });

  it('computes binomial errors and Wilson intervals', () => {
    expect(binomialError(3, 4)).toBe(Math.sqrt((0.75 * 0.25) / 4));
    expect(binomialError(0, 0)).toBeNaN();
    const w = wilsonInterval(0, 10);
    expect(w.low).toBe(0);
    expect(w.high).toBeCloseTo(1 / 11, 12);
  });
});

describe('efficiencyEventOf', () => {
  it('pads the per-track results to every particle: no hits and unmatched beyond the last label', () => {
    const particles = { vx: [0, 0, 0], vy: [0, 0, 0], vz: [1, 2, 3], px: [1, 1, 1], py: [0, 0, 0], pz: [0, 0, 0] };
    const ev = efficiencyEventOf(particles, { truthSize: Int32Array.from([5, 3]), passed: Uint8Array.from([1, 0]), hitPurity: Float64Array.from([0.8, -1]), hitEfficiency: Float64Array.from([1, -1]) });
    expect(Array.from(ev.nhits)).toEqual([5, 3, 0]);
    expect(Array.from(ev.passed)).toEqual([1, 0, 0]);
    expect(Array.from(ev.hitPurity ?? [])).toEqual([0.8, -1, -1]);
    expect(ev.vz).toBe(particles.vz);
  });
});

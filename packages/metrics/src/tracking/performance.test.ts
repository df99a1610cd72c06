import { doubleMajority } from '../majority/double-majority';
import { sumTrackingPerformance, trackingPerformance, TRACKML_REGIONS, type TrackingEvent } from './performance';

// A hand-made event, hitsMin 4. Particles (row: pT, production r_xy, hits and their volumes):
//   P0: 2 GeV, 0 mm, 10 hits in barrel volumes 8/13/17
//   P1: 0.5 GeV, 0 mm, 5 hits in volumes 9/14 (end-cap z > 0)
//   P2: 1.5 GeV, 30 mm (displaced), 4 hits: 3 in volume 7 (end-cap z < 0), 1 in 8
//   P3: 3 GeV, 0 mm, 3 hits (below hitsMin: not reconstructable)
//   P4: 1.2 GeV, 1.41 mm, 8 hits: 4 in barrel volume 8, 4 in end-cap volume 9 (tie -> barrel, listed first)
//   P5: no hits
//   P6: 5 GeV, 0 mm, 4 hits in volume 99 (in no TrackML region: 'other')
//   noise: 4 hits (volumes 8, 8, 8, 99)
// Clusters:
//   C0: P0 x6          -> majority P0; 6/10 of P0: double-majority match
//   C1: P0 x3 + noise  -> majority P0 (3/4), 3/10 of P0: no match; second track of P0: a duplicate
//   C2: P1 x5          -> match P1
//   C3: P2 x2 + P4 x2  -> nobody holds more than half: fake
//   C4: P4 x6          -> match P4 (6/8)
//   C5: noise x3 + P2  -> noise majority: fake
//   C6: P3 x3          -> 3 hits < hitsMin: not a reconstructed track
//   C7: P6 x4          -> match P6
//   unassigned: P0's last hit, P2's barrel hit
const hits: [truth: number, reco: number, volume: number][] = [
  ...[8, 8, 13, 13, 17, 17].map((v): [number, number, number] => [0, 0, v]),
  ...[8, 13, 17].map((v): [number, number, number] => [0, 1, v]),
  [0, -1, 17],
  ...[9, 9, 14, 14, 14].map((v): [number, number, number] => [1, 2, v]),
  [2, 3, 7],
  [2, 3, 7],
  [2, 5, 7],
  [2, -1, 8],
  [3, 6, 8],
  [3, 6, 8],
  [3, 6, 8],
  [4, 3, 8],
  [4, 3, 8],
  [4, 4, 8],
  [4, 4, 8],
  ...[9, 9, 9, 9].map((v): [number, number, number] => [4, 4, v]),
  ...[99, 99, 99, 99].map((v): [number, number, number] => [6, 7, v]),
  [-1, 1, 8],
  [-1, 5, 8],
  [-1, 5, 8],
  [-1, 5, 99],
];
const truthLabel = Int32Array.from(hits, (h) => h[0]);
const recoLabel = Int32Array.from(hits, (h) => h[1]);
const volumeId = Int32Array.from(hits, (h) => h[2]);
const particles = {
  px: [2, 0.5, 0, 3, 0, 1, 5],
  py: [0, 0, 1.5, 0, 1.2, 1, 0],
  vx: [0, 0, 30, 0, 1, 0, 0],
  vy: [0, 0, 0, 0, 1, 0, 0],
};
const match = doubleMajority(truthLabel, recoLabel);
const event: TrackingEvent = { truthLabel, match, particles, volumeId };

describe('doubleMajority majorityTrack', () => {
  it('names the particle holding a strict majority of each cluster, small clusters included', () => {
    expect(Array.from(match.matchIndex)).toEqual([0, -1, 1, -1, 4, -1, -1, 6]);
    expect(Array.from(match.majorityTrack)).toEqual([0, 0, 1, -1, 4, -1, 3, 6]);
  });
});

describe('trackingPerformance on a hand-made event', () => {
  const perf = trackingPerformance(event);

  it('efficiency for reconstructable, pT > 1 GeV and beam-line particles, with counts', () => {
    expect([perf.hitsMin, perf.ptMin, perf.beamLineRadius, perf.events]).toEqual([4, 1, 10, 1]);
    // Reconstructable: P0, P1, P2, P4, P6; matched P0, P1, P4, P6.
    expect(perf.efficiency.reconstructable).toMatchObject({ numerator: 4, denominator: 5, value: 0.8 });
    expect(perf.efficiency.reconstructable.error).toBeCloseTo(Math.sqrt((0.8 * 0.2) / 5), 15);
    // pT > 1 GeV: P0, P2, P4, P6 (P1 has 0.5 GeV, P3 too few hits); P2 is not matched.
    expect(perf.efficiency.highPt).toMatchObject({ numerator: 3, denominator: 4, value: 0.75 });
    // ... and from the beam line (r_xy <= 10 mm): P2 at 30 mm leaves.
    expect(perf.efficiency.highPtBeamLine).toMatchObject({ numerator: 3, denominator: 3, value: 1, error: 0 });
    // The DMS efficiency has the same denominator.
    expect(match.efficiency).toBe(perf.efficiency.reconstructable.value);
  });

  it('efficiency per detector region, a particle going where most of its hits are', () => {
    const rows = perf.regions.map((r) => [r.key, r.reconstructable.numerator, r.reconstructable.denominator, r.highPt.numerator, r.highPt.denominator]);
    expect(rows).toEqual([
      ['barrel', 2, 2, 2, 2], // P0, and P4 (4 barrel and 4 end-cap hits: the tie goes to the barrel)
      ['endcap-negative', 0, 1, 0, 1], // P2 (3 of its 4 hits)
      ['endcap-positive', 1, 1, 0, 0], // P1, below 1 GeV
      ['other', 1, 1, 1, 1], // P6, volume 99
    ]);
    expect(perf.regions[0].volumes).toEqual([8, 13, 17]);
    expect(perf.regions[2].highPt.value).toBeNaN();
  });

  it('fake and duplicate rates over the reconstructed tracks (clusters with >= hitsMin hits)', () => {
    // C0-C5 and C7: 7 tracks (C6 has 3 hits); matched C0, C2, C4, C7; fakes C3, C5; C1 duplicates P0.
    expect(perf.tracks).toEqual({ total: 7, matched: 4, fakes: 2, duplicates: 1, duplicatedParticles: 1 });
    expect(perf.fakeRate).toMatchObject({ numerator: 2, denominator: 7, value: 2 / 7 });
    expect(perf.duplicateRate).toMatchObject({ numerator: 1, denominator: 7, value: 1 / 7 });
    // Every track is a fake, a duplicate or the first track of its majority particle (P0, P1, P4, P6).
    expect(perf.tracks.fakes + perf.tracks.duplicates + 4).toBe(perf.tracks.total);
    // Purity (matched over tracks) is what is left once fakes, duplicates and partial matches are out.
    expect(match.purity).toBe(4 / 7);
  });

  it('moves with its cuts', () => {
    const tighter = trackingPerformance(event, { ptMin: 1.5 });
    // Strictly above 1.5 GeV: P0 and P6 (P2 has exactly 1.5, P4 1.2).
    expect(tighter.efficiency.highPt).toMatchObject({ numerator: 2, denominator: 2 });
    const wide = trackingPerformance(event, { beamLineRadius: 50 });
    expect(wide.efficiency.highPtBeamLine).toMatchObject({ numerator: 3, denominator: 4 });
    const twoRegions = trackingPerformance(event, { regions: [{ key: 'barrel', label: 'barrel', volumes: [8, 13, 17] }, { key: 'endcaps', label: 'end-caps', volumes: [7, 9, 12, 14, 16, 18, 99] }] });
    // P4's tie still goes to the barrel; P1, P2 and P6 are in the end-caps; no 'other'.
    expect(twoRegions.regions.map((r) => [r.key, r.reconstructable.numerator, r.reconstructable.denominator])).toEqual([
      ['barrel', 2, 2],
      ['endcaps', 2, 3],
    ]);
  });

  it('sums events: counts add, fractions follow', () => {
    const two = trackingPerformance([event, event]);
    expect(two.events).toBe(2);
    expect(two.efficiency.highPt).toMatchObject({ numerator: 6, denominator: 8, value: 0.75 });
    expect(two.tracks).toEqual({ total: 14, matched: 8, fakes: 4, duplicates: 2, duplicatedParticles: 2 });
    expect(sumTrackingPerformance([perf, perf])).toEqual(two);
    expect(sumTrackingPerformance([perf])).toEqual(perf);
  });

  it('leaves regions out without volume ids, and an empty run has NaN fractions', () => {
    expect(trackingPerformance({ truthLabel, match, particles }).regions).toEqual([]);
    const none = trackingPerformance([]);
    expect([none.events, none.tracks.total]).toEqual([0, 0]);
    expect(none.fakeRate.value).toBeNaN();
    expect(TRACKML_REGIONS.map((r) => r.volumes)).toEqual([
      [8, 13, 17],
      [7, 12, 16],
      [9, 14, 18],
    ]);
  });

  it('rejects inconsistent inputs and settings, naming them', () => {
    expect(() => trackingPerformance({ ...event, volumeId: volumeId.subarray(1) })).toThrow(`tracking: column 'volumeId': has ${hits.length - 1} rows but truthLabel has ${hits.length}`);
    expect(() => trackingPerformance({ ...event, particles: { ...particles, px: [1] } })).toThrow("tracking: column 'px': has 1 particles but the truth labels go up to 6");
    expect(() => trackingPerformance(event, { ptMin: -1 })).toThrow('ptMin: must be a finite number >= 0 (GeV), got -1');
    expect(() => trackingPerformance(event, { regions: [TRACKML_REGIONS[0], { key: 'b', label: 'b', volumes: [8] }] })).toThrow("regions: volume 8 is in both 'barrel' and 'b'");
    const other = doubleMajority(truthLabel, recoLabel, undefined, { hitsMin: 3 });
    expect(() => trackingPerformance([event, { ...event, match: other }])).toThrow('hitsMin: events were matched with different hitsMin (4 and 3)');
    expect(() => sumTrackingPerformance([perf, trackingPerformance(event, { ptMin: 2 })])).toThrow('ptMin: cannot sum tracking figures made with different ptMin (1 and 2)');
  });
});

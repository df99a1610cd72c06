import { InputError, Rng } from '@hypertrack/core';
import { bruteDoubleMajority } from '../testing/brute-force';
import { doubleMajority } from './double-majority';
import { hitMixing } from './hit-mixing';
import { denseLabels, labelSizes } from './labels';
import { countClusters, hitMultiplicity } from './multiplicity';

// Hand-made event of 20 hits, hitsMin = 4.
//   T0: hits 0-5 (6 hits)   T1: hits 6-9 (4)   T2: hits 10-12 (3, below hitsMin)   T3: hits 13-17 (5, weight 2 each)
//   noise: hits 18, 19. All other weights 1. Eligible tracks T0, T1, T3, weight 6 + 4 + 10 = 20.
// Clusters:
//   C0 {0,1,2,3,4}: T0 5/5 of the cluster, 5/6 of the track          -> match T0, weight 5
//   C1 {5,6,7,18}: T1 has 2/4, not more than half                    -> none
//   C2 {8,9,19}: 3 hits < hitsMin                                    -> not matchable
//   C3 {10,11,12,13}: T2 3/4 but T2 has 3 hits < hitsMin             -> none
//   C4 {14,15,16,17}: T3 4/4 and 4/5                                -> match T3, weight 8
// dms = 13/20, efficiency = 2/3, purity = 2/4 over clusters with >= 4 hits (2/5 over all clusters).
// The original (quirk 2) would drop C4, the largest label, and report dms 5/20, efficiency 1/3.
const truthLabel = Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, -1, -1]);
const recoLabel = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 1, 2]);
const weight = Float64Array.from(truthLabel, (t) => (t === 3 ? 2 : 1));

describe('doubleMajority on a hand-made event', () => {
  const r = doubleMajority(truthLabel, recoLabel, weight);

  it('matches C0 -> T0 and the last cluster C4 -> T3 (no dropped cluster)', () => {
    expect(Array.from(r.matchIndex)).toEqual([0, -1, -1, -1, 3]);
    expect(Array.from(r.passed)).toEqual([1, 0, 0, 1]);
    expect(r.dms).toBe(13 / 20);
    expect(r.efficiency).toBe(2 / 3);
    expect(r.purity).toBe(2 / 4);
    expect([r.numMatched, r.numTruthTracks, r.numClusters, r.numMatchableClusters]).toEqual([2, 3, 5, 4]);
    expect([r.matchedWeight, r.truthWeight]).toEqual([13, 20]);
  });

  it('reports sizes and per-track hit purity and efficiency (-1 when unmatched)', () => {
    expect(Array.from(r.truthSize)).toEqual([6, 4, 3, 5]);
    expect(Array.from(r.clusterSize)).toEqual([5, 4, 3, 4, 4]);
    expect(Array.from(r.commonHits)).toEqual([5, 0, 0, 4]);
    expect(Array.from(r.hitPurity)).toEqual([1, -1, -1, 1]);
    expect(Array.from(r.hitEfficiency)).toEqual([5 / 6, -1, -1, 4 / 5]);
  });

  it("offers the original's purity denominator (every cluster) as an option", () => {
    expect(doubleMajority(truthLabel, recoLabel, weight, { purityDenominator: 'all' }).purity).toBe(2 / 5);
  });

  it('matches zero-weight common hits unless requirePositiveWeight restores the original rule', () => {
    const w = Float64Array.from(truthLabel, (t) => (t === 3 ? 0 : 1));
    expect(doubleMajority(truthLabel, recoLabel, w).efficiency).toBe(2 / 3);
    expect(doubleMajority(truthLabel, recoLabel, w, { requirePositiveWeight: true }).efficiency).toBe(1 / 3);
  });

  it('counts each hit once when weights are omitted', () => {
    expect(doubleMajority(truthLabel, recoLabel).dms).toBe(9 / 15); // (5 + 4) / (6 + 4 + 5)
  });

  it('agrees with the reference transcription', () => {
    const b = bruteDoubleMajority(truthLabel, recoLabel, weight);
    expect([b.dms, b.efficiency, b.purityMatchable, b.purityAll]).toEqual([13 / 20, 2 / 3, 2 / 4, 2 / 5]);
  });
});

describe('doubleMajority fixes the quirks of the original', () => {
  it('scores long clusters whole (no truncation at hits_max = 23)', () => {
    // One 30-hit cluster: 14 noise hits first, then all 16 hits of T0. Whole: 16/30 > 1/2 and
    // 16/16 -> match. Truncated to its first 23 hits (14 noise + 9 of T0) it would fail 9/23.
    const truth = Int32Array.from({ length: 30 }, (_, i) => (i < 14 ? -1 : 0));
    const reco = new Int32Array(30);
    const r = doubleMajority(truth, reco);
    expect(r.efficiency).toBe(1);
    expect(r.hitPurity[0]).toBe(16 / 30);
  });

  it('needs strict majorities on both sides (exactly half is not enough)', () => {
    // T0 has 8 hits; C0 = 4 of them + 4 noise; C1 = the other 4 of T0.
    const truth = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1]);
    const reco = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    // C0: 4/8 of the cluster and 4/8 of the track; C1: 4/4 of the cluster but 4/8 of the track.
    expect(doubleMajority(truth, reco).numMatched).toBe(0);
    // One hit moved from C1 to C0: C0 holds 5/9 of itself and 5/8 of T0 -> match.
    expect(doubleMajority(truth, Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0])).matchIndex[0]).toBe(0);
  });

  it('returns NaN ratios when nothing can be counted', () => {
    const r = doubleMajority(Int32Array.from([-1, -1]), Int32Array.from([-1, -1]));
    expect(r.dms).toBeNaN();
    expect(r.efficiency).toBeNaN();
    expect(r.purity).toBeNaN();
  });

  it('rejects labels below -1, huge labels and bad options with clear messages', () => {
    expect(() => doubleMajority(Int32Array.from([0, -2]), Int32Array.from([0, 0]))).toThrow(
      new InputError({ file: 'truthLabel', column: 'label' }, 'label -2 at row 1 is below -1 (-1 marks noise or unassigned hits)'),
    );
    expect(() => doubleMajority(Int32Array.from([0]), Int32Array.from([1 << 30]))).toThrow(
      "recoLabel: column 'label': label 1073741824 is not a dense index (labels must stay below 1040); relabel with denseLabels()",
    );
    expect(() => doubleMajority(Int32Array.from([0]), Int32Array.from([0, 1]))).toThrow("recoLabel: column 'label': has 2 rows but truthLabel has 1");
    expect(() => doubleMajority(Int32Array.from([0]), Int32Array.from([0]), undefined, { hitsMin: 0 })).toThrow('hitsMin: must be an integer >= 1, got 0');
  });
});

describe('doubleMajority against the reference transcription on random events', () => {
  it('agrees on 300 random labelings', () => {
    const rng = Rng.fromSeed(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(80);
      const tracks = 1 + rng.int(12);
      const clusters = 1 + rng.int(12);
      const truth = Int32Array.from({ length: n }, () => rng.int(tracks + 1) - 1);
      // Clusters seeded from the truth with random corruption, so that matches actually happen.
      const reco = Int32Array.from(truth, (t) => (rng.uniform() < 0.7 && t >= 0 ? t % clusters : rng.int(clusters + 1) - 1));
      const w = Float64Array.from({ length: n }, () => (rng.uniform() < 0.2 ? 0 : rng.uniform()));
      const hitsMin = 1 + rng.int(5);
      const positive = rng.uniform() < 0.5;
      const fast = doubleMajority(truth, reco, w, { hitsMin, requirePositiveWeight: positive });
      const slow = bruteDoubleMajority(truth, reco, w, hitsMin, positive);
      expect(fast.numMatched).toBe(slow.passed.size);
      for (const [r, t] of slow.match) expect(fast.matchIndex[r]).toBe(t);
      const same = (a: number, b: number) => (Number.isNaN(b) ? expect(a).toBeNaN() : expect(a).toBeCloseTo(b, 12));
      same(fast.dms, slow.dms);
      same(fast.efficiency, slow.efficiency);
      same(fast.purity, slow.purityMatchable);
      same(doubleMajority(truth, reco, w, { hitsMin, requirePositiveWeight: positive, purityDenominator: 'all' }).purity, slow.purityAll);
      // The single-majority particle of every cluster, counted with a Map per cluster.
      for (let r = 0; r < fast.majorityTrack.length; r++) {
        const counts = new Map<number, number>();
        let size = 0;
        reco.forEach((c, i) => {
          if (c !== r) return;
          size++;
          counts.set(truth[i], (counts.get(truth[i]) ?? 0) + 1);
        });
        const holder = [...counts].find(([t, k]) => t >= 0 && 2 * k > size);
        expect(fast.majorityTrack[r]).toBe(holder === undefined ? -1 : holder[0]);
      }
    }
  });
});

describe('hit mixing and multiplicities', () => {
  const r = doubleMajority(truthLabel, recoLabel, weight);

  it('fills H[|t|, |r|] for matched pairs, sums events and normalises columns', () => {
    const h = hitMixing([r, r], 23);
    expect(h.counts[6 * 23 + 5]).toBe(2); // T0 (6 hits) matched by C0 (5 hits), twice
    expect(h.counts[5 * 23 + 4]).toBe(2); // T3 (5) by C4 (4)
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(h.columnPercent[6 * 23 + 5]).toBe(100);
    const small = hitMixing(r, 6);
    expect(small.outside).toBe(1); // T0 has 6 hits, not < 6
    expect(small.counts[5 * 6 + 4]).toBe(1);
  });

  it('counts clusters with >= hitsMin hits and histograms hits per row', () => {
    expect(countClusters(r.truthSize)).toBe(3);
    expect(countClusters(r.clusterSize, 4)).toBe(4);
    const m = hitMultiplicity(r.clusterSize, 5);
    expect(Array.from(m.counts)).toEqual([0, 0, 0, 1, 3]);
    expect(m.overflow).toBe(1);
  });

  it('relabels sparse ids densely in order', () => {
    const { labels, original } = denseLabels(Int32Array.from([900, -7, 5, 900, 2 ** 30, 5]));
    expect(Array.from(labels)).toEqual([1, -1, 0, 1, 2, 0]);
    expect(Array.from(original)).toEqual([5, 900, 2 ** 30]);
    expect(Array.from(labelSizes(labels))).toEqual([2, 2, 1]);
  });
});

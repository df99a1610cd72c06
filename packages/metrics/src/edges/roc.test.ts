import { Rng } from '@hypertrack/core';
import { bruteAuc } from '../testing/brute-force';
import { rocAuc, rocAucWithoutSelfLoops, rocCurve } from './roc';
import { ratesAtThreshold } from './threshold';

// Positives score 0.9, 0.8, 0.8, 0.3; negatives 0.8, 0.5, 0.3, 0.1 (ties at 0.8 and 0.3).
// Thresholds from the top: 0.9 -> tp 1 fp 0; 0.8 -> tp 3 fp 1 (one step for the tie);
// 0.5 -> 3, 2; 0.3 -> 4, 3; 0.1 -> 4, 4.
// Mann-Whitney: 0.9 beats 4 negatives (4); each 0.8 ties one and beats three (3.5 + 3.5);
// 0.3 ties one and beats one (1.5): 12.5 / 16 = 0.78125, also the trapezoid area of the steps.
const scores = Float32Array.from([0.9, 0.8, 0.8, 0.3, 0.8, 0.5, 0.3, 0.1]);
const labels = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]);

describe('rocCurve on a hand-made sample with ties', () => {
  it('has one point per distinct score and the Mann-Whitney AUC', () => {
    const roc = rocCurve(scores, labels);
    expect(Array.from(roc.thresholds)).toEqual([Infinity, Math.fround(0.9), Math.fround(0.8), Math.fround(0.5), Math.fround(0.3), Math.fround(0.1)]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.25, 0.75, 0.75, 1, 1]);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.25, 0.5, 0.75, 1]);
    expect(roc.auc).toBe(0.78125);
    expect([roc.positives, roc.negatives]).toEqual([4, 4]);
    expect(rocAuc(scores, labels)).toBe(0.78125);
    expect(rocAuc(Float64Array.from(scores), labels)).toBe(0.78125);
  });

  it('treats -0 and +0 as one score, and orders negative and infinite scores', () => {
    expect(rocAuc(Float32Array.from([0, -0]), Uint8Array.from([1, 0]))).toBe(0.5);
    const s = Float32Array.from([-Infinity, -2, -1e-30, 3, Infinity, -2]);
    const l = Uint8Array.from([0, 0, 1, 1, 1, 1]);
    expect(rocAuc(s, l)).toBe(bruteAuc(s, l));
    // Negatives -inf, -2. Positives -1e-30, 3, +inf beat both (2 each); -2 beats -inf and ties -2 (1.5).
    expect(rocAuc(s, l)).toBe((2 + 2 + 2 + 1.5) / 8);
  });

  it('returns NaN AUC and NaN rates for a missing class instead of failing', () => {
    const roc = rocCurve(Float32Array.from([0.2, 0.7]), Uint8Array.from([1, 1]));
    expect(roc.auc).toBeNaN();
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 1]);
    expect(roc.fpr.every(Number.isNaN)).toBe(true);
    expect(rocCurve(new Float32Array(0), new Uint8Array(0)).auc).toBeNaN();
  });

  it('rejects NaN scores and labels, mismatched lengths and bad options', () => {
    expect(() => rocCurve(Float32Array.from([0.1, NaN]), Uint8Array.from([0, 1]))).toThrow("scores: column 'score': score NaN at edge 1");
    expect(() => rocCurve(Float32Array.from([0.1]), Float32Array.from([NaN]))).toThrow("labels: column 'label': label NaN at edge 0");
    expect(() => rocCurve(Float32Array.from([0.1]), Uint8Array.from([0, 1]))).toThrow("labels: column 'label': has 2 rows but scores has 1");
    expect(() => rocCurve(scores, labels, { maxPoints: 1 })).toThrow('maxPoints: must be an integer >= 2, got 1');
  });

  it('thins the curve for plotting on request, keeping both ends and the exact AUC', () => {
    const roc = rocCurve(scores, labels, { maxPoints: 3 });
    expect(Array.from(roc.fpr)).toEqual([0, 0.5, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.75, 1]);
    expect(roc.auc).toBe(0.78125);
  });
});

describe('rocCurve against brute force on random data with many ties', () => {
  it('agrees with the pairwise Mann-Whitney AUC and with per-threshold counting', () => {
    const rng = Rng.fromSeed(5);
    for (let trial = 0; trial < 40; trial++) {
      const n = 2 + rng.int(400);
      const levels = 1 + rng.int(30); // few distinct values -> many ties
      const s = Float32Array.from({ length: n }, () => rng.int(levels) / levels - 0.3);
      const l = Uint8Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : rng.uniform() < 0.4 ? 1 : 0));
      const roc = rocCurve(s, l);
      expect(roc.auc).toBeCloseTo(bruteAuc(s, l), 12);
      const distinct = [...new Set(Array.from(s))].sort((a, b) => b - a);
      expect(roc.thresholds.length).toBe(distinct.length + 1);
      distinct.forEach((thr, k) => {
        const rates = ratesAtThreshold(s, l, thr);
        expect(roc.thresholds[k + 1]).toBe(thr);
        expect(roc.tpr[k + 1]).toBe(rates.tpr);
        expect(roc.fpr[k + 1]).toBe(rates.fpr);
      });
    }
  });
});

describe('rocAucWithoutSelfLoops', () => {
  it('scores only the edges between two different hits', () => {
    // Self-loops (0,0) and (1,1) are positives scored 0.9; without them, positives 0.6 and 0.2
    // against negatives 0.5 and 0.3: pairs won (0.6 > 0.5, 0.6 > 0.3, 0.2 < both) = 2 of 4.
    const s = Float32Array.from([0.9, 0.9, 0.6, 0.2, 0.5, 0.3]);
    const l = Uint8Array.from([1, 1, 1, 1, 0, 0]);
    const src = Int32Array.from([0, 1, 0, 2, 1, 3]);
    const dst = Int32Array.from([0, 1, 1, 3, 2, 0]);
    expect(rocAuc(s, l)).toBeCloseTo(6 / 8, 12);
    expect(rocAucWithoutSelfLoops(s, l, src, dst)).toBeCloseTo(2 / 4, 12);
    expect(rocAucWithoutSelfLoops(s.subarray(2), l.subarray(2), src.subarray(2), dst.subarray(2))).toBe(rocAuc(s.subarray(2), l.subarray(2)));
  });
});

describe('ratesAtThreshold', () => {
  it('counts >= by default and > with inclusive: false', () => {
    const r = ratesAtThreshold(scores, labels, Math.fround(0.8));
    expect([r.tp, r.fp, r.tn, r.fn, r.tpr, r.fpr]).toEqual([3, 1, 3, 1, 0.75, 0.25]);
    const strict = ratesAtThreshold(scores, labels, Math.fround(0.8), { inclusive: false });
    expect([strict.tp, strict.fp, strict.tpr, strict.fpr]).toEqual([1, 0, 0.25, 0]);
    expect(ratesAtThreshold(Float32Array.from([0.5]), Uint8Array.from([0]), 0.1).tpr).toBeNaN();
  });
});

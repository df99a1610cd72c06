import { InputError, Rng } from '@hypertrack/core';
import { bruteTrackmlScore } from '../testing/brute-force';
import { trackmlScore } from './score';
import { indexTruth } from './truth-index';

// Hand-made event. Hit ids 1..15; weights are integers (the score divides by their total, 28).
//   particle 100: hits 1-4, weight 2 each   (8)
//   particle 200: hits 5-8, weight 1 each   (4)
//   particle 300: hits 9-10, weight 2 each  (4)
//   noise (0):    hits 11, 12, weight 0
//   particle 400: hits 13-15, weight 4 each (12)
const truth = {
  hitId: Int32Array.from({ length: 15 }, (_, i) => i + 1),
  particleId: BigUint64Array.from([100n, 100n, 100n, 100n, 200n, 200n, 200n, 200n, 300n, 300n, 0n, 0n, 400n, 400n, 400n]),
  weight: Float64Array.from([2, 2, 2, 2, 1, 1, 1, 1, 2, 2, 0, 0, 4, 4, 4]),
};
// Tracks (hit ids):
//   7: 1 2 3 11   majority 100 with 3/4 of the track and 3/4 of the particle  -> good, weight 6
//   8: 4 5 6      majority 200 (2/3) but only 2 of its 4 hits (not > half)    -> no
//   9: 7 10       tie 200/300, the smaller id 200 wins, 1/2 is not > half     -> no
//  10: 8 12       tie 200/noise, noise (id 0) wins                            -> no
//  11: 9          300 with 1/1 of the track but 1/2 of the particle           -> no
//  2^62: 13 14    400: 2/2 and 2/3                                             -> good, weight 8
//  -3: 15         400: 1/1 but 1/3                                             -> no
// score = (6 + 8) / 28 = 0.5
const hitId = Int32Array.from([1, 2, 3, 11, 4, 5, 6, 7, 10, 8, 12, 9, 13, 14, 15]);
const trackId = BigInt64Array.from([7n, 7n, 7n, 7n, 8n, 8n, 8n, 9n, 9n, 10n, 10n, 11n, 2n ** 62n, 2n ** 62n, -3n]);

describe('trackmlScore on a hand-made event', () => {
  const result = trackmlScore(truth, { hitId, trackId });

  it('scores 0.5 with two good tracks out of seven', () => {
    expect(result.score).toBe(0.5);
    expect(result.totalWeight).toBe(28);
    expect(result.matchedWeight).toBe(14);
    expect(result.numTracks).toBe(7);
    expect(result.numGoodTracks).toBe(2);
  });

  it('reports every track in order of first appearance, ties going to the smaller particle id', () => {
    const t = result.tracks;
    expect(Array.from(t.firstRow)).toEqual([0, 4, 7, 9, 11, 12, 14]);
    expect(Array.from(t.nhits)).toEqual([4, 3, 2, 2, 1, 2, 1]);
    expect(Array.from(t.majorityParticle)).toEqual([100n, 200n, 200n, 0n, 300n, 400n, 400n]);
    expect(Array.from(t.majorityHits)).toEqual([3, 2, 1, 1, 1, 2, 1]);
    expect(Array.from(t.majorityParticleHits)).toEqual([4, 4, 4, 2, 2, 3, 3]);
    expect(Array.from(t.majorityWeight)).toEqual([6, 2, 1, 0, 2, 8, 4]);
    expect(Array.from(t.good)).toEqual([1, 0, 0, 0, 0, 1, 0]);
  });

  it('gives the same answer for Int32 track ids and for a reused truth index', () => {
    const int32 = Int32Array.from(trackId, (v) => (v === 2n ** 62n ? 123456 : Number(v)));
    const index = indexTruth(truth);
    expect(trackmlScore(index, { hitId, trackId: int32 }).score).toBe(0.5);
    expect(trackmlScore(index, { hitId, trackId }).score).toBe(0.5);
  });

  it('refuses id columns that are not integer typed arrays, by name, instead of reading them as zeros', () => {
    const plain = { ...truth, particleId: Array.from(truth.particleId) as unknown as BigUint64Array };
    expect(() => trackmlScore(plain, { hitId, trackId })).toThrow('truth particleId: must be an Int32Array, BigInt64Array or BigUint64Array, got a plain Array (64-bit ids: BigUint64Array.from(ids, BigInt))');
    expect(() => trackmlScore(truth, { hitId, trackId: Float64Array.from(trackId, Number) as unknown as Int32Array })).toThrow('submission trackId: must be an Int32Array, BigInt64Array or BigUint64Array, got Float64Array');
  });

  it('treats noise as particle 0, as the official library does: it only matters if noise has weight', () => {
    // All noise hits in one track: majority particle 0 with 2/2 of the track and 2/2 of the noise.
    const noisy = { ...truth, weight: Float64Array.from(truth.weight, (w, i) => (truth.particleId[i] === 0n ? 7 : w)) };
    const perfect = Int32Array.from(truth.particleId, (p) => Number(p));
    const r = trackmlScore(noisy, { hitId: truth.hitId, trackId: perfect });
    expect(r.numGoodTracks).toBe(5); // 4 particles + the noise "track"
    expect(r.score).toBe(1);
    expect(trackmlScore(truth, { hitId: truth.hitId, trackId: perfect }).numGoodTracks).toBe(5); // weight 0: no effect on the score
  });

  it('agrees with the transcription of score_event', () => {
    expect(bruteTrackmlScore(truth, hitId, trackId)).toEqual({ score: 0.5, good: 2, tracks: 7 });
  });
});

describe('trackmlScore rejects bad submissions with the hit id and the count', () => {
  const ids = (...h: number[]) => Int32Array.from(h);
  const score = (h: Int32Array) => () => trackmlScore(truth, { hitId: h, trackId: new Int32Array(h.length) });
  const all = Array.from(truth.hitId);

  it('duplicates', () => {
    expect(score(ids(...all, 4, 4, 9))).toThrow(new InputError({ file: 'submission', column: 'hit_id' }, 'hit_id 4 appears 3 times (2 duplicated hit ids in total)'));
    expect(score(ids(...all, 4, 4, 9))).toThrow("submission: column 'hit_id': hit_id 4 appears 3 times (2 duplicated hit ids in total)");
  });

  it('unknown hit ids', () => {
    expect(score(ids(...all.slice(1), 99, 0))).toThrow("submission: column 'hit_id': hit_id 99 is not in the truth (2 unknown hit ids in total)");
  });

  it('missing hits', () => {
    expect(score(ids(...all.filter((h) => h !== 3 && h !== 12)))).toThrow("submission: column 'hit_id': 2 truth hits are missing, the first is hit_id 3");
    expect(score(ids(...all.filter((h) => h !== 15)))).toThrow("submission: column 'hit_id': 1 truth hit is missing, the first is hit_id 15");
  });

  it('mismatched columns and a bad truth', () => {
    expect(() => trackmlScore(truth, { hitId: truth.hitId, trackId: new Int32Array(3) })).toThrow("submission: column 'track_id': has 3 rows but hit_id has 15");
    const dup = { ...truth, hitId: Int32Array.from(truth.hitId, (h) => (h === 2 ? 1 : h)) };
    expect(() => indexTruth(dup)).toThrow("truth: column 'hit_id': hit_id 1 appears 2 times");
    const negative = { ...truth, weight: Float64Array.from(truth.weight, (w, i) => (i === 5 ? -1 : w)) };
    expect(() => indexTruth(negative)).toThrow("truth: column 'weight': value -1 at row 5 is not a finite number >= 0");
  });

  it('accepts a complete submission in any row order and returns NaN when all weights are 0', () => {
    const rng = Rng.fromSeed(3);
    const order = rng.permutation(15);
    expect(trackmlScore(truth, { hitId: Int32Array.from(order, (i) => hitId[i]), trackId: BigInt64Array.from(order, (i) => trackId[i]) }).score).toBe(0.5);
    const sparse = (h: Int32Array) => Int32Array.from(h, (v) => v * 10_000_000);
    expect(trackmlScore({ ...truth, hitId: sparse(truth.hitId) }, { hitId: sparse(hitId), trackId }).score).toBe(0.5);
    const zero = { ...truth, weight: new Float64Array(15) };
    expect(trackmlScore(zero, { hitId, trackId }).score).toBeNaN();
  });
});

describe('trackmlScore against the transcription on random toy events', () => {
  it('agrees on 200 random events and submissions with ties, noise and 64-bit ids', () => {
    const rng = Rng.fromSeed(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(60);
      const particles = 1 + rng.int(8);
      const particleIds = Array.from({ length: particles }, (_, p) => (p === 0 ? 0n : BigInt(rng.int(2 ** 30)) * 2n ** 33n + BigInt(p)));
      const t = {
        hitId: Int32Array.from(rng.permutation(n), (i) => i * 3 - 50),
        particleId: BigUint64Array.from({ length: n }, () => particleIds[rng.int(particles)]),
        weight: Float64Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 0 : rng.int(5))),
      };
      const perm = rng.permutation(n);
      const tracks = 1 + rng.int(10);
      const subHit = Int32Array.from(perm, (i) => t.hitId[i]);
      const subTrack = BigInt64Array.from({ length: n }, () => BigInt(rng.int(tracks)) * (rng.uniform() < 0.5 ? -(2n ** 40n) : 1n));
      const fast = trackmlScore(t, { hitId: subHit, trackId: subTrack });
      const brute = bruteTrackmlScore(t, subHit, subTrack);
      expect(fast.numGoodTracks).toBe(brute.good);
      expect(fast.numTracks).toBe(brute.tracks);
      if (Number.isNaN(brute.score)) expect(fast.score).toBeNaN();
      else expect(fast.score).toBeCloseTo(brute.score, 12);
    }
  });
});

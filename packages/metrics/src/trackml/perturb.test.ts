import { Rng } from '@hypertrack/core';
import { perturbAssignment } from './perturb';

function groups(trackId: Int32Array): Map<number, number[]> {
  const m = new Map<number, number[]>();
  trackId.forEach((id, i) => m.set(id, [...(m.get(id) ?? []), i]));
  return m;
}

describe('perturbAssignment', () => {
  // 10 tracks of 4 hits each (hits interleaved) and 8 noise hits.
  const truth = Int32Array.from({ length: 48 }, (_, i) => (i < 40 ? i % 10 : -1));

  it('reproduces the truth with no mistakes: track t+1, noise in track 0', () => {
    const id = perturbAssignment(truth, {}, Rng.fromSeed(1));
    truth.forEach((t, i) => expect(id[i]).toBe(t + 1));
  });

  it('merges the requested number of track pairs and splits the requested number of tracks', () => {
    const id = perturbAssignment(truth, { merge: 0.4, split: 0.2 }, Rng.fromSeed(2));
    const sizes = [...groups(id).entries()].filter(([k]) => k !== 0).map(([, hits]) => hits.length).sort((a, b) => a - b);
    // 2 merged pairs (8 hits each), 2 split tracks (two halves of 2), 4 untouched tracks of 4.
    expect(sizes).toEqual([2, 2, 2, 2, 4, 4, 4, 4, 8, 8]);
    expect(groups(id).get(0)?.length).toBe(8);
  });

  it('moves the requested share of noise into tracks', () => {
    const id = perturbAssignment(truth, { noiseIntoTracks: 0.5 }, Rng.fromSeed(3));
    expect(groups(id).get(0)?.length).toBe(4);
    for (let i = 40; i < 48; i++) expect(id[i] >= 0 && id[i] <= 10).toBe(true);
  });

  it('rejects fractions outside [0, 1]', () => {
    expect(() => perturbAssignment(truth, { split: 1.5 }, Rng.fromSeed(1))).toThrow('split: must be a fraction in [0, 1], got 1.5');
  });
});

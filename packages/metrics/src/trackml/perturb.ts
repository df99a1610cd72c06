import { ConfigError, type Rng } from '@hypertrack/core';

export interface PerturbOptions {
  /** Fraction of truth tracks merged in pairs with another track. */
  readonly merge?: number;
  /** Fraction of truth tracks whose later half of hits becomes a track of its own. */
  readonly split?: number;
  /** Fraction of noise hits put into randomly chosen tracks. */
  readonly noiseIntoTracks?: number;
}

/**
 * A submission's track ids made from the truth with controlled mistakes, for validating the scores
 * and for demos before a reconstruction exists. Truth track t becomes track t + 1 and every
 * noise hit left alone goes to track 0 (one junk track, as many challenge submissions did); merged
 * pairs and split halves are chosen disjointly, so each mistake's effect on the score is separate.
 */
export function perturbAssignment(truthLabel: Int32Array, options: PerturbOptions, rng: Rng): Int32Array {
  const merge = fraction(options.merge, 'merge');
  const split = fraction(options.split, 'split');
  const noiseIntoTracks = fraction(options.noiseIntoTracks, 'noiseIntoTracks');
  let numTracks = 0;
  for (const label of truthLabel) if (label + 1 > numTracks) numTracks = label + 1;
  const trackId = new Int32Array(truthLabel.length);
  for (let i = 0; i < truthLabel.length; i++) trackId[i] = truthLabel[i] + 1;

  const pairs = Math.floor((merge * numTracks) / 2);
  const splits = Math.min(numTracks - 2 * pairs, Math.round(split * numTracks));
  const order = rng.permutation(numTracks);
  const renamed = new Int32Array(numTracks + 1);
  for (let t = 0; t <= numTracks; t++) renamed[t] = t;
  for (let k = 0; k < pairs; k++) renamed[order[2 * k + 1] + 1] = order[2 * k] + 1;
  const splitTrack = new Uint8Array(numTracks + 1);
  for (let k = 0; k < splits; k++) splitTrack[order[2 * pairs + k] + 1] = 1;

  // Hits of a split track beyond the first half (in hit order) get a new id.
  const size = new Int32Array(numTracks + 1);
  for (const id of trackId) size[id]++;
  const seen = new Int32Array(numTracks + 1);
  const newId = new Int32Array(numTracks + 1);
  let next = numTracks + 1;
  for (let i = 0; i < trackId.length; i++) {
    const id = trackId[i];
    if (id === 0) continue;
    if (splitTrack[id] && size[id] >= 2 && seen[id]++ >= size[id] >> 1) {
      if (newId[id] === 0) newId[id] = next++;
      trackId[i] = newId[id];
    } else {
      trackId[i] = renamed[id];
    }
  }

  if (noiseIntoTracks > 0 && numTracks > 0) {
    const noise: number[] = [];
    for (let i = 0; i < truthLabel.length; i++) if (truthLabel[i] < 0) noise.push(i);
    for (const k of rng.choiceWithoutReplacement(noise.length, Math.round(noiseIntoTracks * noise.length))) {
      trackId[noise[k]] = 1 + rng.int(numTracks);
    }
  }
  return trackId;
}

function fraction(value: number | undefined, key: string): number {
  const f = value ?? 0;
  if (!(f >= 0 && f <= 1)) throw new ConfigError(key, `must be a fraction in [0, 1], got ${value}`);
  return f;
}

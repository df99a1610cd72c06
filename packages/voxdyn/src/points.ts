import { ConfigError, InputError } from '@hypertrack/core';

/**
 * Points of any dimension live in one flat Float32Array, row-major (`n * dim` values), so the same
 * code serves 3-D space points, 4-D space-time points or anything else a detector produces.
 */
export interface PointSet {
  readonly coords: Float32Array;
  readonly dim: number;
}

export function checkDim(dim: number, key = 'dim'): void {
  if (!Number.isInteger(dim) || dim < 1 || dim > 64) throw new ConfigError(key, `must be an integer in 1..64, got ${dim}`);
}

/** Number of points, after checking that the buffer holds whole finite rows. */
export function pointCount(coords: Float32Array, dim: number, input = 'points'): number {
  checkDim(dim);
  if (coords.length % dim !== 0) {
    throw new InputError({ file: input }, `holds ${coords.length} values, which is not a multiple of dim = ${dim}`);
  }
  for (let i = 0; i < coords.length; i++) {
    // A NaN would make every distance comparison false and silently assign the point to cell 0.
    if (!Number.isFinite(coords[i])) {
      throw new InputError({ file: input }, `value ${coords[i]} of point ${Math.floor(i / dim)} is not finite`);
    }
  }
  return coords.length / dim;
}

/** Track membership: one entry per point, -1 for noise, otherwise a track index >= 0. */
export function checkMembership(membership: Int32Array, n: number, input = 'membership'): number {
  if (membership.length !== n) throw new InputError({ file: input }, `has ${membership.length} entries but there are ${n} points`);
  let max = -1;
  for (let i = 0; i < n; i++) {
    const t = membership[i];
    if (t < -1) throw new InputError({ file: input }, `entry ${t} of point ${i} is below -1 (-1 marks noise)`);
    if (t > max) max = t;
  }
  return max;
}

/**
 * Points grouped by track: `hits.subarray(start[t], start[t + 1])` are the points of track t in
 * ascending point order (a stable counting sort, so the grouping is deterministic). Noise is left out.
 */
export interface TrackGrouping {
  readonly numTracks: number;
  readonly start: Int32Array;
  readonly hits: Int32Array;
}

export function groupByTrack(membership: Int32Array): TrackGrouping {
  let max = -1;
  for (let i = 0; i < membership.length; i++) if (membership[i] > max) max = membership[i];
  const numTracks = max + 1;
  const start = new Int32Array(numTracks + 1);
  for (let i = 0; i < membership.length; i++) if (membership[i] >= 0) start[membership[i] + 1]++;
  for (let t = 0; t < numTracks; t++) start[t + 1] += start[t];
  const fill = start.slice(0, numTracks);
  const hits = new Int32Array(start[numTracks]);
  for (let i = 0; i < membership.length; i++) if (membership[i] >= 0) hits[fill[membership[i]]++] = i;
  return { numTracks, start, hits };
}

import type { TrackMLEvent } from '@hypertrack/core';
import { particleIndexOfHits } from '@hypertrack/io-arrow';

/** The hits of an event as 3-D points (x, y, z in mm) and their track per hit (-1 noise). */
export function pointsOf(event: TrackMLEvent): { points: Float32Array; membership: Int32Array } {
  const { x, y, z } = event.hits;
  const points = new Float32Array(3 * x.length);
  for (let i = 0; i < x.length; i++) {
    points[3 * i] = x[i];
    points[3 * i + 1] = y[i];
    points[3 * i + 2] = z[i];
  }
  return { points, membership: event.truth ? particleIndexOfHits(event) : new Int32Array(x.length).fill(-1) };
}

import type { TrackMLEvent } from '@hypertrack/core';
import { hitPoints, particleIndexOfHits } from '@hypertrack/io-arrow';

/** The hits of an event as 3-D points (x, y, z in mm) and their track per hit (-1 noise). */
export function pointsOf(event: TrackMLEvent): { points: Float32Array; membership: Int32Array } {
  return { points: hitPoints(event.hits), membership: event.truth ? particleIndexOfHits(event) : new Int32Array(event.hits.x.length).fill(-1) };
}

import type { TrackMLEvent } from '@hypertrack/core';
import { hitPoints } from './hit-points';
import { reduceEvent, type ReducedEvent, type ReduceOptions } from './reduce';
import { particleIndexOfHits } from './truth-link';

/** An event as the graph, edge and clustering stages take it. */
export interface EventPoints {
  readonly event: TrackMLEvent;
  /** x, y, z per hit, interleaved (mm). */
  readonly points: Float32Array;
  /** Per hit: the row of its particle in `event.particles`; -1 for noise, all -1 without truth. */
  readonly membership: Int32Array;
}

/** The hits of an event as points with their track per hit (linked through the truth table). */
export function eventPoints(event: TrackMLEvent): EventPoints {
  const membership = event.truth ? particleIndexOfHits(event) : new Int32Array(event.hits.x.length).fill(-1);
  return { event, points: hitPoints(event.hits), membership };
}

/**
 * Pile-up reduction followed by the points of the reduced event. The track of each hit comes from
 * the reduction itself, so the truth is linked once.
 */
export function reducedEventPoints(event: TrackMLEvent, options: ReduceOptions): EventPoints & { readonly reduction: ReducedEvent } {
  const reduction = reduceEvent(event, options);
  return { event: reduction.event, points: hitPoints(reduction.event.hits), membership: reduction.trackIndex, reduction };
}

/**
 * Per hit, its TrackML weight over the event's total (all zero when nothing is scored or there is
 * no truth): the weights the training losses sum over.
 */
export function normalisedHitWeights(event: TrackMLEvent): Float32Array {
  const hitWeight = new Float32Array(event.hits.x.length);
  if (event.truth) {
    let total = 0;
    for (let i = 0; i < hitWeight.length; i++) total += event.truth.weight[i];
    for (let i = 0; i < hitWeight.length; i++) hitWeight[i] = total > 0 ? event.truth.weight[i] / total : 0;
  }
  return hitWeight;
}

import type { EventStream, Rng, TrackMLEvent } from '@hypertrack/core';
import { eventPoints, normalisedHitWeights, reducedEventPoints } from '@hypertrack/event';
import { edgeLabels, type GraphBuilder, type Node2Node } from '@hypertrack/voxdyn';
import type { GnnConfig } from '../config';
import { networkInput } from '../hit-features';
import type { TrainingExample } from '../train/example';

/** Events of a stream kept in memory after their first load (training revisits them often). */
export class EventPool {
  private readonly cache = new Map<number, TrackMLEvent>();

  constructor(readonly source: EventStream) {}

  async get(eventId: number): Promise<TrackMLEvent> {
    let event = this.cache.get(eventId);
    if (event === undefined) {
      event = await this.source.load(eventId);
      this.cache.set(eventId, event);
    }
    return event;
  }
}

export interface GraphExample {
  readonly example: TrainingExample;
  /** Time of the graph constructor (cells + edges), ms. */
  readonly vdMs: number;
}

/**
 * One event as the GNN sees it: hits reduced to `rfactor` of the tracks (reference 1.4), the
 * Voxel-Dynamics graph, edge labels under the model's topology, track index and hit weights.
 */
export function graphExample(
  event: TrackMLEvent,
  builder: GraphBuilder,
  node2node: Node2Node,
  reduction: { rfactor: number; noiseRatio: number; rng: Rng } | null,
  model: GnnConfig,
): GraphExample {
  const { event: reduced, points, membership } = reduction === null ? eventPoints(event) : reducedEventPoints(event, reduction);
  const graph = builder.build(points);
  const labels = edgeLabels(node2node, graph, points, 3, membership);
  const hitWeight = normalisedHitWeights(reduced);
  return {
    example: { numNodes: graph.numHits, ...networkInput(points, model), src: graph.src, dst: graph.dst, labels, hitTrack: membership, hitWeight, positions: points },
    vdMs: graph.timing.assignMs + graph.timing.edgesMs,
  };
}

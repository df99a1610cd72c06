// The Voxel-Dynamics graphs of events with their truth labels, reduced as `hypertrack infer`
// reduces them (same rfactor, noise ratio and seed stream), for the validation scripts.
import { Rng } from '@hypertrack/core';
import { hitPoints, particleIndexOfHits, reduceEvent } from '@hypertrack/event';
import { edgeLabels, GraphBuilder } from '@hypertrack/voxdyn';

/** Yields { eventId, points, graph, labels } per event of `eventIds` in `store`. */
export function* labelledGraphs(model, store, eventIds, { rfactor, noiseRatio = 0.05, seed = 1 } = {}) {
  const builder = new GraphBuilder(model, {});
  const root = Rng.fromSeed(seed);
  for (const eventId of eventIds) {
    let event = store.load(eventId);
    if (rfactor !== undefined) event = reduceEvent(event, { rfactor, noiseRatio, rng: root.split(eventId) }).event;
    const points = hitPoints(event.hits);
    const graph = builder.build(points);
    yield { eventId, points, graph, labels: edgeLabels(model.node2node, graph, points, 3, particleIndexOfHits(event)) };
  }
}

import { createProgress, type EventStream, type ProgressSink } from '@hypertrack/core';
import { eventPoints } from '@hypertrack/event';
import { truthOf } from '@hypertrack/io-arrow';
import type { TrainingEvent } from '@hypertrack/voxdyn';

/**
 * The events of a stream as Voxel-Dynamics training events (points and the track of each hit),
 * all in memory, as k-means and the C-matrix need them. An event without truth is an InputError
 * naming `sourceName`.
 */
export async function voxdynTrainingEvents(source: EventStream, sourceName: string, progress?: ProgressSink): Promise<TrainingEvent[]> {
  const events: TrainingEvent[] = [];
  const loading = createProgress('load events', source.eventIds.length, { unit: 'events', silent: progress === undefined, sink: progress });
  for (const id of source.eventIds) {
    const event = await source.load(id);
    truthOf(event, { path: sourceName });
    const { points, membership } = eventPoints(event);
    events.push({ points, membership, id });
    loading.tick();
  }
  loading.done();
  return events;
}

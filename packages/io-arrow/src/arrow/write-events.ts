import type { TrackMLEvent } from '@hypertrack/core';
import { ArrowEventSink } from './event-sink';
import type { ArrowLayout, EventProducer } from './format';

export interface WriteArrowOptions {
  layout: ArrowLayout;
  /** What made the events (e.g. the simulator and its configuration), kept in the files' metadata. */
  producer?: EventProducer;
}

/**
 * Writes events into the Arrow store folder `outDir` (created if needed) and returns the written
 * paths. `events` may be a lazy (async) iterable: events are written as they come, so memory holds
 * one event at a time. Per-event layout: each event's tables as they are. Dataset layout: every
 * event must have the tables of the first. All files appear together or none does.
 */
export async function writeArrowEvents(
  outDir: string,
  events: Iterable<TrackMLEvent> | AsyncIterable<TrackMLEvent>,
  options: WriteArrowOptions,
): Promise<string[]> {
  const sink = await ArrowEventSink.open(outDir, { layout: options.layout, producer: options.producer });
  try {
    for await (const event of events) sink.append(event);
    return await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

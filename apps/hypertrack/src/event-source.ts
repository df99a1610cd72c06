import { statSync } from 'node:fs';
import { InputError, type TrackMLEvent } from '@hypertrack/core';
import { listTrackMLEvents, openArrowStore, readTrackMLEvent, selectEvents, type EventProducer } from '@hypertrack/io-arrow';
import { parseEventRanges } from './options';

/** Events of a folder of TrackML CSV files or of an Arrow store, loaded one at a time. */
export interface EventSource {
  readonly path: string;
  readonly kind: string;
  readonly eventIds: readonly number[];
  /** What made the events, when the store records it (Arrow stores written by `simulate`). */
  readonly producer: EventProducer | null;
  load(eventId: number): Promise<TrackMLEvent>;
}

export async function openEventSource(path: string, events?: string): Promise<EventSource> {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new InputError({ file: path }, 'not found');
  }
  if (!isDirectory) throw new InputError({ file: path }, 'expected a folder (TrackML CSV files or an Arrow store)');
  const csvIds = await listTrackMLEvents(path);
  let source: EventSource;
  if (csvIds.length > 0) {
    source = { path, kind: 'TrackML CSV', eventIds: csvIds, producer: null, load: (id) => readTrackMLEvent(path, id) };
  } else {
    const store = await openArrowStore(path);
    source = { path, kind: `Arrow ${store.layout}`, eventIds: store.eventIds, producer: store.producer, load: async (id) => store.load(id) };
  }
  if (events === undefined) {
    if (source.eventIds.length === 0) throw new InputError({ file: path }, 'holds no events');
    return source;
  }
  const selected = selectEvents(source.eventIds, parseEventRanges(events));
  if (selected.length === 0) throw new InputError({ file: path }, `no event in ${events}`);
  return { ...source, eventIds: selected };
}

/** Truth of an event, or a clear error naming the source when it has none. */
export function truthOf(event: TrackMLEvent, source: EventSource): NonNullable<TrackMLEvent['truth']> {
  if (!event.truth) throw new InputError({ file: source.path }, `event ${event.eventId} has no truth table`);
  return event.truth;
}

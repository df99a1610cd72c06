import { statSync } from 'node:fs';
import { ConfigError, InputError, type TrackMLEvent } from '@hypertrack/core';
import { openArrowStore } from './arrow/store';
import { recoverStoreFolder } from './arrow/store-folder';
import type { EventProducer } from './arrow/format';
import { listTrackMLEvents } from './event-files';
import { readTrackMLEvent } from './read-event';
import { parseEventRanges, selectEvents, type EventRange } from './select-events';

/** Events of a folder of TrackML CSV files or of an Arrow store, loaded one at a time. */
export interface EventSource {
  readonly path: string;
  /** "TrackML CSV", "Arrow dataset" or "Arrow file". */
  readonly kind: string;
  readonly eventIds: readonly number[];
  /** What made the events, when the store records it (Arrow stores written by `simulate`). */
  readonly producer: EventProducer | null;
  load(eventId: number): Promise<TrackMLEvent>;
}

export interface OpenEventsOptions {
  /** Events to keep: ranges like "20-99,105" or [first, last] pairs; all when absent. */
  readonly events?: string | readonly EventRange[];
  /** What to name in an error about `events` (a flag or config key). Default "events". */
  readonly eventsKey?: string;
}

/**
 * The one entry point to events on disk: a folder of TrackML CSV files (`event<id>-hits.csv`...)
 * or an Arrow store, told apart by what the folder holds. Nothing is read until `load`; Arrow
 * stores load zero-copy.
 */
export async function openEvents(path: string, options: OpenEventsOptions = {}): Promise<EventSource> {
  // A store whose write was killed between its final renames waits aside: put it back first.
  await recoverStoreFolder(path);
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
  const { events } = options;
  if (events === undefined) {
    if (source.eventIds.length === 0) throw new InputError({ file: path }, 'holds no events');
    return source;
  }
  const ranges = typeof events === 'string' ? parseEventRanges(events, options.eventsKey) : events;
  const selected = selectEvents(source.eventIds, ranges);
  if (selected.length === 0) {
    const wanted = typeof events === 'string' ? events : ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
    // The flag that chose the events is what to change; without one, the source is.
    if (options.eventsKey !== undefined) throw new ConfigError(options.eventsKey, `no event of ${path} is in ${wanted}`);
    throw new InputError({ file: path }, `no event in ${wanted}`);
  }
  return { ...source, eventIds: selected };
}

/** Truth of an event, or a clear error naming the source when it has none. */
export function truthOf(event: TrackMLEvent, source: Pick<EventSource, 'path'>): NonNullable<TrackMLEvent['truth']> {
  if (!event.truth) throw new InputError({ file: source.path }, `event ${event.eventId} has no truth table`);
  return event.truth;
}

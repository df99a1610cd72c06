import { ConfigError, InputError, createProgress, type ProgressOptions, type TableKind } from '@hypertrack/core';
import { DEFAULT_EVENT_KINDS, checkEventId, listTrackMLEvents, orderKinds } from '../event-files';
import { readTrackMLEventWithStats } from '../read-event';
import { ArrowEventSink } from './event-sink';
import type { ArrowLayout } from './format';

export interface ConvertOptions {
  /** Default `per-event`. */
  layout?: ArrowLayout;
  /** Events to convert, in this order; default every event with a hits file in the input folder. */
  eventIds?: readonly number[];
  /** Tables to convert; must include hits and particles. Default: hits, particles, truth. */
  kinds?: readonly TableKind[];
  /** Progress on stderr (`true`) or as configured; default none. */
  progress?: boolean | ProgressOptions;
}

export interface ConvertResult {
  layout: ArrowLayout;
  eventIds: number[];
  /** Paths of the Arrow files written. */
  files: string[];
  /** Bytes of CSV text read (after decompression). */
  csvBytes: number;
  seconds: number;
}

/**
 * Converts TrackML CSV events from `inDir` into the Arrow store folder `outDir`, one event at a
 * time, so memory holds a single event whatever the number of events. Every event is validated as
 * by readTrackMLEvent. If anything fails, the output folder is left as it was: no new file, no
 * temporary file (and a folder this call created is removed again).
 */
export async function convertCsvToArrow(inDir: string, outDir: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const started = performance.now();
  const layout = options.layout ?? 'per-event';
  const kinds = orderKinds(options.kinds ?? DEFAULT_EVENT_KINDS);
  const eventIds = options.eventIds !== undefined ? [...options.eventIds] : await listTrackMLEvents(inDir);
  eventIds.forEach(checkEventId);
  if (new Set(eventIds).size !== eventIds.length) throw new ConfigError('eventIds', 'lists an event twice');
  if (eventIds.length === 0) {
    if (options.eventIds !== undefined) throw new ConfigError('eventIds', 'no events selected');
    throw new InputError({ file: inDir }, 'no TrackML events found (expected files named event<9 digits>-hits.csv or .csv.gz)');
  }
  const progress = createProgress('convert', eventIds.length, {
    unit: 'events',
    ...(typeof options.progress === 'object' ? options.progress : {}),
    silent: options.progress === undefined || options.progress === false,
  });

  const sink = await ArrowEventSink.open(outDir, { layout, kinds });
  let csvBytes = 0;
  let files: string[];
  try {
    for (const eventId of eventIds) {
      const { event, bytes } = await readTrackMLEventWithStats(inDir, eventId, { kinds });
      sink.append(event);
      csvBytes += bytes;
      progress.tick();
    }
    files = await sink.commit();
  } catch (error) {
    await sink.abort();
    throw error;
  }
  progress.done();
  return { layout, eventIds, files, csvBytes, seconds: (performance.now() - started) / 1000 };
}

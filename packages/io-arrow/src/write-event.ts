import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type TableKind, type TableOfKind, type TrackMLEvent } from '@hypertrack/core';
import { withAtomicFiles } from './atomic-files';
import { writeTableFile } from './csv/write-table';
import { TABLE_KINDS, eventStem } from './event-files';

export interface WriteEventOptions {
  /** Write `.csv.gz` instead of `.csv`. */
  gzip?: boolean;
}

/**
 * Writes every table the event has as `event{id:09d}-{kind}.csv[.gz]` in `dir` (created if needed).
 * All files of the event appear together or none does. Returns the written paths.
 */
export async function writeTrackMLEvent(dir: string, event: TrackMLEvent, options: WriteEventOptions = {}): Promise<string[]> {
  const stem = eventStem(event.eventId);
  const suffix = options.gzip ? '.csv.gz' : '.csv';
  await mkdir(dir, { recursive: true });
  return withAtomicFiles(async (files) => {
    const written: string[] = [];
    for (const kind of TABLE_KINDS) {
      const table = tableOf(event, kind);
      if (table === undefined) continue;
      const target = join(dir, `${stem}-${kind}${suffix}`);
      await writeTableFile(kind, table, files.temp(target), target);
      written.push(target);
    }
    return written;
  });
}

/** The event's table of `kind`, if it has one. */
export function tableOf<K extends TableKind>(event: TrackMLEvent, kind: K): TableOfKind[K] | undefined {
  return (event as unknown as Partial<TableOfKind>)[kind] as TableOfKind[K] | undefined;
}

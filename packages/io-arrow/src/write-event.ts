import { join } from 'node:path';
import { allocateTable, type TableKind, type TableOfKind, type TrackMLEvent, makeFolders } from '@hypertrack/core';
import { withAtomicFiles } from './atomic-files';
import { writeTableFile } from './csv/write-table';
import { TABLE_KINDS, eventStem } from './event-files';

export interface WriteEventOptions {
  /** Write `.csv.gz` instead of `.csv`. */
  gzip?: boolean;
}

/**
 * Writes the event as `event{id:09d}-{kind}.csv[.gz]` in `dir` (created if needed): hits,
 * particles, the truth when the event has it, and always a cells file, as trackml-library's
 * `load_event` reads all four parts by default. An event without cells (simulated events have no
 * channel information) gets a header-only cells file: no cell is made up. All files of the event
 * appear together or none does. Returns the written paths.
 */
export async function writeTrackMLEvent(dir: string, event: TrackMLEvent, options: WriteEventOptions = {}): Promise<string[]> {
  const stem = eventStem(event.eventId);
  const suffix = options.gzip ? '.csv.gz' : '.csv';
  makeFolders(dir, dir);
  return withAtomicFiles(async (files) => {
    const written: string[] = [];
    for (const kind of TABLE_KINDS) {
      const table = tableOf(event, kind) ?? (kind === 'cells' ? allocateTable('cells', 0) : undefined);
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

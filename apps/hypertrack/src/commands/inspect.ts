import { statSync } from 'node:fs';
import { Command } from 'commander';
import { createProgress, InputError, type TrackMLEvent } from '@hypertrack/core';
import { listTrackMLEvents, openArrowStore, readTrackMLEvent, selectEvents } from '@hypertrack/io-arrow';
import type { CliIO } from '../io';
import { parseEventRanges } from '../options';
import { addToSummary, emptySummary, formatSummary } from '../summary';

interface InspectOptions {
  events?: string;
  progress: boolean;
}

/** Event ids and a loader, for either an Arrow store or a folder of TrackML CSV files. */
async function openEvents(path: string): Promise<{ kind: string; eventIds: readonly number[]; load(id: number): Promise<TrackMLEvent> }> {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new InputError({ file: path }, 'not found');
  }
  if (!isDirectory) throw new InputError({ file: path }, 'expected a folder (TrackML CSV files or an Arrow store)');
  const csvIds = await listTrackMLEvents(path);
  if (csvIds.length > 0) return { kind: 'TrackML CSV', eventIds: csvIds, load: (id) => readTrackMLEvent(path, id) };
  const store = await openArrowStore(path);
  return { kind: `Arrow ${store.layout}`, eventIds: store.eventIds, load: async (id) => store.load(id) };
}

export function inspectCommand(io: CliIO): Command {
  return new Command('inspect')
    .description('summarise events: hits, particles, noise fraction, hits per particle, hits per volume and layer')
    .argument('<path>', 'folder of TrackML CSV files or an Arrow event store')
    .option('--events <ranges>', 'only these events, e.g. 1000-1009,1020 (inclusive)')
    .option('--no-progress', 'do not report progress')
    .action(async (path: string, options: InspectOptions) => {
      const source = await openEvents(path);
      const ids = options.events ? selectEvents(source.eventIds, parseEventRanges(options.events)) : [...source.eventIds];
      if (ids.length === 0) throw new InputError({ file: path }, options.events ? `no event in ${options.events}` : 'holds no events');
      const summary = emptySummary();
      const progress = createProgress('inspect', ids.length, { unit: 'events', silent: !options.progress || ids.length < 2, sink: io.stderr });
      for (const id of ids) {
        addToSummary(summary, await source.load(id));
        progress.tick();
      }
      progress.done();
      io.stdout.write(`${formatSummary(summary, `${path} (${source.kind})`)}\n`);
    });
}

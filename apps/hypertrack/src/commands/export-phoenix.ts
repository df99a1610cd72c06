import { Command } from 'commander';
import { InputError, writeFileAtomic } from '@hypertrack/core';
import { particleIndexOfHits } from '@hypertrack/event';
import { readTrackMLTable } from '@hypertrack/io-arrow';
import { toPhoenixEvent } from '@hypertrack/report';
import { openEvents } from '@hypertrack/io-arrow';
import type { CliIO } from '../io';
import { integerOption } from '../options';
import { clusterLabels, splitByEvent } from '@hypertrack/pipeline';

interface ExportOptions {
  in: string;
  eventId?: number;
  submission?: string;
  noiseTrackId: number;
  minHits: number;
  out: string;
}

export function exportPhoenixCommand(io: CliIO): Command {
  return new Command('export-phoenix')
    .description("export one event for HSF's Phoenix event display (JSON): hits, true tracks and, with --submission, reconstructed tracks")
    .requiredOption('--in <path>', 'folder of TrackML CSV files or an Arrow store')
    .requiredOption('--out <file>', 'Phoenix JSON file to write')
    .option('--event-id <id>', 'event to export (default: the first one)', integerOption(0))
    .option('--submission <file>', 'a TrackML submission (event_id,hit_id,track_id) whose tracks are drawn as reconstructed tracks')
    .option('--noise-track-id <id>', 'track id of unassigned hits in the submission', integerOption(-2147483648, 2147483647), 0)
    .option('--min-hits <n>', 'leave out tracks with fewer hits', integerOption(1), 4)
    .action(async (options: ExportOptions) => {
      const source = await openEvents(options.in);
      const eventId = options.eventId ?? source.eventIds[0];
      if (!source.eventIds.includes(eventId)) throw new InputError({ file: options.in }, `has no event ${eventId}`);
      const event = await source.load(eventId);
      let reconstructed: Int32Array | undefined;
      if (options.submission) {
        const part = splitByEvent(await readTrackMLTable('submission', options.submission)).get(eventId);
        if (!part) throw new InputError({ file: options.submission }, `has no rows for event ${eventId}`);
        reconstructed = clusterLabels(event, part, options.noiseTrackId, options.submission);
      }
      const truthLabels = event.truth ? particleIndexOfHits(event) : undefined;
      const phoenix = toPhoenixEvent(event, { reconstructed, truthLabels, minHits: options.minHits });
      await writeFileAtomic(options.out, JSON.stringify(phoenix));
      io.stdout.write(`wrote event ${eventId} for Phoenix to ${options.out}\n`);
    });
}

import { Command, Option } from 'commander';
import { InputError } from '@hypertrack/core';
import { trackmlGeometry } from '@hypertrack/detsim';
import { particleIndexOfHits } from '@hypertrack/event';
import { openEvents, readTrackMLTable } from '@hypertrack/io-arrow';
import { clusterLabels, splitByEvent } from '@hypertrack/pipeline';
import { PHOENIX_HIT_SELECTIONS, writePhoenixFiles, type PhoenixThinning } from '@hypertrack/report';
import type { CliIO } from '../io';
import { integerOption, numberOption } from '../options';

interface ExportOptions extends PhoenixThinning {
  in: string;
  eventId?: number;
  submission?: string;
  noiseTrackId: number;
  minHits: number;
  out: string;
  geometry?: string;
}

export function exportPhoenixCommand(io: CliIO): Command {
  return new Command('export-phoenix')
    .description("export one event for HSF's Phoenix event display (JSON, mm and MeV): hits, true tracks and, with --submission, reconstructed tracks; optionally the detector (glTF)")
    .requiredOption('--in <path>', 'folder of TrackML CSV files or an Arrow store')
    .requiredOption('--out <file>', 'Phoenix JSON file to write')
    .option('--event-id <id>', 'event to export (default: the first one)', integerOption(0))
    .option('--submission <file>', 'a TrackML submission (event_id,hit_id,track_id) whose tracks are drawn as reconstructed tracks')
    .option('--noise-track-id <id>', 'track id of unassigned hits in the submission', integerOption(-2147483648, 2147483647), 0)
    .option('--min-hits <n>', 'leave out tracks with fewer hits', integerOption(1), 4)
    .option('--min-pt <GeV>', 'leave out tracks below this pT (default: none); reconstructed tracks: pT from their curvature', numberOption(0, Infinity))
    .option('--max-tracks <n>', 'keep at most the n highest-pT tracks of each collection (default: all)', integerOption(0))
    .addOption(new Option('--hits <which>', 'hits to write: all, only those on tracks that are kept, or none').choices(PHOENIX_HIT_SELECTIONS).default('all'))
    .option('--geometry <file>', "also write the TrackML detector's layers as glTF, for Phoenix's geometry import")
    .action(async (options: ExportOptions) => {
      const source = await openEvents(options.in);
      const eventId = options.eventId ?? source.eventIds[0];
      if (!source.eventIds.includes(eventId)) throw new InputError({ file: options.in }, `has no event ${eventId}`);
      const event = await source.load(eventId);
      const part = options.submission ? splitByEvent(await readTrackMLTable('submission', options.submission)).get(eventId) : undefined;
      if (options.submission && !part) throw new InputError({ file: options.submission }, `has no rows for event ${eventId}`);
      const reconstructed = part && options.submission ? clusterLabels(event, part, options.noiseTrackId, options.submission) : undefined;
      const written = await writePhoenixFiles({ event: options.out, geometry: options.geometry }, event, { ...options, reconstructed, truthLabels: event.truth && particleIndexOfHits(event), detector: trackmlGeometry() });
      io.stdout.write(`wrote event ${eventId} for Phoenix to ${written.lines.join('\n  and ')}\n`);
    });
}

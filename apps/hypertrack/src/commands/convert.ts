import { Command } from 'commander';
import { ConfigError } from '@hypertrack/core';
import { convertCsvToArrow, listTrackMLEvents, parseEventRanges, selectEvents, type ArrowLayout } from '@hypertrack/io-arrow';
import type { CliIO } from '../io';

interface ConvertCliOptions {
  in: string;
  out: string;
  layout: ArrowLayout;
  events?: string;
  progress: boolean;
}

export function convertCommand(io: CliIO): Command {
  return new Command('convert')
    .description('convert TrackML CSV events (plain or .gz) into an Arrow IPC event store')
    .requiredOption('--in <dir>', 'folder of TrackML files event<id>-{hits,particles,truth}.csv[.gz]')
    .requiredOption('--out <dir>', 'Arrow store folder to write')
    .option('--layout <layout>', 'dataset (hits.arrow, particles.arrow, truth.arrow with an event_id column) or per-event', 'dataset')
    .option('--events <ranges>', 'only these events, e.g. 1000-1099,1200-1299 (inclusive)')
    .option('--no-progress', 'do not report progress')
    .action(async (options: ConvertCliOptions) => {
      if (options.layout !== 'dataset' && options.layout !== 'per-event') {
        throw new ConfigError('--layout', `expected dataset or per-event, got "${options.layout}"`);
      }
      const eventIds = options.events ? selectEvents(await listTrackMLEvents(options.in), parseEventRanges(options.events, '--events')) : undefined;
      if (eventIds !== undefined && eventIds.length === 0) throw new ConfigError('--events', `no event of ${options.in} is in ${options.events}`);
      const result = await convertCsvToArrow(options.in, options.out, {
        layout: options.layout,
        eventIds,
        progress: options.progress ? { sink: io.stderr } : false,
      });
      const megabytes = result.csvBytes / 1e6;
      io.stdout.write(
        `converted ${result.eventIds.length} event(s), ${megabytes.toFixed(1)} MB of CSV in ${result.seconds.toFixed(2)} s ` +
          `(${(megabytes / Math.max(result.seconds, 1e-9)).toFixed(0)} MB/s) to ${options.out} (${result.layout})\n`,
      );
    });
}

import { Command } from 'commander';
import { createProgress } from '@hypertrack/core';
import { openEvents } from '@hypertrack/io-arrow';
import type { CliIO } from '../io';
import { formatProducer } from '../producer-lines';
import { countEvent, emptyCensus, formatCensus } from '@hypertrack/event';

interface InspectOptions {
  events?: string;
  progress: boolean;
}

export function inspectCommand(io: CliIO): Command {
  return new Command('inspect')
    .description('summarise events: hits, particles, noise fraction, hits per particle, hits per volume and layer')
    .argument('<path>', 'folder of TrackML CSV files or an Arrow event store')
    .option('--events <ranges>', 'only these events, e.g. 1000-1009,1020 (inclusive)')
    .option('--no-progress', 'do not report progress')
    .action(async (path: string, options: InspectOptions) => {
      const source = await openEvents(path, { events: options.events, eventsKey: '--events' });
      const census = emptyCensus();
      const progress = createProgress('inspect', source.eventIds.length, { unit: 'events', silent: !options.progress || source.eventIds.length < 2, sink: io.stderr });
      for (const id of source.eventIds) {
        countEvent(census, await source.load(id));
        progress.tick();
      }
      progress.done();
      io.stdout.write(`${formatCensus(census, `${path} (${source.kind})`)}\n`);
      io.stdout.write(`${formatProducer(source.producer)}\n`);
    });
}

import { Command } from 'commander';
import { ConfigError, createProgress, Rng } from '@hypertrack/core';
import { defaultSimulationConfig, describeSimulation, simulateEvent, type SimulationConfig } from '@hypertrack/detsim';
import { readTrackMLTable, writeArrowEvents, writeTrackMLEvent, type ArrowLayout, type EventProducer } from '@hypertrack/io-arrow';
import type { CliIO } from '../io';
import { integerOption, numberOption } from '../options';

interface SimulateOptions {
  events: number;
  eventStart: number;
  pileup: number;
  seed: number;
  out: string;
  particles?: string;
  format: 'csv' | 'arrow';
  layout: ArrowLayout;
  gzip: boolean;
  noiseFraction: number;
  progress: boolean;
}

export function simulateCommand(io: CliIO): Command {
  return new Command('simulate')
    .description('simulate TrackML-like events and write them in the TrackML format (CSV) or as Arrow')
    .requiredOption('--out <dir>', 'output folder')
    .option('--events <n>', 'number of events', integerOption(1, 100_000), 1)
    .option('--event-start <id>', 'id of the first event (files are named event<id, 9 digits>-hits.csv ...)', integerOption(0, 999_999_999), 0)
    .option('--pileup <mu>', 'mean number of pile-up interactions per event (TrackML: 200)', numberOption(0, 2000), 200)
    .option('--seed <s>', 'random seed; event i draws from the stream (seed, i)', integerOption(0), 1)
    .option('--particles <file>', 'simulate this TrackML particles table (CSV) in every event instead of generating pile-up')
    .option('--format <format>', 'csv (TrackML files) or arrow', 'csv')
    .option('--layout <layout>', 'arrow only: dataset (one file per table kind) or per-event', 'dataset')
    .option('--gzip', 'csv only: write .csv.gz', false)
    .option('--noise-fraction <f>', 'noise hits as a fraction of all hits', numberOption(0, 1, { exclusiveMax: true }), 0.15)
    .option('--no-progress', 'do not report progress')
    .action(async (options: SimulateOptions) => runSimulate(options, io));
}

async function runSimulate(options: SimulateOptions, io: CliIO): Promise<void> {
  if (options.format !== 'csv' && options.format !== 'arrow') throw new ConfigError('--format', `expected csv or arrow, got "${options.format}"`);
  if (options.layout !== 'dataset' && options.layout !== 'per-event') throw new ConfigError('--layout', `expected dataset or per-event, got "${options.layout}"`);
  const particles = options.particles ? await readTrackMLTable('particles', options.particles) : undefined;
  const config = defaultSimulationConfig({ pileup: options.pileup, noiseFraction: options.noiseFraction, particles });
  const root = Rng.fromSeed(options.seed);
  const progress = createProgress('simulate', options.events, { unit: 'events', silent: !options.progress, sink: io.stderr });
  const ids = Array.from({ length: options.events }, (_, i) => options.eventStart + i);
  if (options.format === 'csv') {
    for (const eventId of ids) {
      const { event } = simulateEvent(eventId, config, root.split(eventId));
      await writeTrackMLEvent(options.out, event, { gzip: options.gzip });
      progress.tick();
    }
  } else {
    await writeArrowEvents(
      options.out,
      (function* () {
        for (const eventId of ids) {
          yield simulateEvent(eventId, config, root.split(eventId)).event;
          progress.tick();
        }
      })(),
      { layout: options.layout, producer: simulationProducer(config, options) },
    );
  }
  progress.done();
  io.stdout.write(`wrote ${options.events} event(s) to ${options.out} (${options.format}${options.format === 'arrow' ? `, ${options.layout}` : ''})\n`);
}

/** The simulator, its version and everything that fixes the events: configuration, seed, particle table. */
function simulationProducer(config: SimulationConfig, options: SimulateOptions): EventProducer {
  const { name, version, config: simulation } = describeSimulation(config);
  return { name, version, config: { ...simulation, seed: options.seed, ...(options.particles !== undefined ? { particlesFile: options.particles } : {}) } };
}

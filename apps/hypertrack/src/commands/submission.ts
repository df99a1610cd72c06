import { Command } from 'commander';
import { allocateTable, createProgress, Rng, type SubmissionTable } from '@hypertrack/core';
import { particleIndexOfHits } from '@hypertrack/event';
import { writeTrackMLTable } from '@hypertrack/io-arrow';
import { perturbAssignment } from '@hypertrack/metrics';
import { openEvents } from '@hypertrack/io-arrow';
import type { CliIO } from '../io';
import { integerOption, numberOption } from '../options';

interface SubmissionOptions {
  truth: string;
  out: string;
  events?: string;
  merge: number;
  split: number;
  noiseIntoTracks: number;
  seed: number;
  progress: boolean;
}

export function submissionCommand(io: CliIO): Command {
  const fraction = numberOption(0, 1);
  return new Command('submission')
    .description('write a TrackML submission (event_id,hit_id,track_id) made from the truth, optionally with controlled mistakes, to validate scores')
    .requiredOption('--truth <path>', 'folder of TrackML CSV files or an Arrow store, with truth')
    .requiredOption('--out <file>', 'submission CSV to write (.csv or .csv.gz)')
    .option('--events <ranges>', 'only these events, e.g. 0-9,20')
    .option('--merge <f>', 'fraction of tracks merged in pairs', fraction, 0)
    .option('--split <f>', 'fraction of tracks split in two halves', fraction, 0)
    .option('--noise-into-tracks <f>', 'fraction of noise hits put into random tracks', fraction, 0)
    .option('--seed <s>', 'random seed; event i draws from the stream (seed, i)', integerOption(0), 1)
    .option('--no-progress', 'do not report progress')
    .action(async (options: SubmissionOptions) => {
      const source = await openEvents(options.truth, { events: options.events, eventsKey: '--events' });
      const root = Rng.fromSeed(options.seed);
      const parts: SubmissionTable[] = [];
      const progress = createProgress('submission', source.eventIds.length, { unit: 'events', silent: !options.progress, sink: io.stderr });
      for (const eventId of source.eventIds) {
        const event = await source.load(eventId);
        const trackId = perturbAssignment(particleIndexOfHits(event), { merge: options.merge, split: options.split, noiseIntoTracks: options.noiseIntoTracks }, root.split(eventId));
        const part = allocateTable('submission', trackId.length);
        part.eventId.fill(eventId);
        part.hitId.set(event.hits.hitId);
        part.trackId.set(trackId);
        parts.push(part);
        progress.tick();
      }
      progress.done();
      await writeTrackMLTable('submission', concatSubmissions(parts), options.out);
      io.stdout.write(`wrote a submission for ${parts.length} event(s) to ${options.out}\n`);
    });
}

function concatSubmissions(parts: SubmissionTable[]): SubmissionTable {
  const total = parts.reduce((n, p) => n + p.hitId.length, 0);
  const out = allocateTable('submission', total);
  let at = 0;
  for (const p of parts) {
    out.eventId.set(p.eventId, at);
    out.hitId.set(p.hitId, at);
    out.trackId.set(p.trackId, at);
    at += p.hitId.length;
  }
  return out;
}

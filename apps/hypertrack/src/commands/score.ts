import { Command } from 'commander';
import { createProgress, InputError } from '@hypertrack/core';
import { openEvents, parseEventRanges, readTrackMLTable, selectEvents, truthOf } from '@hypertrack/io-arrow';
import { formatScores, splitByEvent, SubmissionScoring, type EventSubmission } from '@hypertrack/pipeline';
import { RunFolderWriter, type RunInfoFile } from '@hypertrack/report';
import type { CliIO } from '../io';
import { integerOption } from '../options';

interface ScoreOptions {
  truth: string;
  submission: string;
  events?: string;
  logdir?: string;
  noiseTrackId: number;
  progress: boolean;
}

export function scoreCommand(io: CliIO): Command {
  return new Command('score')
    .description('score a TrackML submission (event_id,hit_id,track_id): TrackML score, double-majority score (DMS), efficiency and purity')
    .requiredOption('--truth <path>', 'folder of TrackML CSV files or an Arrow store, with truth')
    .requiredOption('--submission <file>', 'submission CSV in the challenge format (.csv or .csv.gz)')
    .option('--events <ranges>', 'only these events of the submission, e.g. 1000-1099')
    .option('--logdir <dir>', 'also write per-event scores, efficiencies, hit mixing and the results table into this run folder')
    .option('--noise-track-id <id>', 'track id of hits left unassigned (noise): not a cluster for DMS, efficiency and purity', integerOption(-2147483648, 2147483647), 0)
    .option('--no-progress', 'do not report progress')
    .action(async (options: ScoreOptions) => runScore(options, io));
}


async function runScore(options: ScoreOptions, io: CliIO): Promise<void> {
  const byEvent = splitByEvent(await readTrackMLTable('submission', options.submission));
  let eventIds = [...byEvent.keys()].sort((a, b) => a - b);
  if (options.events) eventIds = selectEvents(eventIds, parseEventRanges(options.events, '--events'));
  if (eventIds.length === 0) throw new InputError({ file: options.submission }, options.events ? `no event in ${options.events}` : 'holds no rows');
  const source = await openEvents(options.truth);
  const available = new Set(source.eventIds);
  for (const id of eventIds) if (!available.has(id)) throw new InputError({ file: options.submission }, `event ${id} is not in ${options.truth}`);

  const scoring = new SubmissionScoring(options.noiseTrackId, options.submission);
  const progress = createProgress('score', eventIds.length, { unit: 'events', silent: !options.progress || eventIds.length < 2, sink: io.stderr });
  for (const eventId of eventIds) {
    const event = await source.load(eventId);
    truthOf(event, source);
    scoring.add(event, byEvent.get(eventId) as EventSubmission);
    progress.tick();
  }
  progress.done();
  io.stdout.write(formatScores(scoring.scores));
  if (options.logdir) {
    const info: RunInfoFile = { command: 'hypertrack score', truth: options.truth, submission: options.submission, events: eventIds.length, 'noise track id': options.noiseTrackId };
    const run = new RunFolderWriter(options.logdir);
    await run.info(info);
    await run.scoreEvents(scoring.scores);
    await run.efficiency(scoring.efficiency());
    await run.hitMixing(scoring.hitMixing());
    await run.tracking(scoring.tracking());
    await run.results(scoring.results());
    if (scoring.display) await run.eventDisplay(scoring.display);
  }
}

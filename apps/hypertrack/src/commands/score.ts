import { Command } from 'commander';
import { ConfigError, createProgress, InputError, parseShard, shardSlice } from '@hypertrack/core';
import { openEvents, parseEventRanges, readTrackMLTable, selectEvents, truthOf } from '@hypertrack/io-arrow';
import { formatScores, splitByEvent, SubmissionScoring, writeScoreShard, type EventSubmission, type ScoreRun } from '@hypertrack/pipeline';
import { RunFolderWriter, type RunInfoFile } from '@hypertrack/report';
import type { CliIO } from '../io';
import { integerOption } from '../options';

interface ScoreOptions {
  truth: string; submission: string; events?: string; logdir?: string; noiseTrackId: number; shard?: string; progress: boolean;
}

export function scoreCommand(io: CliIO): Command {
  return new Command('score')
    .description('score a TrackML submission (event_id,hit_id,track_id): TrackML score, double-majority score (DMS), efficiency and purity')
    .requiredOption('--truth <path>', 'folder of TrackML CSV files or an Arrow store, with truth')
    .requiredOption('--submission <file>', 'submission CSV in the challenge format (.csv or .csv.gz)')
    .option('--events <ranges>', 'only these events of the submission, e.g. 1000-1099')
    .option('--logdir <dir>', 'also write per-event scores, efficiencies, hit mixing and the results table into this run folder')
    .option('--noise-track-id <id>', 'track id of hits left unassigned (noise): not a cluster for DMS, efficiency and purity', integerOption(-2147483648, 2147483647), 0)
    .option('--shard <i/n>', 'score shard i of n of the events only, into <logdir>/shard-<i>-of-<n>; `hypertrack merge` makes the run folder of them all')
    .option('--no-progress', 'do not report progress')
    .action(async (options: ScoreOptions) => runScore(options, io));
}


async function runScore(options: ScoreOptions, io: CliIO): Promise<void> {
  const byEvent = splitByEvent(await readTrackMLTable('submission', options.submission));
  let eventIds = [...byEvent.keys()].sort((a, b) => a - b);
  if (options.events) eventIds = selectEvents(eventIds, parseEventRanges(options.events, '--events'));
  if (eventIds.length === 0) throw new InputError({ file: options.submission }, options.events ? `no event in ${options.events}` : 'holds no rows');
  const allEventIds = eventIds;
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  if (shard !== undefined) eventIds = shardSlice(eventIds, shard);
  if (shard !== undefined && options.logdir === undefined) throw new ConfigError('--shard', 'needs --logdir: the shard writes <logdir>/shard-<i>-of-<n>');
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
  const run: ScoreRun = { truth: options.truth, submission: options.submission, events: options.events ?? 'all', noiseTrackId: options.noiseTrackId };
  if (shard !== undefined && options.logdir !== undefined) {
    await writeScoreShard(options.logdir, shard, { ids: eventIds, all: allEventIds }, scoring, run);
    io.stdout.write(`shard ${shard.index}/${shard.count}: ${eventIds.length} events scored; merge the shards with: hypertrack merge ${options.logdir} --out DIR\n`);
  } else await reportScoreRun(scoring, run, io, options.logdir);
}

/** Prints a score run's table and writes its run folder (score, and merge of score shards). */
export async function reportScoreRun(scoring: SubmissionScoring, run: ScoreRun, io: CliIO, logdir: string | undefined): Promise<void> {
  io.stdout.write(formatScores(scoring.scores));
  if (!logdir) return;
  const folder = new RunFolderWriter(logdir);
  await folder.info({ command: 'hypertrack score', truth: run.truth, submission: run.submission, events: scoring.scores.length, 'noise track id': run.noiseTrackId } satisfies RunInfoFile);
  await folder.scoreEvents(scoring.scores);
  await folder.efficiency(scoring.efficiency());
  await folder.hitMixing(scoring.hitMixing());
  await folder.tracking(scoring.tracking());
  await folder.results(scoring.results());
  if (scoring.display) await folder.eventDisplay(scoring.display);
}

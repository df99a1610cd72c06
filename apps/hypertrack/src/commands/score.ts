import { Command } from 'commander';
import { createProgress, InputError } from '@hypertrack/core';
import { openEvents, parseEventRanges, readTrackMLTable, selectEvents, truthOf } from '@hypertrack/io-arrow';
import { formatValueUncertainty, meanStd } from '@hypertrack/metrics';
import { splitByEvent, SubmissionScoring, type EventSubmission, type SubmissionEventScore } from '@hypertrack/pipeline';
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
    await run.results(scoring.results());
  }
}

/** Printed columns: key, header, width, decimals. */
const COLUMNS: Array<[keyof SubmissionEventScore, string, number, number]> = [
  ['hits', 'hits', 8, 0],
  ['tracks', 'tracks', 8, 0],
  ['trackmlScore', 'TrackML', 9, 4],
  ['dms', 'DMS', 9, 4],
  ['efficiency', 'eff', 9, 4],
  ['purity', 'pur', 9, 4],
];

export function formatScores(scores: readonly SubmissionEventScore[]): string {
  const lines = [`${'event'.padEnd(10)}${COLUMNS.map(([, header, width]) => header.padStart(width)).join('')}`];
  for (const s of scores) {
    lines.push(`${String(s.eventId).padEnd(10)}${COLUMNS.map(([key, , width, decimals]) => s[key].toFixed(decimals).padStart(width)).join('')}`);
  }
  const overall = (['trackmlScore', 'dms', 'efficiency', 'purity'] as const).map((k) => {
    const { mean, std } = meanStd(scores.map((s) => s[k]).filter((v) => Number.isFinite(v)));
    return `${k === 'trackmlScore' ? 'TrackML' : k === 'dms' ? 'DMS' : k} ${scores.length > 1 ? formatValueUncertainty(mean, std) : mean.toFixed(4)}`;
  });
  lines.push(`overall (${scores.length} event${scores.length === 1 ? '' : 's'}, mean(std)): ${overall.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

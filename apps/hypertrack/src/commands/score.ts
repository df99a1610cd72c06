import { join } from 'node:path';
import { Command } from 'commander';
import { createProgress, InputError, writeFileAtomic } from '@hypertrack/core';
import { particleIndexOfHits } from '@hypertrack/event';
import { openEvents, parseEventRanges, readTrackMLTable, selectEvents, truthOf } from '@hypertrack/io-arrow';
import {
  denseLabels,
  doubleMajority,
  efficiencyEventOf,
  formatValueUncertainty,
  hitMixing,
  meanStd,
  observableEfficiency,
  summarizeResults,
  trackmlScore,
  type DoubleMajorityResult,
  type EfficiencyEvent,
} from '@hypertrack/metrics';
import { RUN_FILES, toRunJson, type RunInfoFile, type RunScoreEvent } from '@hypertrack/report';
import { clusterLabels, splitByEvent, type EventSubmission } from '../submission-labels';
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

/** One event's scores, as printed and as written to score/events.jsonl (NaN is written as null). */
export type EventScore = { [K in keyof RunScoreEvent]: number };

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

  const scores: EventScore[] = [];
  const majorities: DoubleMajorityResult[] = [];
  const efficiencyEvents: EfficiencyEvent[] = [];
  const progress = createProgress('score', eventIds.length, { unit: 'events', silent: !options.progress || eventIds.length < 2, sink: io.stderr });
  for (const eventId of eventIds) {
    const event = await source.load(eventId);
    const truth = truthOf(event, source);
    const part = byEvent.get(eventId) as EventSubmission;
    const { hitId, trackId } = part;
    let official;
    try {
      official = trackmlScore(truth, { hitId, trackId });
    } catch (error) {
      throw new InputError({ file: options.submission }, `event ${eventId}: ${(error as Error).message}`);
    }
    const dm = doubleMajority(particleIndexOfHits(event), clusterLabels(event, part, options.noiseTrackId, options.submission), truth.weight);
    majorities.push(dm);
    efficiencyEvents.push(efficiencyEventOf(event.particles, dm));
    scores.push({ eventId, hits: hitId.length, tracks: denseLabels(trackId).original.length, trackmlScore: official.score, dms: dm.dms, efficiency: dm.efficiency, purity: dm.purity });
    progress.tick();
  }
  progress.done();
  io.stdout.write(formatScores(scores));
  if (options.logdir) {
    const info: RunInfoFile = { command: 'hypertrack score', truth: options.truth, submission: options.submission, events: eventIds.length, 'noise track id': options.noiseTrackId };
    await writeRunFiles(options.logdir, info, scores, majorities, efficiencyEvents);
  }
}

/** Printed columns: key, header, width, decimals. */
const COLUMNS: Array<[keyof EventScore, string, number, number]> = [
  ['hits', 'hits', 8, 0],
  ['tracks', 'tracks', 8, 0],
  ['trackmlScore', 'TrackML', 9, 4],
  ['dms', 'DMS', 9, 4],
  ['efficiency', 'eff', 9, 4],
  ['purity', 'pur', 9, 4],
];

export function formatScores(scores: EventScore[]): string {
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

async function writeRunFiles(dir: string, info: RunInfoFile, scores: EventScore[], majorities: DoubleMajorityResult[], efficiencyEvents: EfficiencyEvent[]): Promise<void> {
  const results = summarizeResults(
    scores.map((s) => ({ vdTpr: NaN, vdFpr: NaN, gnnTpr: NaN, gnnFpr: NaN, gnnAuc: NaN, gnnAucNoSelf: NaN, dms: s.dms, efficiency: s.efficiency, purity: s.purity, timeVd: NaN, timeGnn: NaN, timeCc: NaN, timeCluster: NaN })),
  );
  await writeFileAtomic(join(dir, RUN_FILES.info), toRunJson(info));
  await writeFileAtomic(join(dir, RUN_FILES.events), scores.map((s) => toRunJson(s, 0)).join('\n') + '\n');
  await writeFileAtomic(join(dir, RUN_FILES.efficiency), toRunJson(observableEfficiency(efficiencyEvents)));
  await writeFileAtomic(join(dir, RUN_FILES.hitMixing), toRunJson(hitMixing(majorities)));
  await writeFileAtomic(join(dir, RUN_FILES.results), toRunJson(results));
}

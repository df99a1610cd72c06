import { InputError, type SubmissionTable, type TrackMLEvent } from '@hypertrack/core';
import { hitPoints, particleIndexOfHits } from '@hypertrack/event';
import {
  doubleMajority,
  efficiencyEventOf,
  hitMixing,
  observableEfficiency,
  summarizeResults,
  sumTrackingPerformance,
  trackingPerformance,
  trackmlScore,
  type DoubleMajorityResult,
  type EfficiencyEvent,
  type EfficiencyReport,
  type HitMixing,
  type ResultsSummary,
  type TrackingPerformance,
} from '@hypertrack/metrics';

/** One event's part of a submission. */
export interface EventSubmission {
  hitId: Int32Array;
  trackId: Int32Array;
}

/** Splits a submission by event id, keeping file order within each event. */
export function splitByEvent(submission: SubmissionTable): Map<number, EventSubmission> {
  const rows = new Map<number, number[]>();
  submission.eventId.forEach((id, row) => {
    let list = rows.get(id);
    if (!list) rows.set(id, (list = []));
    list.push(row);
  });
  const out = new Map<number, EventSubmission>();
  for (const [id, list] of rows) {
    out.set(id, { hitId: Int32Array.from(list, (r) => submission.hitId[r]), trackId: Int32Array.from(list, (r) => submission.trackId[r]) });
  }
  return out;
}

/**
 * Dense cluster label per hit row of `event` from its submission rows; hits in the noise track,
 * and hits the submission leaves out, stay -1 (unassigned), as HyperTrack's own clusterings leave
 * them. A hit the event does not have, or one given twice (in one track or two), is an InputError
 * naming `file`.
 */
export function clusterLabels(event: TrackMLEvent, part: EventSubmission, noiseTrackId: number, file: string): Int32Array {
  const rowOfHit = new Map<number, number>();
  event.hits.hitId.forEach((id, row) => rowOfHit.set(id, row));
  // Every track id is a track, negative ones too (the TrackML score counts them); only the noise id
  // is not. Labels follow the ids' order.
  const distinct = [...new Set(part.trackId)].filter((id) => id !== noiseTrackId).sort((a, b) => a - b);
  const labelOf = new Map(distinct.map((id, label) => [id, label]));
  const out = new Int32Array(event.hits.hitId.length).fill(-1);
  const given = new Uint8Array(out.length);
  for (let k = 0; k < part.hitId.length; k++) {
    const row = rowOfHit.get(part.hitId[k]);
    if (row === undefined) throw new InputError({ file }, `event ${event.eventId}: hit_id ${part.hitId[k]} is not in the event`);
    if (given[row]++ > 0) throw new InputError({ file }, `event ${event.eventId}: hit_id ${part.hitId[k]} appears twice; a hit belongs to one track`);
    if (part.trackId[k] !== noiseTrackId) out[row] = labelOf.get(part.trackId[k]) as number;
  }
  return out;
}

/** The distinct track ids of a submission's event, the noise id left out. */
function countTracks(trackId: Int32Array, noiseTrackId: number): number {
  const distinct = new Set(trackId);
  return distinct.size - (distinct.has(noiseTrackId) ? 1 : 0);
}

/** One event's scores, as `score` prints them and writes to score/events.jsonl (NaN is written as null). */
export interface SubmissionEventScore {
  readonly eventId: number;
  readonly hits: number;
  readonly tracks: number;
  readonly trackmlScore: number;
  readonly dms: number;
  readonly efficiency: number;
  readonly purity: number;
}

/**
 * Scores a TrackML submission against the truth, event by event: the official TrackML score and
 * HyperTrack's double-majority DMS, efficiency and purity (hits of the noise track unassigned),
 * keeping what the run's summary, efficiency per observable and hit mixing need.
 */
/** Everything a SubmissionScoring holds: a shard's part of a score run. */
export interface ScoringState {
  readonly scores: readonly SubmissionEventScore[];
  readonly display: SubmissionScoring['display'];
  readonly majorities: readonly DoubleMajorityResult[];
  readonly efficiencyEvents: readonly EfficiencyEvent[];
  readonly trackingEvents: readonly TrackingPerformance[];
}

export class SubmissionScoring {
  readonly scores: SubmissionEventScore[] = [];
  /** The first event's hits (x, y, z interleaved) with their truth particle: the report's event display. */
  display: { eventId: number; points: Float32Array; labels: Int32Array; colouredBy: string } | null = null;
  private readonly majorities: DoubleMajorityResult[] = [];
  private readonly efficiencyEvents: EfficiencyEvent[] = [];
  private readonly trackingEvents: TrackingPerformance[] = [];

  /** `file` names the submission in errors. */
  constructor(
    private readonly noiseTrackId: number,
    private readonly file: string,
  ) {}

  /** What the scoring holds so far (plain data and typed arrays, for a shard's partial result). */
  state(): ScoringState {
    const { scores, display, majorities, efficiencyEvents, trackingEvents } = this;
    return { scores, display, majorities, efficiencyEvents, trackingEvents };
  }

  /** The scoring of the shards' events together, in shard order: what one process scoring them all holds. */
  static fromStates(noiseTrackId: number, file: string, states: readonly ScoringState[]): SubmissionScoring {
    const merged = new SubmissionScoring(noiseTrackId, file);
    for (const state of states) {
      merged.scores.push(...state.scores);
      merged.display ??= state.display;
      merged.majorities.push(...state.majorities);
      merged.efficiencyEvents.push(...state.efficiencyEvents);
      merged.trackingEvents.push(...state.trackingEvents);
    }
    return merged;
  }

  add(event: TrackMLEvent, part: EventSubmission): SubmissionEventScore {
    const truth = event.truth;
    if (truth === undefined) throw new InputError({ file: this.file }, `event ${event.eventId} has no truth to score against`);
    let official;
    try {
      official = trackmlScore(truth, { hitId: part.hitId, trackId: part.trackId });
    } catch (error) {
      throw new InputError({ file: this.file }, `event ${event.eventId}: ${(error as Error).message}`);
    }
    const truthLabel = particleIndexOfHits(event);
    this.display ??= { eventId: event.eventId, points: hitPoints(event.hits), labels: truthLabel, colouredBy: 'truth particle' };
    const match = doubleMajority(truthLabel, clusterLabels(event, part, this.noiseTrackId, this.file), truth.weight);
    this.majorities.push(match);
    this.efficiencyEvents.push(efficiencyEventOf(event.particles, match));
    this.trackingEvents.push(trackingPerformance({ truthLabel, match, particles: event.particles, volumeId: event.hits.volumeId }));
    const score = { eventId: event.eventId, hits: part.hitId.length, tracks: countTracks(part.trackId, this.noiseTrackId), trackmlScore: official.score, dms: match.dms, efficiency: match.efficiency, purity: match.purity };
    this.scores.push(score);
    return score;
  }

  /** The results row's DMS, efficiency and purity over the events (every event counts). */
  results(): ResultsSummary {
    return summarizeResults(
      this.scores.map((s) => ({ vdTpr: NaN, vdFpr: NaN, gnnTpr: NaN, gnnFpr: NaN, gnnAuc: NaN, gnnAucNoSelf: NaN, dms: s.dms, efficiency: s.efficiency, purity: s.purity, timeVd: NaN, timeGnn: NaN, timeCc: NaN, timeCluster: NaN })),
    );
  }

  efficiency(): EfficiencyReport {
    return observableEfficiency(this.efficiencyEvents);
  }

  /** Efficiency for target particles and per detector region, fake and duplicate rates, over every event. */
  tracking(): TrackingPerformance {
    return sumTrackingPerformance(this.trackingEvents);
  }

  hitMixing(): HitMixing {
    return hitMixing(this.majorities);
  }
}

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type Shard } from '@hypertrack/core';
import type { ReconstructionConfig } from '../config';
import { RunEvaluation, type EvaluationState } from '../evaluation';
import { SubmissionScoring, type ScoringState } from '../submission';
import { shardFolder, writePartial, type PartialManifest, type ShardResult } from './partial';
import { decodeState, encodeState } from './state-json';

/** What an inference run was: its inputs and settings, the same in every shard of it. */
export interface InferRun {
  readonly input: string;
  readonly events: string;
  readonly vdModel: string;
  readonly node2node: string;
  readonly ncell: number;
  /** The GNN checkpoint, or null for the graph constructor alone (`--pre-only`). */
  readonly gnn: string | null;
  readonly transformer: string | null;
  readonly config: ReconstructionConfig;
}

export const EVALUATION_FILE = 'evaluation.json';

/** Writes one inference shard: its evaluation's whole state beside the manifest, under `<out>/shard-<i>-of-<n>`. */
export function writeInferShard(out: string, shard: Shard, events: { readonly ids: readonly number[]; readonly all: readonly number[] }, evaluation: RunEvaluation, run: InferRun): Promise<PartialManifest> {
  const [eventIds, allEventIds] = [events.ids, events.all];
  return writePartial(shardFolder(out, shard), { kind: 'infer', shard, eventIds, allEventIds, config: { ...run } }, (temporary) => writeFile(join(temporary, EVALUATION_FILE), encodeState(evaluation.state())));
}

/** The evaluation of all the shards' events, as one process that ran them in order would hold it. */
export async function mergeInferShards(partials: readonly ShardResult[]): Promise<{ evaluation: RunEvaluation; run: InferRun }> {
  const run = partials[0].manifest.config as unknown as InferRun;
  const states = await readStates<EvaluationState>(partials);
  return { evaluation: RunEvaluation.fromStates(run.config, states), run };
}

/** What a score run was: the same in every shard of it. */
export interface ScoreRun {
  readonly truth: string;
  readonly submission: string;
  readonly events: string;
  readonly noiseTrackId: number;
}

/** Writes one score shard: its scoring's whole state beside the manifest, under `<out>/shard-<i>-of-<n>`. */
export function writeScoreShard(out: string, shard: Shard, events: { readonly ids: readonly number[]; readonly all: readonly number[] }, scoring: SubmissionScoring, run: ScoreRun): Promise<PartialManifest> {
  return writePartial(shardFolder(out, shard), { kind: 'score', shard, eventIds: events.ids, allEventIds: events.all, config: { ...run } }, (temporary) => writeFile(join(temporary, EVALUATION_FILE), encodeState(scoring.state())));
}

/** The scoring of all the shards' events, as one process that scored them in order would hold it. */
export async function mergeScoreShards(partials: readonly ShardResult[]): Promise<{ scoring: SubmissionScoring; run: ScoreRun }> {
  const run = partials[0].manifest.config as unknown as ScoreRun;
  const states = await readStates<ScoringState>(partials);
  return { scoring: SubmissionScoring.fromStates(run.noiseTrackId, run.submission, states), run };
}

async function readStates<T>(partials: readonly ShardResult[]): Promise<T[]> {
  const states: T[] = [];
  for (const partial of partials) {
    const file = join(partial.folder, EVALUATION_FILE);
    try {
      states.push(decodeState(await readFile(file, 'utf8')) as T);
    } catch (error) {
      throw new InputError({ file }, (error as Error).message);
    }
  }
  return states;
}

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type Shard } from '@hypertrack/core';
import type { ReconstructionConfig } from '../config';
import { RunEvaluation, type EvaluationState } from '../evaluation';
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
  const states: EvaluationState[] = [];
  for (const partial of partials) {
    const file = join(partial.folder, EVALUATION_FILE);
    try {
      states.push(decodeState(await readFile(file, 'utf8')) as EvaluationState);
    } catch (error) {
      throw new InputError({ file }, (error as Error).message);
    }
  }
  return { evaluation: RunEvaluation.fromStates(run.config, states), run };
}

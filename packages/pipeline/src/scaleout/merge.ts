import { join } from 'node:path';
import { loadModel, mergeVoxdynModels, saveModel, type VoxdynModel } from '@hypertrack/voxdyn';
import type { RunEvaluation } from '../evaluation';
import type { SubmissionScoring } from '../submission';
import { mergeInferShards, mergeScoreShards, type InferRun, type ScoreRun } from './run-shards';
import { partialFolders, readPartials, type PartialManifest } from './partial';

export interface MergedVoxdyn {
  readonly kind: 'pretrain-voxdyn';
  readonly manifest: PartialManifest;
  readonly shards: number;
  readonly models: ReadonlyArray<{ readonly path: string; readonly model: VoxdynModel }>;
}

export interface MergedInfer {
  readonly kind: 'infer';
  readonly manifest: PartialManifest;
  readonly shards: number;
  readonly evaluation: RunEvaluation;
  readonly run: InferRun;
}

export interface MergedScore {
  readonly kind: 'score';
  readonly manifest: PartialManifest;
  readonly shards: number;
  readonly scoring: SubmissionScoring;
  readonly run: ScoreRun;
}

export type MergeResult = MergedVoxdyn | MergedInfer | MergedScore;

/**
 * Combines the shards of one job (their folders, or folders holding `shard-<i>-of-<n>` ones) into
 * `out`, as one process would have written it: for pretrain-voxdyn, the model files with the
 * C-matrices summed (byte-identical to the single-process file); for infer and score, the
 * evaluation of all the events (the caller writes its run folder, as infer and score do). Shards of other settings, of
 * overlapping events or missing ones are refused, naming them.
 */
export async function mergePartials(paths: readonly string[], out: string): Promise<MergeResult> {
  const partials = await readPartials(await partialFolders(paths));
  const { manifest } = partials[0];
  if (manifest.kind === 'infer') return { kind: 'infer', manifest, shards: partials.length, ...(await mergeInferShards(partials)) };
  if (manifest.kind === 'score') return { kind: 'score', manifest, shards: partials.length, ...(await mergeScoreShards(partials)) };
  const models = [];
  for (const name of manifest.files.filter((file) => file.endsWith('.vdm'))) {
    const shards = [];
    for (const partial of partials) shards.push({ model: await loadModel(join(partial.folder, name)), source: join(partial.folder, name) });
    const model = mergeVoxdynModels(shards);
    await saveModel(join(out, name), model);
    models.push({ path: join(out, name), model });
  }
  return { kind: 'pretrain-voxdyn', manifest, shards: partials.length, models };
}

import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '@hypertrack/core';
import { checkpointMeta, latentLossFile } from '@hypertrack/gnn';
import { loadStateDict } from '@hypertrack/nn';
import { STransformer, transformerClusterer, type PivotSearchConfig, type TransformerClusterer } from '@hypertrack/transformer';
import { TRANSFORMER_PREFIX, type TransformerLossOptions } from './transformer-phase';

/** A trained transformer, ready for `--cluster transformer`. */
export interface LoadedTransformer {
  readonly model: STransformer;
  /** The pivot search it was trained with. */
  readonly search: PivotSearchConfig;
  /** The checkpoint folder and its step. */
  readonly path: string;
  readonly step: number;
}

/**
 * The transformer of a training checkpoint (a step folder, or a folder of them: the newest), in
 * evaluation mode. A checkpoint from before the AUC switch, or of a `--cluster none` run, has none:
 * an InputError says so.
 */
export async function loadTransformer(path: string): Promise<LoadedTransformer> {
  // The GNN's own reader: the folder or its newest step, trainer.json's format and version checked.
  const { folder, meta } = await checkpointMeta(path);
  const metaFile = join(folder, 'trainer.json');
  const latent = meta.latentLoss;
  if (latent === undefined || latent.spec.name !== 'transformer') {
    throw new InputError({ file: metaFile }, `step ${meta.step} holds no transformer: it was trained with --cluster none, or before the edge AUC reached --auc-threshold`);
  }
  const options = latent.spec.options as TransformerLossOptions;
  const model = new STransformer(options.model, 0);
  const file = join(folder, latentLossFile(latent.spec));
  const state = await loadStateDict(file);
  try {
    const own = new Map<string, tf.Tensor>();
    for (const [name, tensor] of state) if (name.startsWith(TRANSFORMER_PREFIX)) own.set(name.slice(TRANSFORMER_PREFIX.length), tensor);
    model.loadStateDict(own);
  } catch (error) {
    model.dispose();
    throw new InputError({ file }, (error as Error).message);
  } finally {
    tf.dispose([...state.values()]);
  }
  model.eval();
  return { model, search: options.search, path: folder, step: meta.step };
}

/** `--cluster transformer` with a loaded transformer and the pivot search it was trained with. */
export function transformerStage(loaded: LoadedTransformer): TransformerClusterer {
  const base = transformerClusterer(loaded.model);
  return { ...base, cluster: (graph, options) => base.cluster(graph, { ...options, search: { ...loaded.search, ...options?.search } }) };
}

import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ConfigError, shardSlice, type EventStream, type ProgressSink, type Shard } from '@hypertrack/core';
import { openEvents } from '@hypertrack/io-arrow';
import { loadModel, modelCells, saveModel, voxdynCells, voxdynCounts, type Node2Node, type TrainingEvent, type VoxdynCells, type VoxdynModel } from '@hypertrack/voxdyn';
import { voxdynTrainingEvents } from '../voxdyn-events';
import { shardFolder, writePartial, type PartialManifest } from './partial';

export interface PretrainVoxdynOptions {
  /** Folder of TrackML CSV files or an Arrow store, with truth. */
  readonly input: string;
  /** The C-matrix's events as ranges (default: all). */
  readonly events?: string;
  /** k-means's events as ranges (default: the C-matrix's). */
  readonly kmeansEvents?: string;
  /** A model file whose cells to count over instead of running k-means (what every shard needs). */
  readonly centroids?: string;
  readonly node2node: Node2Node;
  /** Cell counts, one model each (default 65,536; ignored with `centroids`, which fixes the cells). */
  readonly ncells?: readonly number[];
  readonly niter: number;
  readonly seed: number;
  readonly maxKmeansPoints?: number;
  /** Count this shard's slice of the events only, into `<out>/shard-<i>-of-<n>` with a manifest. */
  readonly shard?: Shard;
  readonly out: string;
  readonly progress?: ProgressSink;
}

export interface PretrainedModel {
  /** Where the model was written (inside the shard's folder for a shard). */
  readonly path: string;
  readonly model: VoxdynModel;
  readonly seconds: number;
}

/** File name of a model, as the original names its pickles. */
export function voxdynModelName(node2node: Node2Node, ncell: number): string {
  return `voxdyn_node2node_${node2node}_ncell_${ncell}.vdm`;
}

/**
 * Voxel-Dynamics pretraining as `pretrain-voxdyn` runs it: k-means (or the cells of `centroids`),
 * then the C-matrix over the events, one model per cell count. With `shard` only the shard's slice
 * of the events is counted, into a partial folder that `mergePartials` sums with the others into
 * the model one process gives (reference: the C-matrix wants thousands of events; k-means does not).
 */
export async function pretrainVoxdyn(options: PretrainVoxdynOptions): Promise<{ models: PretrainedModel[]; partial: PartialManifest | null }> {
  const { shard } = options;
  if (shard !== undefined && options.centroids === undefined) {
    throw new ConfigError('--shard', 'needs --centroids MODEL: every shard must count over the same k-means cells (run pretrain-voxdyn once on the k-means events, then give its model)');
  }
  const source = await openEvents(options.input, { events: options.events, eventsKey: '--events' });
  const allEventIds = [...source.eventIds];
  const ids = shard === undefined ? allEventIds : shardSlice(allEventIds, shard);
  const events = await voxdynTrainingEvents(subStream(source, ids), options.input, options.progress);
  const cellsList = await cellsToCount(options, events);
  const models: Array<{ name: string; model: VoxdynModel; seconds: number }> = [];
  for (const cells of cellsList) {
    const started = performance.now();
    const model = voxdynCounts(await cells(), events, options.node2node);
    models.push({ name: voxdynModelName(options.node2node, model.ncell), model, seconds: (performance.now() - started) / 1000 });
  }
  if (shard === undefined) {
    for (const { name, model } of models) await saveModel(join(options.out, name), model);
    return { models: models.map(({ name, model, seconds }) => ({ path: join(options.out, name), model, seconds })), partial: null };
  }
  const folder = shardFolder(options.out, shard);
  const cells = models[0].model;
  const config = {
    input: resolve(options.input),
    events: options.events ?? 'all',
    node2node: options.node2node,
    ncell: cells.ncell,
    cells: createHash('sha256').update(new Uint8Array(cells.centroids.buffer, cells.centroids.byteOffset, cells.centroids.byteLength)).digest('hex').slice(0, 16),
  };
  const partial = await writePartial(folder, { kind: 'pretrain-voxdyn', shard, eventIds: ids, allEventIds, config }, async (temporary) => {
    for (const { name, model } of models) await saveModel(join(temporary, name), model);
  });
  return { models: models.map(({ name, model, seconds }) => ({ path: join(folder, name), model, seconds })), partial };
}

/** The cells of each model to count, computed when asked (k-means is the long part). */
async function cellsToCount(options: PretrainVoxdynOptions, events: readonly TrainingEvent[]): Promise<Array<() => Promise<VoxdynCells>>> {
  if (options.centroids !== undefined) {
    const cells = modelCells(await loadModel(options.centroids));
    const other = options.ncells?.find((ncell) => ncell !== cells.ncell);
    if (other !== undefined) throw new ConfigError('--ncell', `${other} differs from the ${cells.ncell} cells of --centroids ${options.centroids}, which fixes them; leave --ncell out`);
    return [async () => cells];
  }
  const kmeansEvents =
    options.kmeansEvents === undefined ? events : await voxdynTrainingEvents(await openEvents(options.input, { events: options.kmeansEvents, eventsKey: '--kmeans-events' }), options.input, options.progress);
  const points = kmeansEvents.reduce((sum, e) => sum + e.points.length / 3, 0);
  const given = options.ncells !== undefined;
  return (options.ncells ?? [65536]).map((ncell) => {
    // k-means needs a hit per cell at least; the C-matrix wants many more (the original uses 2,400 events).
    if (ncell > points) {
      throw new ConfigError(
        '--ncell',
        `${ncell} cells${given ? '' : ' (the default)'} need at least ${ncell} hits, but the ${kmeansEvents.length} k-means event(s) have ${points}: lower --ncell (e.g. ${2 ** Math.max(4, Math.floor(Math.log2(points / 20)))}) or train on more events`,
      );
    }
    return () =>
      voxdynCells(kmeansEvents, { ncell, dim: 3, niter: options.niter, seed: options.seed, maxKmeansPoints: options.maxKmeansPoints, progress: { silent: options.progress === undefined, sink: options.progress } });
  });
}

function subStream(source: EventStream, ids: readonly number[]): EventStream {
  return { eventIds: ids, load: (id) => source.load(id) };
}

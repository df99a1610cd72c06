import { ConfigError, Rng, type ProgressOptions, type Seed } from '@hypertrack/core';
import { CMatrixAccumulator } from '../cmatrix/accumulator';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import { kmeans } from '../kmeans/kmeans';
import type { VoxdynModel } from '../model';
import { idRanges, type IdRange } from './event-ids';
import { checkMembership, pointCount } from '../points';
import { checkNode2Node, type Node2Node } from '../topology/topology';

/** One training event: its points and their track membership (-1 for noise). */
export interface TrainingEvent {
  readonly points: Float32Array;
  readonly membership: Int32Array;
  /** The event's id; when every event has one, the model records them (stats.trainingEvents). */
  readonly id?: number;
}

export interface TrainOptions {
  readonly ncell: number;
  readonly dim: number;
  readonly node2node: Node2Node;
  readonly niter?: number;
  readonly seed?: Seed;
  readonly threads?: number;
  /** Cap on k-means points, drawn uniformly from all track points (default: all of them). */
  readonly maxKmeansPoints?: number;
  readonly progress?: ProgressOptions;
}

/** The Voronoi cells of a model and how k-means found them: what every shard of a C-matrix shares. */
export interface VoxdynCells {
  readonly ncell: number;
  readonly dim: number;
  readonly centroids: Float32Array;
  readonly kmeansPoints: number;
  readonly niter: number;
  readonly meanSquaredDistance: number;
  readonly seed: number | string;
  /** The events k-means ran on, when each had an id. */
  readonly kmeansEvents?: IdRange[];
}

/**
 * Trains a model on in-memory events: k-means over the track points (noise excluded) of
 * `kmeansEvents` (default: the same events), then the C-matrix over `events`. The two halves are
 * `voxdynCells` and `voxdynCounts`; run apart (k-means once, the C-matrix over shards of the events,
 * `mergeVoxdynModels` over the shards' models) they give this function's model exactly.
 */
export async function trainVoxdyn(events: readonly TrainingEvent[], options: TrainOptions & { readonly kmeansEvents?: readonly TrainingEvent[] }): Promise<VoxdynModel> {
  const cells = await voxdynCells(options.kmeansEvents ?? events, options);
  return voxdynCounts(cells, events, options.node2node);
}

/** k-means over the events' track points (noise excluded), uniformly sampled down to `maxKmeansPoints`. */
export async function voxdynCells(events: readonly TrainingEvent[], options: Omit<TrainOptions, 'node2node'>): Promise<VoxdynCells> {
  const { ncell, dim } = options;
  const seed = options.seed ?? 1234;
  let total = 0;
  for (const e of events) {
    const n = pointCount(e.points, dim);
    checkMembership(e.membership, n);
    for (let i = 0; i < n; i++) if (e.membership[i] >= 0) total++;
  }
  const cap = options.maxKmeansPoints ?? total;
  if (!Number.isInteger(cap) || cap < 1) throw new ConfigError('maxKmeansPoints', `must be an integer >= 1, got ${cap}`);
  const take = Math.min(total, cap);
  // Keep-flags over the concatenated track points pick a uniform sample without reordering it.
  const keep = new Uint8Array(total);
  if (take === total) keep.fill(1);
  else for (const i of Rng.fromSeed(seed).split('sample').choiceWithoutReplacement(total, take)) keep[i] = 1;
  const sample = new Float32Array(take * dim);
  let t = 0;
  let s = 0;
  for (const e of events) {
    for (let i = 0; i < e.membership.length; i++) {
      if (e.membership[i] < 0) continue;
      if (keep[t++]) sample.set(e.points.subarray(i * dim, (i + 1) * dim), dim * s++);
    }
  }
  const niter = options.niter ?? 20;
  const km = await kmeans(sample, dim, { k: ncell, niter, seed, threads: options.threads, progress: options.progress });
  return {
    ncell,
    dim,
    centroids: km.centroids,
    kmeansPoints: take,
    niter,
    meanSquaredDistance: km.inertia / take,
    seed,
    ...(eventIds(events) === null ? {} : { kmeansEvents: idRanges(eventIds(events) as number[]) }),
  };
}

/** The C-matrix of `events` over given cells, as a model (a shard's, or the whole one). */
export function voxdynCounts(cells: VoxdynCells, events: readonly TrainingEvent[], mode: Node2Node): VoxdynModel {
  const node2node = checkNode2Node(mode);
  const { ncell, dim } = cells;
  const index = NearestCentroidIndex.build(cells.centroids, dim);
  const acc = new CMatrixAccumulator(ncell);
  for (const e of events) acc.addEvent(node2node, e.points, dim, e.membership, index.assign(e.points));
  const ids = eventIds(events);
  return {
    ncell,
    dim,
    node2node,
    centroids: cells.centroids,
    cmatrix: acc.finish(),
    stats: {
      events: acc.events,
      tracks: acc.tracks,
      points: acc.points,
      kmeansPoints: cells.kmeansPoints,
      niter: cells.niter,
      meanSquaredDistance: cells.meanSquaredDistance,
      seed: cells.seed,
      ...(ids === null || events.length === 0 ? {} : { trainingEvents: idRanges(ids) }),
      ...(cells.kmeansEvents === undefined ? {} : { kmeansEvents: cells.kmeansEvents }),
    },
  };
}

/** The cells of a trained model, to count another C-matrix over them. */
export function modelCells(model: VoxdynModel): VoxdynCells {
  const { ncell, dim, centroids, stats } = model;
  const kmeansEvents = stats.kmeansEvents ?? stats.trainingEvents;
  return { ncell, dim, centroids, kmeansPoints: stats.kmeansPoints, niter: stats.niter, meanSquaredDistance: stats.meanSquaredDistance, seed: stats.seed, ...(kmeansEvents === undefined ? {} : { kmeansEvents: [...kmeansEvents] }) };
}

function eventIds(events: readonly TrainingEvent[]): number[] | null {
  return events.every((e) => e.id !== undefined) ? events.map((e) => e.id as number) : null;
}

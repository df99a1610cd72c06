import { ConfigError, Rng, type ProgressOptions, type Seed } from '@hypertrack/core';
import { CMatrixAccumulator } from '../cmatrix/accumulator';
import { NearestCentroidIndex } from '../index/nearest-centroid-index';
import { kmeans } from '../kmeans/kmeans';
import type { VoxdynModel } from '../model';
import { idRanges } from './event-ids';
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

/**
 * Trains a model on in-memory events: k-means over their track points (noise excluded), then the
 * C-matrix over the same events. For more events than fit in memory, run `kmeans` on a sample and
 * feed a `CMatrixAccumulator` event by event, as this function does.
 */
export async function trainVoxdyn(events: readonly TrainingEvent[], options: TrainOptions): Promise<VoxdynModel> {
  const { ncell, dim } = options;
  const node2node = checkNode2Node(options.node2node);
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
  const index = NearestCentroidIndex.build(km.centroids, dim);
  const acc = new CMatrixAccumulator(ncell);
  for (const e of events) acc.addEvent(node2node, e.points, dim, e.membership, index.assign(e.points));
  return {
    ncell,
    dim,
    node2node,
    centroids: km.centroids,
    cmatrix: acc.finish(),
    stats: {
      events: acc.events,
      tracks: acc.tracks,
      points: acc.points,
      kmeansPoints: take,
      niter,
      meanSquaredDistance: km.inertia / take,
      seed,
      ...(events.length > 0 && events.every((e) => e.id !== undefined) ? { trainingEvents: idRanges(events.map((e) => e.id as number)) } : {}),
    },
  };
}

import { HyperTrackError, InputError } from '@hypertrack/core';
import type { CMatrix } from '../cmatrix/cmatrix';
import type { VoxdynModel } from '../model';
import { formatIdRanges, idRanges, type IdRange } from './event-ids';

/** A model and where it came from (a shard's file), to name it in errors. */
export interface NamedModel {
  readonly model: VoxdynModel;
  readonly source: string;
}

/**
 * The model of all the shards' events together: the C-matrices of models counted over the same
 * cells (voxdynCounts over modelCells of one k-means) summed entry by entry, and their event counts
 * added. It equals, byte for byte once saved, the model trainVoxdyn gives for the union of the
 * events with the same k-means, whatever the split. Shards over other cells, or sharing an event,
 * are refused, naming them.
 */
export function mergeVoxdynModels(shards: readonly NamedModel[]): VoxdynModel {
  if (shards.length === 0) throw new HyperTrackError('no Voxel-Dynamics models to merge');
  const first = shards[0];
  const seen: Array<{ source: string; ids: Set<number> }> = [];
  for (const shard of shards) {
    const difference = cellsDifference(first.model, shard.model);
    if (difference !== null) throw new InputError({ file: shard.source }, `${difference} differ from ${first.source}'s: the shards were not counted over the same k-means cells`);
    const ranges = shard.model.stats.trainingEvents;
    if (ranges === undefined) throw new InputError({ file: shard.source }, 'the model does not record its events (stats.trainingEvents), so a merge cannot check that shards do not overlap');
    const ids = new Set(expand(ranges));
    for (const other of seen) {
      const shared = [...ids].filter((id) => other.ids.has(id));
      if (shared.length > 0) throw new InputError({ file: shard.source }, `shares events ${formatIdRanges(idRanges(shared))} with ${other.source}`);
    }
    seen.push({ source: shard.source, ids });
  }
  let cmatrix = first.model.cmatrix;
  for (const shard of shards.slice(1)) cmatrix = addCMatrices(cmatrix, shard.model.cmatrix);
  const sum = (key: 'events' | 'tracks' | 'points') => shards.reduce((total, shard) => total + shard.model.stats[key], 0);
  const { stats } = first.model;
  const events = seen.flatMap((shard) => [...shard.ids]);
  return {
    ncell: first.model.ncell,
    dim: first.model.dim,
    node2node: first.model.node2node,
    centroids: first.model.centroids,
    cmatrix,
    // The key order of voxdynCounts, so that the saved file is the same bytes.
    stats: {
      events: sum('events'),
      tracks: sum('tracks'),
      points: sum('points'),
      kmeansPoints: stats.kmeansPoints,
      niter: stats.niter,
      meanSquaredDistance: stats.meanSquaredDistance,
      seed: stats.seed,
      ...(events.length === 0 ? {} : { trainingEvents: idRanges(events) }),
      ...(stats.kmeansEvents === undefined ? {} : { kmeansEvents: stats.kmeansEvents }),
    },
  };
}

/** What differs between the cells of two models (null when they are the same cells). */
function cellsDifference(a: VoxdynModel, b: VoxdynModel): string | null {
  if (a.ncell !== b.ncell || a.dim !== b.dim) return `ncell ${b.ncell} and dim ${b.dim}`;
  if (a.node2node !== b.node2node) return `node2node ${b.node2node}`;
  const x = new Uint32Array(a.centroids.buffer, a.centroids.byteOffset, a.centroids.length);
  const y = new Uint32Array(b.centroids.buffer, b.centroids.byteOffset, b.centroids.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return `the centroids (cell ${Math.floor(i / a.dim)})`;
  const sa = a.stats;
  const sb = b.stats;
  if (sa.kmeansPoints !== sb.kmeansPoints || sa.niter !== sb.niter || sa.meanSquaredDistance !== sb.meanSquaredDistance || sa.seed !== sb.seed) return 'the k-means statistics';
  if (JSON.stringify(sa.kmeansEvents) !== JSON.stringify(sb.kmeansEvents)) return 'the k-means events';
  return null;
}

function expand(ranges: ReadonlyArray<IdRange>): number[] {
  const out: number[] = [];
  for (const [first, last] of ranges) for (let id = first; id <= last; id++) out.push(id);
  return out;
}

/** Entry-wise sum of two C-matrices over the same cells, rows merged in ascending column order. */
export function addCMatrices(a: CMatrix, b: CMatrix): CMatrix {
  const n = a.ncell;
  const indptr = new Int32Array(n + 1);
  const indices = new Int32Array(a.indices.length + b.indices.length);
  const counts = new Uint32Array(indices.length);
  let p = 0;
  for (let u = 0; u < n; u++) {
    let i = a.indptr[u];
    let j = b.indptr[u];
    const iEnd = a.indptr[u + 1];
    const jEnd = b.indptr[u + 1];
    while (i < iEnd || j < jEnd) {
      const va = i < iEnd ? a.indices[i] : Infinity;
      const vb = j < jEnd ? b.indices[j] : Infinity;
      if (va === vb) {
        const total = a.counts[i++] + b.counts[j++];
        if (total > 0xffffffff) throw new HyperTrackError(`C-matrix entry (${u}, ${va}) passes 2^32 - 1 tracks`);
        indices[p] = va;
        counts[p++] = total;
      } else if (va < vb) {
        indices[p] = va;
        counts[p++] = a.counts[i++];
      } else {
        indices[p] = vb;
        counts[p++] = b.counts[j++];
      }
    }
    indptr[u + 1] = p;
  }
  return { ncell: n, indptr, indices: indices.slice(0, p), counts: counts.slice(0, p) };
}

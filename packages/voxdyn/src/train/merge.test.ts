import { Rng, shardSlice } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { encodeModel } from '../io/model-file';
import { addCMatrices, mergeVoxdynModels } from './merge';
import { modelCells, trainVoxdyn, voxdynCells, voxdynCounts, type TrainingEvent } from './train';

function event(id: number): TrainingEvent {
  const { event: e, hitParticle } = simulateEvent(id, defaultSimulationConfig({ pileup: 5 }), Rng.fromSeed(40).split(id));
  const { x, y, z } = e.hits;
  const points = new Float32Array(3 * x.length);
  for (let i = 0; i < x.length; i++) points.set([x[i], y[i], z[i]], 3 * i);
  return { points, membership: hitParticle, id };
}

const events = Array.from({ length: 9 }, (_, i) => event(10 + i));
const options = { ncell: 256, dim: 3, node2node: 'hyper' as const, niter: 4, seed: 3 };

describe('a C-matrix counted in shards and merged', () => {
  it('is the single-process model byte for byte, for every number of shards (k-means on a subset)', async () => {
    const kmeansEvents = events.slice(0, 3);
    const whole = encodeModel(await trainVoxdyn(events, { ...options, kmeansEvents }));
    // The sharded flow: k-means once (an ordinary model of the k-means events), its cells reused.
    const cells = modelCells(await trainVoxdyn(kmeansEvents, options));
    for (const count of [1, 2, 4, 9]) {
      const shards = Array.from({ length: count }, (_, index) => voxdynCounts(cells, shardSlice(events, { index, count }), 'hyper'));
      // Merged in any order: the sum does not depend on it.
      const merged = mergeVoxdynModels(shards.reverse().map((model, k) => ({ model, source: `shard-${k}.vdm` })));
      expect(Buffer.from(encodeModel(merged)).equals(Buffer.from(whole))).toBe(true);
    }
    expect((await voxdynCells(kmeansEvents, options)).kmeansEvents).toEqual([[10, 12]]);
  });

  it('refuses shards that share an event or were counted over other cells, naming them', async () => {
    const cells = await voxdynCells(events.slice(0, 2), options);
    const a = voxdynCounts(cells, events.slice(0, 4), 'hyper');
    const b = voxdynCounts(cells, events.slice(3, 6), 'hyper');
    expect(() => mergeVoxdynModels([{ model: a, source: 'a.vdm' }, { model: b, source: 'b.vdm' }])).toThrow('b.vdm: shares events 13 with a.vdm');
    const otherCells = await voxdynCells(events.slice(0, 2), { ...options, seed: 4 });
    const c = voxdynCounts(otherCells, events.slice(6, 8), 'hyper');
    expect(() => mergeVoxdynModels([{ model: a, source: 'a.vdm' }, { model: c, source: 'c.vdm' }])).toThrow(/^c\.vdm: the centroids \(cell \d+\) differ from a\.vdm's: the shards were not counted over the same k-means cells$/);
  });

  it('adds C-matrices entry by entry (worked by hand)', () => {
    // Row 0: {1: 2} + {0: 1, 1: 3} = {0: 1, 1: 5}; row 1: {} + {2: 4}; row 2: {0: 7} + {}.
    const a = { ncell: 3, indptr: Int32Array.from([0, 1, 1, 2]), indices: Int32Array.from([1, 0]), counts: Uint32Array.from([2, 7]) };
    const b = { ncell: 3, indptr: Int32Array.from([0, 2, 3, 3]), indices: Int32Array.from([0, 1, 2]), counts: Uint32Array.from([1, 3, 4]) };
    const sum = addCMatrices(a, b);
    expect([...sum.indptr]).toEqual([0, 2, 3, 4]);
    expect([...sum.indices]).toEqual([0, 1, 2, 0]);
    expect([...sum.counts]).toEqual([1, 5, 4, 7]);
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { writeTrackMLEvent } from '@hypertrack/io-arrow';
import { mergePartials } from './merge';
import { pretrainVoxdyn, voxdynModelName } from './pretrain-voxdyn';

let dir: string;
let input: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hypertrack-shards-'));
  input = join(dir, 'events');
  const simulation = defaultSimulationConfig({ pileup: 4 });
  for (let id = 0; id < 7; id++) await writeTrackMLEvent(input, simulateEvent(id, simulation, Rng.fromSeed(21).split(id)).event);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { node2node: 'hyper' as const, ncells: [128], niter: 3, seed: 5 };
const name = voxdynModelName('hyper', 128);

it('three shards of the C-matrix, merged, give the single-process model file byte for byte', async () => {
  // One process: k-means on events 0-1, the C-matrix over 0-6.
  await pretrainVoxdyn({ ...base, input, events: '0-6', kmeansEvents: '0-1', out: join(dir, 'single') });
  // Sharded: k-means once, then each shard counts its slice over those cells.
  await pretrainVoxdyn({ ...base, input, events: '0-1', out: join(dir, 'kmeans') });
  const shards = join(dir, 'shards');
  const parts = [];
  for (let index = 0; index < 3; index++) {
    parts.push(await pretrainVoxdyn({ ...base, input, events: '0-6', centroids: join(dir, 'kmeans', name), shard: { index, count: 3 }, out: shards }));
  }
  expect(parts.map((p) => p.partial?.eventIds)).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
  expect(readdirSync(shards).sort()).toEqual(['shard-0-of-3', 'shard-1-of-3', 'shard-2-of-3']);
  expect(readdirSync(join(shards, 'shard-1-of-3')).sort()).toEqual(['partial.json', name]);
  const merged = await mergePartials([shards], join(dir, 'merged'));
  expect(merged.shards).toBe(3);
  expect(readFileSync(join(dir, 'merged', name)).equals(readFileSync(join(dir, 'single', name)))).toBe(true);
});

it('refuses a shard without shared cells, a missing shard and shards of other settings, naming them', async () => {
  await expect(pretrainVoxdyn({ ...base, input, events: '0-6', shard: { index: 0, count: 2 }, out: join(dir, 'x') })).rejects.toThrow(ConfigError);
  await expect(pretrainVoxdyn({ ...base, ncells: [64], input, centroids: join(dir, 'kmeans', name), out: join(dir, 'x') })).rejects.toThrow(/^--ncell: 64 differs from the 128 cells of --centroids .*, which fixes them; leave --ncell out$/);
  const centroids = join(dir, 'kmeans', name);
  const partialOut = join(dir, 'partial');
  await pretrainVoxdyn({ ...base, input, events: '0-6', centroids, shard: { index: 0, count: 3 }, out: partialOut });
  await expect(mergePartials([partialOut], join(dir, 'm1'))).rejects.toThrow(/^shard\(s\) 1\/3, 2\/3 of pretrain-voxdyn missing/);
  // A shard of the same job but over other events is another job.
  await pretrainVoxdyn({ ...base, input, events: '0-5', centroids, shard: { index: 1, count: 3 }, out: partialOut });
  await expect(mergePartials([partialOut], join(dir, 'm2'))).rejects.toThrow(/shard-1-of-3\/partial\.json: was run with other settings than .*shard-0-of-3 \(events: "0-6" vs "0-5"\)/);
});

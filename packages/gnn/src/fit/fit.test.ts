import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, type TrackMLEvent } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { eventPoints } from '@hypertrack/event';
import { initBackend } from '@hypertrack/nn';
import { GraphBuilder, trainVoxdyn, type VoxdynModel } from '@hypertrack/voxdyn';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING, fit, type LatentLossExtension, type StepMetrics } from '../index';

const simulation = defaultSimulationConfig({ pileup: 3, noiseFraction: 0.05 });
const events = new Map([0, 1, 5, 6].map((id) => [id, simulateEvent(id, simulation, Rng.fromSeed(3).split(id)).event]));
const source = { eventIds: [...events.keys()], load: async (id: number) => events.get(id) as TrackMLEvent };
let vd: VoxdynModel;
let dir: string;
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  vd = await trainVoxdyn([0, 1].map((id) => ({ id, ...eventPoints(events.get(id) as TrackMLEvent) })), { ncell: 256, dim: 3, node2node: 'hyper', niter: 3, seed: 1 });
  dir = await mkdtemp(join(tmpdir(), 'hypertrack-fit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A latent loss that is NaN on the calls listed. */
function poisoned(bad: (call: number) => boolean): LatentLossExtension {
  const w = tf.variable(tf.scalar(1));
  let call = 0;
  return {
    parameters: new Map([['poison.w', w]]),
    loss: (z) => ({ total: tf.mul(tf.mul(w, tf.mean(z)), bad(call++) ? Number.NaN : 0) as tf.Scalar, scalars: {} }),
    dispose: () => w.dispose(),
  };
}

const SMALL = { ...TUNE5_GNN, nstack: 2, hDim: 8, mDim: 8, zDim: 5, correlateHidden: [4] };
const DATA = { rfactorStart: 0.3, rfactorEnd: 0.3, noiseRatio: 0.05, node2node: 'hyper' as const, ncell: 256, batchSize: 1, period: 1 };

it('skips the updates of steps with a non-finite loss, and stops with a checkpoint when too many come in a row', async () => {
  const trainer = new GnnTrainer(new EdgePredictor(SMALL, 1), TUNE5_TRAINING);
  // NaN on the second step only: skipped, counted, and the run goes on.
  await trainer.addLatentLoss({ name: 'poison', module: 'unused', factory: 'unused', options: null }, poisoned((call) => call === 1), { since: 0, auc: null });
  const builder = new GraphBuilder(vd, {});
  const lines: StepMetrics[] = [];
  const notes: string[] = [];
  const weight = () => Array.from(trainer.model.namedParameters().get('conv_gnn_edx.0.nn.0.0.weight')?.dataSync() ?? []);
  const after: number[][] = [];
  try {
    await fit({
      trainer, data: DATA, builder, events: source, trainIds: [5, 6], state: { seed: 1, currentEvent: null, currentValEvent: null },
      maxEdges: 1e6, iterations: 3, checkpoints: { dir: join(dir, 'once'), periodSeconds: 1e9 },
      callbacks: { onStepEnd: (_, m) => {
          lines.push(m);
          after.push(weight());
        }, onNote: (n) => void notes.push(n) },
    });
    expect(lines.map((l) => l.skipped)).toEqual([0, 1, 0]);
    expect(after[1]).toEqual(after[0]);
    expect(after[2]).not.toEqual(after[1]);
    expect(trainer.optimizer.stepCount).toBe(2);
    expect(trainer.step).toBe(3);
    expect(notes.some((n) => /^step 1: loss NaN or gradient norm NaN is not finite; the update was skipped \(1 in a row\)$/.test(n))).toBe(true);
  } finally {
    await trainer.close();
  }

  // NaN every time: the third skip in a row stops the run, with the last good weights saved.
  const doomed = new GnnTrainer(new EdgePredictor(SMALL, 1), TUNE5_TRAINING);
  await doomed.addLatentLoss({ name: 'poison', module: 'unused', factory: 'unused', options: null }, poisoned(() => true), { since: 0, auc: null });
  try {
    await expect(
      fit({
        trainer: doomed, data: DATA, builder, events: source, trainIds: [5, 6], state: { seed: 1, currentEvent: null, currentValEvent: null },
        maxEdges: 1e6, iterations: 10, maxSkippedInARow: 3, checkpoints: { dir: join(dir, 'doomed'), periodSeconds: 1e9 },
      }),
    ).rejects.toThrow(/^3 steps in a row had a non-finite loss or gradient \(the last at step 2\); stopped with the checkpoint .*step-000000003, the weights of the last good update/);
    expect(await readdir(join(dir, 'doomed'))).toEqual(['latest_checkpoint', 'step-000000003']);
  } finally {
    builder.close();
    await doomed.close();
  }
});

it('with debug checks, names the step that leaks a tensor', async () => {
  const trainer = new GnnTrainer(new EdgePredictor(SMALL, 1), TUNE5_TRAINING);
  const w = tf.variable(tf.scalar(1));
  const leaky: LatentLossExtension = {
    parameters: new Map([['leak.w', w]]),
    // One tensor kept alive per step, as a forgotten intermediate would be.
    loss: (z) => ({ total: tf.mul(w, tf.mul(tf.mean(z), tf.sum(tf.keep(tf.zeros([1]))))) as tf.Scalar, scalars: {} }),
    dispose: () => w.dispose(),
  };
  await trainer.addLatentLoss({ name: 'leak', module: 'unused', factory: 'unused', options: null }, leaky, { since: 0, auc: null });
  const builder = new GraphBuilder(vd, {});
  try {
    const run = (debugChecks: boolean, folder: string) =>
      fit({ trainer, data: DATA, builder, events: source, trainIds: [5, 6], state: { seed: 1, currentEvent: null, currentValEvent: null }, maxEdges: 1e6, iterations: trainer.step + 3, debugChecks, checkpoints: { dir: folder, periodSeconds: 1e9 } });
    await expect(run(true, join(dir, 'leak'))).rejects.toThrow(/^debug check: step 1 left \d+ tensors alive, the first step \d+: a tensor leaks$/);
  } finally {
    builder.close();
    await trainer.close();
  }
});

it('redraws graphs whose training step would pass the memory budget, and after 20 stops with a checkpoint, naming the key', async () => {
  const trainer = new GnnTrainer(new EdgePredictor(SMALL, 1), TUNE5_TRAINING);
  const builder = new GraphBuilder(vd, {});
  const notes: string[] = [];
  const tensorsBefore = tf.memory().numTensors;
  try {
    // 1 MiB is below the baseline of any graph: every draw is refused before a tensor is made.
    await expect(
      fit({
        trainer, data: DATA, builder, events: source, trainIds: [5, 6], state: { seed: 1, currentEvent: null, currentValEvent: null },
        memoryBudget: 2 ** 20, memoryBudgetKey: '--memory-budget', iterations: 2, checkpoints: { dir: join(dir, 'memory'), periodSeconds: 1e9 },
        callbacks: { onNote: (n) => void notes.push(n) },
      }),
    ).rejects.toThrow(/^--memory-budget: 20 draws in a row cannot make a training step \(the last: \d+ edges, whose training step needs about 0\.\d\d GiB, over --memory-budget 0\.00 GiB\); saved .*step-000000000\. Lower the rfactor range/);
    expect(notes).toHaveLength(21);
    expect(notes[0]).toMatch(/^step 0: event [56] at rfactor 0\.3000 gives \d+ edges, whose training step needs about/);
    expect(await readdir(join(dir, 'memory'))).toEqual(['latest_checkpoint', 'step-000000000']);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  } finally {
    builder.close();
    await trainer.close();
  }
});

it('redraws an event without hits (a bunch crossing without a collision) instead of failing', async () => {
  const empty = simulateEvent(7, defaultSimulationConfig({ pileup: 0, noiseFraction: 0 }), Rng.fromSeed(3).split(7)).event;
  expect(empty.hits.x.length).toBe(0);
  const withEmpty = { eventIds: [5, 7], load: async (id: number) => (id === 7 ? empty : (events.get(id) as TrackMLEvent)) };
  const trainer = new GnnTrainer(new EdgePredictor(SMALL, 1), TUNE5_TRAINING);
  const builder = new GraphBuilder(vd, {});
  const notes: string[] = [];
  try {
    const result = await fit({
      trainer, data: DATA, builder, events: withEmpty, trainIds: [5, 7], validation: { ids: [7], every: 1 }, state: { seed: 4, currentEvent: null, currentValEvent: null },
      iterations: 6, checkpoints: { dir: join(dir, 'empty'), periodSeconds: 1e9 }, callbacks: { onNote: (n) => void notes.push(n) },
    });
    expect(result.steps).toBe(6);
    expect(notes.some((n) => /event 7 at rfactor 0\.3000 gives 0 hits and 0 edges, nothing to train on; drawing another$/.test(n))).toBe(true);
  } finally {
    builder.close();
    await trainer.close();
  }
});

import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { rocAuc } from '@hypertrack/metrics';
import { initBackend } from '@hypertrack/nn';
import {
  EdgePredictor,
  GnnTrainer,
  TUNE5_GNN,
  TUNE5_TRAINING,
  latestCheckpoint,
  loadCheckpoint,
  loadEdgePredictor,
  prepareGraph,
  restoreTrainer,
  saveCheckpoint,
  type GnnConfig,
  type TrainerConfig,
} from './index';
import { toyEvent } from './testing/toy-event';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const SMALL: GnnConfig = { ...TUNE5_GNN, nstack: 3, hDim: 16, mDim: 16, zDim: 12, correlateHidden: [8] };
const FAST: TrainerConfig = { ...TUNE5_TRAINING, learningRate: 1e-2, scheduler: 'constant' };

it('a short training run on a simulated event lowers the loss and raises the edge AUC', async () => {
  const event = { ...toyEvent(21, 3, 0.15), coordDim: 3 };
  const positives = event.labels.reduce((s, y) => s + y, 0);
  // Both classes well populated (self-loops count as positives, as in the reference).
  expect(positives).toBeGreaterThan(1000);
  expect(event.labels.length - positives).toBeGreaterThan(1000);
  const model = new EdgePredictor(SMALL, 5);
  const trainer = new GnnTrainer(model, FAST);
  // An untrained model's running statistics are the initial ones (mean 0, variance 1), which do not
  // fit raw millimetre inputs, so the starting AUC is taken in training mode (batch statistics).
  const graph = prepareGraph(event);
  const aucBefore = rocAuc(tf.tidy(() => model.forward(graph).logits.dataSync() as Float32Array), event.labels);
  graph.dispose();
  const root = Rng.fromSeed(9);
  const records = [];
  for (let step = 0; step < 50; step++) records.push(await trainer.trainStep([event], root.split(step)));
  const aucAfter = trainer.evaluate(event, root.split('validation')).edgeAuc;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const losses = records.map((r) => r.loss);
  expect(mean(losses.slice(-5))).toBeLessThan(0.8 * mean(losses.slice(0, 5)));
  expect(records.every((r) => r.gradNorm > 0 && r.lr === 1e-2 && r.edges === event.src.length)).toBe(true);
  // Measured: 0.50 -> 0.8 and more over these 50 steps.
  expect(aucAfter).toBeGreaterThan(aucBefore + 0.2);
  expect(aucAfter).toBeGreaterThan(0.75);
  trainer.dispose();
  model.dispose();
});

describe('checkpoints', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gnn-ckpt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a run stopped and resumed from its checkpoint gives the same losses as an uninterrupted one', async () => {
    const events = [toyEvent(3, 3, 0.06), toyEvent(4, 3, 0.06)].map((e) => ({ ...e, coordDim: 3 }));
    const root = Rng.fromSeed(77);
    const run = async (trainer: GnnTrainer, from: number, to: number) => {
      const out: number[] = [];
      for (let step = from; step < to; step++) out.push((await trainer.trainStep([events[step % 2]], root.split(step))).loss);
      return out;
    };
    const straight = new GnnTrainer(new EdgePredictor(SMALL, 1), { ...TUNE5_TRAINING, learningRate: 3e-3, schedulerPeriod: 4 });
    const reference = await run(straight, 0, 6);

    const first = new GnnTrainer(new EdgePredictor(SMALL, 1), { ...TUNE5_TRAINING, learningRate: 3e-3, schedulerPeriod: 4 });
    const part1 = await run(first, 0, 3);
    const path = await saveCheckpoint(dir, first, { note: 'test' });
    expect(path).toBe(join(dir, 'step-000000003'));
    const second = new GnnTrainer(new EdgePredictor(SMALL, 999), { ...TUNE5_TRAINING, learningRate: 3e-3, schedulerPeriod: 4 });
    const checkpoint = await loadCheckpoint((await latestCheckpoint(dir))!);
    expect(checkpoint.meta.extra).toEqual({ note: 'test' });
    restoreTrainer(second, checkpoint);
    checkpoint.dispose();
    expect(second.step).toBe(3);
    const part2 = await run(second, 3, 6);
    expect([...part1, ...part2]).toEqual(reference);
    for (const t of [straight, first, second]) {
      t.model.dispose();
      t.dispose();
    }
  });

  it('finds the newest complete checkpoint and refuses foreign or future ones', async () => {
    expect(await latestCheckpoint(join(dir, 'missing'))).toBeNull();
    const trainer = new GnnTrainer(new EdgePredictor(SMALL, 1), TUNE5_TRAINING);
    trainer.step = 12;
    await saveCheckpoint(dir, trainer);
    trainer.step = 7;
    await saveCheckpoint(dir, trainer);
    // Weights only (a shipped model): a soft reset starts from them, a full restore refuses.
    await rm(join(dir, 'step-000000007', 'optimizer.safetensors'));
    const weightsOnly = await loadCheckpoint(join(dir, 'step-000000007'));
    expect(() => restoreTrainer(trainer, weightsOnly)).toThrow(/optimizer\.safetensors: missing: this checkpoint has weights only/);
    restoreTrainer(trainer, weightsOnly, { softReset: true });
    expect(trainer.step).toBe(0);
    weightsOnly.dispose();
    await mkdir(join(dir, 'step-000000099.partial-1'));
    // The newest is the one written last (latest_checkpoint): a run resumed from step 7 goes on from there.
    expect(await latestCheckpoint(dir)).toBe(join(dir, 'step-000000007'));
    // Without the pointer (a folder of an older version, or copied by hand), the highest complete step.
    await rm(join(dir, 'latest_checkpoint'));
    expect(await latestCheckpoint(dir)).toBe(join(dir, 'step-000000012'));
    const meta = join(dir, 'step-000000012', 'trainer.json');
    const saved = JSON.parse(await readFile(meta, 'utf8'));
    await writeFile(meta, JSON.stringify({ format: 'hypertrack-gnn-checkpoint', version: 2 }));
    await expect(loadCheckpoint(join(dir, 'step-000000012'))).rejects.toThrow(/checkpoint version 2; this build reads version 1/);
    // A model config the GNN cannot build (nstack -1) is an error naming the file, not a crash.
    await writeFile(meta, JSON.stringify({ ...saved, gnn: { ...saved.gnn, nstack: -1 } }));
    await expect(loadEdgePredictor(join(dir, 'step-000000012'))).rejects.toThrow(new RegExp(`^${meta.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: column 'gnn': .*nstack`));
    await writeFile(meta, '{"format": "something-else"');
    await expect(loadCheckpoint(join(dir, 'step-000000012'))).rejects.toThrow(/trainer\.json.*cannot read/);
    trainer.model.dispose();
    trainer.dispose();
  });
});

describe('data parallelism', () => {
  it('two worker threads give exactly the numbers of the main thread, batch of two events', async () => {
    const events = [toyEvent(3, 3, 0.06), toyEvent(4, 3, 0.06)].map((e) => ({ ...e, coordDim: 3 }));
    const root = Rng.fromSeed(5);
    const trace = async (trainer: GnnTrainer) => {
      const out = [];
      for (let step = 0; step < 3; step++) {
        const r = await trainer.trainStep(events, root.split(step));
        out.push([r.loss, r.edgeBCE, r.edgeContrastive, r.gradNorm, r.edgeAuc]);
      }
      out.push(Array.from(trainer.model.namedBuffers().get('mlp_fusion_edx.0.2.running_mean')!.dataSync()));
      out.push(Array.from(trainer.model.namedParameters().get('conv_gnn_edx.1.nn.0.0.weight')!.dataSync().slice(0, 20)));
      return out;
    };
    const local = new GnnTrainer(new EdgePredictor(SMALL, 3), TUNE5_TRAINING);
    const parallel = new GnnTrainer(new EdgePredictor(SMALL, 3), TUNE5_TRAINING);
    await parallel.useWorkers(2, 'wasm');
    try {
      expect(await trace(parallel)).toEqual(await trace(local));
    } finally {
      await parallel.close();
      await local.close();
    }
  });
});

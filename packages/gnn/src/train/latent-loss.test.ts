import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING, resumeTraining, saveCheckpoint, type GnnConfig, type LatentLossExtension, type LatentLossSpec } from '../index';
import { toyEvent } from '../testing/toy-event';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { squareLatentLoss } = require('../testing/square-latent-loss.cjs') as { squareLatentLoss: (options: { w: number }) => LatentLossExtension };

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const SMALL: GnnConfig = { ...TUNE5_GNN, nstack: 2, hDim: 8, mDim: 8, zDim: 5, correlateHidden: [4] };
const SPEC: LatentLossSpec = { name: 'square', module: join(__dirname, '..', 'testing', 'square-latent-loss.cjs'), factory: 'squareLatentLoss', options: { w: 1.5 } };
const create = async (spec: LatentLossSpec) => squareLatentLoss(spec.options as { w: number });
const events = [toyEvent(3, 3, 0.06), toyEvent(4, 3, 0.06)].map((e) => ({ ...e, coordDim: 3 }));

/** Records of `steps` steps from step `from` on, and the weights they leave, as plain numbers. */
async function trace(trainer: GnnTrainer, from: number, steps: number): Promise<unknown[]> {
  const root = Rng.fromSeed(5);
  const out: unknown[] = [];
  for (let step = from; step < from + steps; step++) {
    const r = await trainer.trainStep(events, root.split(step));
    out.push([r.step, r.lr, r.loss, r.edgeBCE, r.gradNorm, r.extension]);
  }
  out.push(Array.from(trainer.namedParameters().get('square.w')?.dataSync() ?? []));
  out.push(Array.from(trainer.model.namedParameters().get('conv_gnn_edx.1.nn.0.0.weight')!.dataSync().slice(0, 12)));
  return out;
}

describe('a latent loss joining the training (the transformer phase)', () => {
  it('trains its parameters with the GNN under a fresh optimizer whose schedule restarts, the same on two worker threads', async () => {
    const run = async (workers: number) => {
      const trainer = new GnnTrainer(new EdgePredictor(SMALL, 3), { ...TUNE5_TRAINING, scheduler: 'warm-cos', schedulerPeriod: 20 });
      if (workers > 0) await trainer.useWorkers(workers, 'wasm');
      try {
        const before = await trace(trainer, 0, 2);
        expect(trainer.optimizer.params.has('square.w')).toBe(false);
        await trainer.addLatentLoss(SPEC, await create(SPEC), { since: 2, auc: 0.9 });
        expect(trainer.optimizer.params.has('square.w')).toBe(true);
        expect(trainer.optimizer.stepCount).toBe(0);
        // The schedule counts from the switch: step 2 gets the learning rate of step 0.
        expect(trainer.lrAt(2)).toBe(trainer.schedule.lrAt(0));
        const after = await trace(trainer, 2, 2);
        return [...before, ...after];
      } finally {
        await trainer.close();
        trainer.model.dispose();
      }
    };
    const local = await run(0);
    const [first, , , , , , w] = local as [unknown[], unknown, unknown, unknown[], unknown, unknown, number[]];
    expect(first[5]).toBeUndefined();
    // The latent loss trained: w moved away from 1.5 (its gradient 0.5 mean(z^2) > 0 lowers it).
    expect(w[0]).toBeLessThan(1.5);
    expect((local[4] as unknown[])[5]).toEqual({ meanSquare: expect.any(Number) });
    expect(await run(2)).toEqual(local);
  });

  it('is saved with the checkpoint and comes back on resume: the run goes on exactly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hypertrack-latent-'));
    const config = { ...TUNE5_TRAINING, scheduler: 'warm-cos' as const, schedulerPeriod: 20 };
    const straight = new GnnTrainer(new EdgePredictor(SMALL, 3), config);
    const resumed = new GnnTrainer(new EdgePredictor(SMALL, 3), config);
    try {
      await trace(straight, 0, 1);
      await straight.addLatentLoss(SPEC, await create(SPEC), { since: 1, auc: 0.9 });
      await trace(straight, 1, 2);
      const saved = await saveCheckpoint(dir, straight, { seed: 5 });
      expect((await readdir(saved)).sort()).toEqual(['model.safetensors', 'optimizer.safetensors', 'square.safetensors', 'trainer.json']);
      const expected = await trace(straight, 3, 2);

      await resumeTraining(resumed, saved, { seed: 5, createLatentLoss: create });
      expect(resumed.step).toBe(3);
      expect(resumed.latentLoss).toMatchObject({ since: 1, auc: 0.9, spec: SPEC });
      expect(await trace(resumed, 3, 2)).toEqual(expected);

      // A trainer already running another latent loss, or none, cannot take the checkpoint's.
      const plain = new GnnTrainer(new EdgePredictor(SMALL, 3), config);
      const { loadCheckpoint, restoreTrainer } = await import('../index');
      const checkpoint = await loadCheckpoint(saved);
      expect(() => restoreTrainer(plain, checkpoint)).toThrow(/trainer\.json: the checkpoint trains with the square, the trainer the GNN alone/);
      checkpoint.dispose();
      plain.dispose();
      plain.model.dispose();
    } finally {
      for (const trainer of [straight, resumed]) {
        await trainer.close();
        trainer.model.dispose();
      }
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a latent loss whose parameter names collide with the GNN, and a second one', async () => {
    const trainer = new GnnTrainer(new EdgePredictor(SMALL, 3), TUNE5_TRAINING);
    const w = tf.variable(tf.scalar(1));
    const clash: LatentLossExtension = { parameters: new Map([['thr', w]]), loss: (z) => ({ total: tf.sum(z) as tf.Scalar, scalars: {} }) };
    await expect(trainer.addLatentLoss({ ...SPEC, name: 'clash' }, clash, { since: 0, auc: null })).rejects.toThrow("the latent loss's parameter 'thr' collides with the GNN's");
    await trainer.addLatentLoss(SPEC, await create(SPEC), { since: 0, auc: null });
    await expect(trainer.addLatentLoss(SPEC, await create(SPEC), { since: 0, auc: null })).rejects.toThrow('a latent loss (square) is already training');
    w.dispose();
    trainer.dispose();
    trainer.model.dispose();
  });
});

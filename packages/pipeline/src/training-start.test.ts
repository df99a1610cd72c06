import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FolderLock } from '@hypertrack/core';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING } from '@hypertrack/gnn';
import { initBackend } from '@hypertrack/nn';
import { openTrainingRun, TUNE5, tuneForGraph, tuneWithFlags } from './index';

// What train's flags and its start refuse, each named by the flag, and without leaving a run
// folder behind when the run cannot start.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hypertrack-start-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a name that is not a choice is refused by its flag, not by the tune section it lands in', () => {
  expect(() => tuneWithFlags(TUNE5, { optimizer: 'Adagrad' })).toThrow('--optimizer: expected one of AdamW, Adam, SGD, got "Adagrad"');
  expect(() => tuneWithFlags(TUNE5, { schedulerType: 'linear' })).toThrow('--scheduler-type: expected one of');
  expect(() => tuneWithFlags(TUNE5, { node2node: 'teleport' })).toThrow('--node2node: expected one of hyper, eom, cricket, got "teleport"');
  expect(() => tuneWithFlags(TUNE5, { hitFeatures: 'xy' })).toThrow('--hit-features: expected one of');
  expect(tuneWithFlags(TUNE5, { optimizer: 'SGD', schedulerType: 'cos', node2node: 'eom' }).training.optimizer).toBe('SGD');
});

it('a flag that contradicts the VD model is named', () => {
  const vd = { node2node: 'hyper' as const, ncell: 2048 };
  const none = () => undefined;
  expect(() => tuneForGraph(tuneWithFlags(TUNE5, { ncell: 512 }), vd, 'vd.vdm', { ncell: 512 }, none)).toThrow(
    '--ncell: the --vd-model vd.vdm is node2node hyper, ncell 2048, but the run asks for node2node hyper, ncell 512: leave out --ncell (the model sets it) or give a matching model',
  );
  expect(() => tuneForGraph(tuneWithFlags(TUNE5, { node2node: 'eom' }), vd, 'vd.vdm', { node2node: 'eom' }, none)).toThrow(/^--node2node: /);
  expect(tuneForGraph(TUNE5, vd, 'vd.vdm', { ncell: 2048 }, none).data.ncell).toBe(2048);
});

describe('a run that cannot start', () => {
  let trainer: GnnTrainer;
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
    trainer = new GnnTrainer(new EdgePredictor({ ...TUNE5_GNN, nstack: 1, hDim: 8, mDim: 8, zDim: 5, correlateHidden: [4] }, 1), TUNE5_TRAINING);
  });
  afterAll(() => trainer.close());
  const start = (logdir: string, resume: string) => ({ logdir, saveTag: 'default', seed: 1, resume, softReset: false, cluster: 'none' as const, allowChanges: false });

  it('leaves no folder of its own making', async () => {
    const held: FolderLock[] = [];
    const missing = join(dir, 'nope');
    await expect(openTrainingRun(trainer, TUNE5, {}, start(join(dir, 'a', 'b', 'run'), missing), (lock) => held.push(lock), () => undefined)).rejects.toThrow(
      `--resume: ${missing}: neither a checkpoint folder nor a tag of ${join(dir, 'a', 'b', 'run', 'checkpoints')}`,
    );
    held.forEach((lock) => lock.release());
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('leaves a folder that was there as it was', async () => {
    const held: FolderLock[] = [];
    mkdirSync(join(dir, 'kept', 'run'), { recursive: true });
    await expect(openTrainingRun(trainer, TUNE5, {}, start(join(dir, 'kept', 'run'), join(dir, 'nope')), (lock) => held.push(lock), () => undefined)).rejects.toThrow('--resume: ');
    held.forEach((lock) => lock.release());
    expect(readdirSync(join(dir, 'kept'))).toEqual(['run']);
    expect(readdirSync(join(dir, 'kept', 'run'))).toEqual([]);
  });
});

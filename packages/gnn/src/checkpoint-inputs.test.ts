import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@hypertrack/core';
import { encodeSafetensors, initBackend, readSafetensors } from '@hypertrack/nn';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING, checkGnnConfig, loadCheckpoint, loadEdgePredictor, restoreTrainer, saveCheckpoint, startingCheckpoint, type GnnConfig } from './index';

// A broken checkpoint is an error naming the file and the key, never an internal error or a model
// quietly built from defaults.
const SMALL = { ...TUNE5_GNN, nstack: 1, hDim: 8, mDim: 8, zDim: 5, correlateHidden: [4] };
let dir: string;
let checkpoint: string;
let meta: string;
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'hypertrack-inputs-'));
  const trainer = new GnnTrainer(new EdgePredictor(SMALL, 1), TUNE5_TRAINING);
  checkpoint = await saveCheckpoint(join(dir, 'run'), trainer, {});
  await trainer.close();
  meta = await readFile(join(checkpoint, 'trainer.json'), 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => writeFile(join(checkpoint, 'trainer.json'), meta));

async function loadWithMeta(text: string): Promise<unknown> {
  await writeFile(join(checkpoint, 'trainer.json'), text);
  return loadEdgePredictor(checkpoint).then(
    ({ model }) => model.dispose(),
    (error: unknown) => error,
  );
}
/** trainer.json's text edited, made when the test runs (the checkpoint exists then). */
const edited = (edit: (m: Record<string, unknown> & { gnn: Record<string, unknown> }) => void) => () => {
  const m = JSON.parse(meta);
  edit(m);
  return JSON.stringify(m);
};

it.each([
  ['null', () => 'null', "trainer.json: not a HyperTrack GNN checkpoint (a JSON null, not an object)"],
  ['an array', () => '[1]', "trainer.json: not a HyperTrack GNN checkpoint (a JSON array, not an object)"],
  ['a negative step', edited((m) => (m.step = -5)), "trainer.json: column 'step': expected the steps done, an integer >= 0, got -5"],
  ['no gnn config', edited((m) => delete (m as Record<string, unknown>).gnn), "trainer.json: column 'gnn': expected the GNN's config, an object, got nothing"],
  ['bn "yes"', edited((m) => (m.gnn.bn = 'yes')), `trainer.json: column 'gnn': GNN config 'bn' must be true or false, got "yes"`],
  ['an unknown key', edited((m) => (m.gnn.dropout = 0.1)), "trainer.json: column 'gnn': GNN config has an unknown key 'dropout'"],
  ['correlateHidden "wide"', edited((m) => (m.gnn.correlateHidden = 'wide')), `trainer.json: column 'gnn': GNN config 'correlateHidden' must be a list of positive integers (hidden sizes of the edge MLP), got "wide"`],
  ['correlateHidden [-4]', edited((m) => (m.gnn.correlateHidden = [-4])), "GNN config 'correlateHidden' must be a list of positive integers (hidden sizes of the edge MLP), got [-4]"],
])('trainer.json with %s is refused, naming the file and the key', async (_, text, message) => {
  const error = await loadWithMeta(text());
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toContain(message);
  expect((error as Error).message.startsWith(join(checkpoint, 'trainer.json'))).toBe(true);
});

it.each([
  ['gnn.nstack -1', edited((m) => (m.gnn.nstack = -1)), "trainer.json: column 'gnn': GNN config 'nstack' must be a positive integer, got -1"],
  ['training.learningRate -1', edited((m) => ((m.training as Record<string, unknown>).learningRate = -1)), "trainer.json: column 'training': training config 'learningRate' must be a positive number, got -1"],
  ['no training config', edited((m) => delete m.training), "trainer.json: column 'training': expected the training config, an object, got nothing"],
])('a checkpoint to resume whose trainer.json records %s is refused', async (_, text, message) => {
  await writeFile(join(checkpoint, 'trainer.json'), text());
  await expect(loadCheckpoint(checkpoint)).rejects.toThrow(`${join(checkpoint, message)}`);
});

it('checks the config keys and types a model is built from', () => {
  expect(() => checkGnnConfig(null as unknown as GnnConfig)).toThrow('GNN config must be an object, got null');
  expect(() => checkGnnConfig({ ...SMALL, residual: 1 } as unknown as GnnConfig)).toThrow("GNN config 'residual' must be true or false, got 1");
  expect(() => checkGnnConfig({ ...SMALL, messageGeometry: undefined })).not.toThrow();
  expect(() => checkGnnConfig({ ...SMALL, correlateHidden: [] })).not.toThrow();
});

it('optimizer state that does not fit the model is refused naming optimizer.safetensors', async () => {
  const copy = join(dir, 'bad-optimizer');
  await mkdir(copy);
  for (const name of ['trainer.json', 'model.safetensors']) await writeFile(join(copy, name), await readFile(join(checkpoint, name)));
  const { tensors } = await readSafetensors(join(checkpoint, 'optimizer.safetensors'));
  tensors.set('exp_avg.no.such.weight', { dtype: 'F32', shape: [2], data: new Float32Array(2) });
  await writeFile(join(copy, 'optimizer.safetensors'), encodeSafetensors(tensors));
  const loaded = await loadCheckpoint(copy);
  const trainer = new GnnTrainer(new EdgePredictor(SMALL, 2), TUNE5_TRAINING);
  try {
    expect(() => restoreTrainer(trainer, loaded)).toThrow(`${join(copy, 'optimizer.safetensors')}: AdamW: optimizer state entry 'exp_avg.no.such.weight' names no optimised parameter`);
  } finally {
    loaded.dispose();
    await trainer.close();
  }
});

it('a starting point that is not there names the flag that gave it', async () => {
  const checkpointsDir = join(dir, 'run2', 'checkpoints');
  const start = { tagDir: join(checkpointsDir, 'default'), epoch: 'auto' as const, checkpointsDir };
  await expect(startingCheckpoint({ ...start, transferFrom: join(dir, 'nope'), transferKey: '--resume' })).rejects.toThrow(`--resume: ${join(dir, 'nope')}: neither a checkpoint folder nor a tag of ${checkpointsDir}`);
  await expect(startingCheckpoint({ ...start, transferFrom: 'stage1' })).rejects.toThrow(`--transfer-tag: stage1: neither a checkpoint folder nor a tag of ${checkpointsDir}`);
  await mkdir(join(dir, 'empty'));
  await expect(startingCheckpoint({ ...start, transferFrom: join(dir, 'empty'), transferKey: '--checkpoint' })).rejects.toThrow(`--checkpoint: no checkpoint under ${join(dir, 'empty')}`);
  expect(await startingCheckpoint({ ...start, transferFrom: checkpoint, transferKey: '--checkpoint' })).toBe(checkpoint);
});

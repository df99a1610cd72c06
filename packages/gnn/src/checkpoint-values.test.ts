import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSafetensors, initBackend, readSafetensors, type SafetensorsEntry } from '@hypertrack/nn';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING, loadEdgePredictor, saveCheckpoint } from './index';

const SMALL = { ...TUNE5_GNN, nstack: 2, hDim: 8, mDim: 8, zDim: 5, correlateHidden: [4] };
let dir: string;
let checkpoint: string;
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'hypertrack-values-'));
  const trainer = new GnnTrainer(new EdgePredictor(SMALL, 1), TUNE5_TRAINING);
  checkpoint = await saveCheckpoint(dir, trainer, {});
  await trainer.close();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Rewrites one tensor of the checkpoint's model.safetensors. */
async function tamper(edit: (entry: SafetensorsEntry) => SafetensorsEntry, key = 'conv_gnn_edx.0.nn.0.0.weight'): Promise<void> {
  const file = join(checkpoint, 'model.safetensors');
  const { tensors } = await readSafetensors(file);
  const entry = tensors.get(key);
  if (entry === undefined) throw new Error(`no ${key}`);
  tensors.set(key, edit(entry));
  await writeFile(file, encodeSafetensors(tensors));
}

it('a weight stored as int32 with the right byte count is refused, naming the file and the tensor', async () => {
  const before = await readSafetensors(join(checkpoint, 'model.safetensors'));
  await tamper((entry) => ({ dtype: 'I32', shape: entry.shape, data: new Int32Array((entry.data as Float32Array).buffer.slice(0)) }) as SafetensorsEntry);
  await expect(loadEdgePredictor(checkpoint)).rejects.toThrow(/model\.safetensors: state entry 'conv_gnn_edx\.0\.nn\.0\.0\.weight' is int32, the model expects float32$/);
  await writeFile(join(checkpoint, 'model.safetensors'), encodeSafetensors(before.tensors));
});

it('a NaN weight is refused on load, not found later as NaN scores', async () => {
  await tamper((entry) => {
    const data = Float32Array.from(entry.data as Float32Array);
    data[7] = Number.NaN;
    return { dtype: 'F32', shape: entry.shape, data } as SafetensorsEntry;
  });
  await expect(loadEdgePredictor(checkpoint)).rejects.toThrow(/model\.safetensors: state entry 'conv_gnn_edx\.0\.nn\.0\.0\.weight' holds NaN at flat index \d+; weights must be finite$/);
});

it('float64 weights are cast, as PyTorch files may hold them', async () => {
  await tamper((entry) => ({ dtype: 'F64', shape: entry.shape, data: Float64Array.from({ length: (entry.data as Float32Array).length }, (_, i) => i / 100) }) as SafetensorsEntry);
  const { model } = await loadEdgePredictor(checkpoint);
  const weight = model.stateDict().get('conv_gnn_edx.0.nn.0.0.weight');
  expect(weight?.dtype).toBe('float32');
  model.dispose();
});

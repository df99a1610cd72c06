import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@hypertrack/nn';
import { STransformer } from './model';
import { micrographLogits } from './scorer';
import { TUNE5_TRANSFORMER } from './config';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

describe('STransformer', () => {
  it('has the reference parameter count and state-dict structure (137,025 with tune-5)', () => {
    const model = new STransformer(TUNE5_TRANSFORMER, 1);
    expect(model.parameterCount()).toBe(137_025);
    const names = [...model.namedParameters().keys()];
    for (const name of ['MLP_E.0.0.weight', 'MLP_E.1.bias', 'mab_D.W_q.weight', 'mab_D.ln1.bias', 'mab_D.MLP.1.0.weight', 'sab_stack_D.3.0.mab.W_o.bias', 'MLP_m.2.weight']) {
      expect(names).toContain(name);
    }
    model.dispose();
  });

  it('gives each real node the same logit whatever padding surrounds it', () => {
    const model = new STransformer({ ...TUNE5_TRANSFORMER, inDim: 5, hDim: 8, nstackDec: 2, heads: 2 }, 2);
    const data = Float32Array.from({ length: 4 * 5 }, (_, i) => Math.sin(i));
    const pivots = Float32Array.from({ length: 2 * 5 }, (_, i) => Math.cos(i));
    const alone = tf.tidy(() => model.apply(tf.tensor3d(data, [1, 4, 5]), tf.tensor3d(pivots, [1, 2, 5])).dataSync());
    // The same micrograph padded to 6 nodes and 3 pivots, with masks, beside another one.
    const padded = new Float32Array(2 * 6 * 5).fill(7);
    padded.set(data, 0);
    const paddedPivots = new Float32Array(2 * 3 * 5).fill(-3);
    paddedPivots.set(pivots, 0);
    const nodeMask = tf.tensor2d([1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1], [2, 6], 'bool');
    const pivotMask = tf.tensor2d([1, 1, 0, 1, 1, 1], [2, 3], 'bool');
    const batched = tf.tidy(() => model.apply(tf.tensor3d(padded, [2, 6, 5]), tf.tensor3d(paddedPivots, [2, 3, 5]), nodeMask, pivotMask).dataSync());
    for (let q = 0; q < 4; q++) expect(batched[q]).toBeCloseTo(alone[q], 4);
    tf.dispose([nodeMask, pivotMask]);
    model.dispose();
  });

  it('refuses a batch whose attention scores would pass the budget, before allocating them', () => {
    const model = new STransformer(TUNE5_TRANSFORMER, 1);
    const table = tf.zeros([2, 64]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    // One micrograph of 10,000 hits: 4 heads x 10^8 scores x 4 bytes = 1.5 GiB.
    const huge = { nodes: new Int32Array(10_000), pivots: new Int32Array(3) };
    expect(() => micrographLogits(model, table, [huge])).toThrow('batchComponents: 1 micrographs of up to 10000 hits need 1.5 GiB of attention scores (budget 1 GiB)');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(table);
    model.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@hypertrack/nn';
import { STransformer } from './model';
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
});

import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend, isWasmBatchMatMulPatched, patchWasmBatchMatMul, unpatchWasmBatchMatMul } from './index';

function random(rng: Rng, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.uniform() * 2 - 1), shape);
}

const combos = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/** Operand shapes for C = op(A) op(B) with op(A) [.., 5, 4] and op(B) [.., 4, 3]. */
function operands(rng: Rng, batch: number[], transposeA: boolean, transposeB: boolean): [tf.Tensor, tf.Tensor] {
  const a = transposeA ? [...batch, 4, 5] : [...batch, 5, 4];
  const b = transposeB ? [...batch, 3, 4] : [...batch, 4, 3];
  return [random(rng, a), random(rng, b)];
}

describe('wasm BatchMatMul patch', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  it.each([[[]], [[2]], [[2, 3]]])('matches the stock kernel for every transpose combination (batch %j)', (batch) => {
    const rng = Rng.fromSeed(7);
    const inputs = combos.map(([ta, tb]) => operands(rng, batch, ta, tb));
    unpatchWasmBatchMatMul();
    expect(isWasmBatchMatMulPatched()).toBe(false);
    const stock = combos.map(([ta, tb], i) => tf.tidy(() => tf.matMul(inputs[i][0], inputs[i][1], ta, tb).dataSync()));
    expect(patchWasmBatchMatMul()).toBe(true);
    expect(patchWasmBatchMatMul()).toBe(true); // idempotent
    expect(isWasmBatchMatMulPatched()).toBe(true);
    const before = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    combos.forEach(([ta, tb], i) => {
      const patched = tf.tidy(() => tf.matMul(inputs[i][0], inputs[i][1], ta, tb).dataSync());
      expect(patched).toEqual(stock[i]);
    });
    // The explicit transposes are freed inside the kernel.
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    tf.dispose(inputs.flat());
  });

  it('gives the same matMul gradients as the stock kernel', () => {
    const rng = Rng.fromSeed(8);
    const [a, b] = operands(rng, [], false, false);
    const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y)));
    const grads = () => tf.tidy(() => tf.grads(loss)([a, b]).map((g) => g.dataSync()));
    unpatchWasmBatchMatMul();
    const stock = grads();
    patchWasmBatchMatMul();
    expect(grads()).toEqual(stock);
    tf.dispose([a, b]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend, kernelState, nativeKernels, isWasmBatchMatMulPatched, patchWasmBatchMatMul, setSimdLoops, simdWeightGradientCount, unpatchWasmBatchMatMul } from './index';

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

describe('wasm BatchMatMul patch (native kernels off)', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
    kernelState.native = false;
  });
  afterAll(() => {
    kernelState.native = true;
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

  // The weight gradient over a long edge axis takes the SIMD loop: 5000 rows (two partial chunks
  // of 256 at the end), k = 67 (odd, as the edge block of SuperEdgeConv), n = 64 and 32.
  it.each([
    [5000, 67, 64],
    [4099, 3, 32],
  ])('A^T B with %i rows, k = %i, n = %i (the SIMD weight gradient) matches float64 sums and the stock path', (rows, k, n) => {
    const rng = Rng.fromSeed(rows + k);
    const a = random(rng, [rows, k]);
    const b = random(rng, [rows, n]);
    patchWasmBatchMatMul();
    const runs = simdWeightGradientCount();
    const simd = tf.tidy(() => tf.matMul(a, b, true, false).dataSync());
    expect(simdWeightGradientCount()).toBe(runs + 1);
    setSimdLoops(false);
    const stock = tf.tidy(() => tf.matMul(a, b, true, false).dataSync());
    setSimdLoops(true);
    expect(simdWeightGradientCount()).toBe(runs + 1);
    const av = a.dataSync();
    const bv = b.dataSync();
    let worst = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let e = 0; e < rows; e++) sum += av[e * k + i] * bv[e * n + j];
        worst = Math.max(worst, Math.abs(simd[i * n + j] - sum), Math.abs(stock[i * n + j] - sum));
      }
    }
    // float32 sums of 5000 products of size <= 1: both paths stay within 1e-3 of the exact sum.
    expect(worst).toBeLessThan(1e-3);
    tf.dispose([a, b]);
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

/** Frobenius norm of the difference over that of the reference. */
function relativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i] - expected[i]) ** 2;
    norm += expected[i] ** 2;
  }
  return Math.sqrt(diff / norm);
}

// Only where the native kernels load (CI builds them); the WebAssembly-path run checks the rest.
(nativeKernels() === null ? () => undefined : describe)('BatchMatMul through the native products', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  it.each([[[]], [[2]], [[2, 3]]])('agrees with the WebAssembly path within 1e-5 for every transpose combination (batch %j)', (batch) => {
    const rng = Rng.fromSeed(17);
    const inputs = combos.map(([ta, tb]) => operands(rng, batch, ta, tb));
    const run = (native: boolean) => {
      kernelState.native = native;
      const before = kernelState.nativeCalls;
      const out = combos.map(([ta, tb], i) => tf.tidy(() => tf.matMul(inputs[i][0], inputs[i][1], ta, tb).dataSync()));
      // These small products are not narrow: natively they need the BLAS (CI installs OpenBLAS).
      const viaBlas = native && nativeKernels()?.blas != null;
      expect(kernelState.nativeCalls - before).toBe(viaBlas ? combos.length : 0);
      return out;
    };
    const wasm = run(false);
    const native = run(true);
    combos.forEach((_, i) => expect(relativeDifference(native[i], wasm[i])).toBeLessThan(1e-5));
    tf.dispose(inputs.flat());
  });

  it('broadcasts one matrix over a batch, and its gradients agree with the WebAssembly path', () => {
    const rng = Rng.fromSeed(18);
    const a = random(rng, [3, 40, 30]);
    const b = random(rng, [3, 30, 20]);
    const one = random(rng, [1, 30, 20]);
    const loss = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y)));
    const results = (native: boolean) => {
      kernelState.native = native;
      return tf.tidy(() => [tf.matMul(a, one).dataSync(), tf.matMul(tf.slice(a, [0, 0, 0], [1, 40, 30]), b).dataSync(), ...tf.grads(loss)([a, b]).map((g) => g.dataSync())]);
    };
    const wasm = results(false);
    const native = results(true);
    expect(wasm.map((w) => w.length)).toEqual([3 * 40 * 20, 3 * 40 * 20, 3 * 40 * 30, 3 * 30 * 20]);
    wasm.forEach((w, i) => expect(relativeDifference(native[i], w)).toBeLessThan(1e-5));
    tf.dispose([a, b, one]);
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { kernelPatch } from './kernel-patch';

/**
 * The wasm backend's BatchMatMul is about 10x slower with `transposeA`/`transposeB` set than
 * without (1561 ms vs 171 ms for 200k x 128 operands), and every matMul gradient sets one of
 * them. The patch transposes the flagged operand explicitly with the backend's own Transpose
 * kernel, then calls the stock kernel without flags; the results are identical.
 */
/** Swaps the last two axes of a rank-r tensor. */
function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function makePatched(stock: tf.KernelConfig, transpose: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const attrs = (args.attrs ?? {}) as unknown as tf.BatchMatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return stock.kernelFunc(args);
    const backend = args.backend as tf.KernelBackend;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const temporaries: tf.TensorInfo[] = [];
    const explicit = (x: tf.TensorInfo): tf.TensorInfo => {
      const out = transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm: lastTwoSwapped(x.shape.length) } }) as tf.TensorInfo;
      temporaries.push(out);
      return out;
    };
    const a2 = attrs.transposeA ? explicit(a) : a;
    const b2 = attrs.transposeB ? explicit(b) : b;
    try {
      return stock.kernelFunc({
        inputs: { a: a2, b: b2 },
        backend,
        attrs: { ...(args.attrs ?? {}), transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
  return { ...stock, kernelFunc };
}

const matMulPatch = kernelPatch('BatchMatMul', 'wasm', (stock) => {
  const transpose = tf.getKernel('Transpose', 'wasm');
  return transpose === undefined ? undefined : makePatched(stock, transpose);
});

/**
 * Registers the transpose-free BatchMatMul for the wasm backend. Idempotent; returns false when
 * the wasm kernels are not registered (the wasm backend package is not loaded).
 */
export function patchWasmBatchMatMul(): boolean {
  return matMulPatch.apply();
}

/** Restores the stock wasm BatchMatMul (for comparisons in tests and benchmarks). Idempotent. */
export function unpatchWasmBatchMatMul(): void {
  matMulPatch.restore();
}

/** Whether the patched kernel is the one registered now. */
export function isWasmBatchMatMulPatched(): boolean {
  return matMulPatch.isApplied();
}

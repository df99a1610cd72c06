import * as tf from '@tensorflow/tfjs-core';
import { kernelPatch } from './kernel-patch';
import { f32, simdHeap, type WasmBackend } from './simd/heap';
import { matMulLoops } from './simd/matmul-simd';
import { kernelState } from './kernel-state';
import { nativeCall, nativeKernels } from './native';

/**
 * Where @hypertrack/native loads, products run there on the wasm heap in place: narrow ones (a GNN
 * layer over edges) on its AVX-512 tiles, the rest through the system's BLAS (docs/benchmarks.md).
 * Otherwise: the wasm backend's BatchMatMul is about 10x slower with `transposeA`/`transposeB` set than
 * without (1561 ms vs 171 ms for 200k x 128 operands), and every matMul gradient sets one of
 * them. The patch transposes the flagged operand explicitly with the backend's own Transpose
 * kernel, then calls the stock kernel without flags; the results are identical. The weight
 * gradient A^T B over a long edge axis goes to a SIMD loop instead (simd/matmul-simd.ts), which
 * avoids both the transpose and XNNPACK's packing of the long operand.
 */
/** Swaps the last two axes of a rank-r tensor. */
function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/** How many weight gradients (A^T B) the SIMD loop has computed so far (which path ran). */
export function simdWeightGradientCount(): number {
  return kernelState.simdWeightGradients;
}

/** Edges per call of the weight-gradient loop: the chunk of A and B it revisits stays in cache. */
const WEIGHT_GRAD_CHUNK = 256;
/** Below this many rows XNNPACK's product is as fast; the loop pays off on long edge axes. */
const WEIGHT_GRAD_MIN_ROWS = 4096;

/**
 * A^T B for a single batch with a long shared axis (the weight gradient of a dense layer over the
 * edges) and a width that is a multiple of 32, by the SIMD loop; null when the case or the runtime
 * does not fit (the caller then transposes and runs the stock kernel).
 */
function weightGradient(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo | null {
  // Matrices, or a batch of one (tfjs hands the kernel either, depending on the op's path).
  const single = (shape: number[]) => shape.length === 2 || (shape.length === 3 && shape[0] === 1);
  if (!single(a.shape) || !single(b.shape) || a.shape.length !== b.shape.length) return null;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const [rows, k] = a.shape.slice(-2);
  const [rowsB, n] = b.shape.slice(-2);
  if (rowsB !== rows || rows < WEIGHT_GRAD_MIN_ROWS || n % 32 !== 0 || n === 0 || k === 0) return null;
  const memory = simdHeap(backend);
  const loops = memory === null ? null : matMulLoops(memory);
  if (loops === null) return null;
  const out = backend.makeOutput(a.shape.length === 2 ? [k, n] : [1, k, n], 'float32');
  const A = f32(backend, a);
  const B = f32(backend, b);
  const C = f32(backend, out);
  C.fill(0);
  for (let e0 = 0; e0 < rows; e0 += WEIGHT_GRAD_CHUNK) {
    const count = Math.min(WEIGHT_GRAD_CHUNK, rows - e0);
    loops.weightGrad(A.byteOffset + 4 * e0 * k, B.byteOffset + 4 * e0 * n, C.byteOffset, count, k, 4 * k, 4 * n, 4 * n);
  }
  kernelState.simdWeightGradients++;
  return out;
}

/**
 * The product through the native BLAS (every transpose case, a batch of equal or broadcast
 * matrices), or null when native kernels are off, have no BLAS, or the shapes do not fit.
 */
function nativeProduct(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, attrs: tf.BatchMatMulAttrs): tf.TensorInfo | null {
  const kernels = kernelState.native ? nativeKernels() : null;
  if (kernels === null) return null;
  const rank = a.shape.length;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || rank !== b.shape.length || rank < 2) return null;
  // Leading axes are one batch: equal on both sides, or all 1 on one side (one matrix for all).
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const batchA = batchShapeA.reduce((p, s) => p * s, 1);
  const batchB = batchShapeB.reduce((p, s) => p * s, 1);
  const same = batchShapeA.every((s, i) => s === batchShapeB[i]);
  if (!same && batchA !== 1 && batchB !== 1) return null;
  const batchShape = batchA >= batchB ? batchShapeA : batchShapeB;
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const [m, k] = attrs.transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kB, n] = attrs.transposeB ? [bCols, bRows] : [bRows, bCols];
  if (k !== kB) return null;
  const transA = attrs.transposeA ? 1 : 0;
  const transB = attrs.transposeB ? 1 : 0;
  // Without a BLAS only narrow shapes have a native path: ask before allocating the output.
  if (!kernels.addon.gemmRuns(transA, transB, m, n, k)) return null;
  const batch = Math.max(batchA, batchB);
  const out = backend.makeOutput([...batchShape, m, n], 'float32');
  if (m * n * batch === 0) return out;
  if (k === 0) {
    f32(backend, out).fill(0);
    return out;
  }
  const native = nativeCall(backend);
  if (native === null) {
    backend.disposeData(out.dataId);
    return null;
  }
  const at = native.at;
  if (!native.addon.gemm(native.heap(), transA, transB, m, n, k, at(a), batchA === 1 ? 0 : m * k, at(b), batchB === 1 ? 0 : k * n, at(out), m * n, batch)) {
    throw new Error(`native gemm refused [${m} x ${k}] x [${k} x ${n}] after gemmRuns accepted it`);
  }
  return out;
}

function makePatched(stock: tf.KernelConfig, transpose: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const attrs = (args.attrs ?? {}) as unknown as tf.BatchMatMulAttrs;
    const backend = args.backend as tf.KernelBackend;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const native = nativeProduct(backend as WasmBackend, a, b, attrs);
    if (native !== null) return native;
    if (!attrs.transposeA && !attrs.transposeB) return stock.kernelFunc(args);
    if (attrs.transposeA && !attrs.transposeB) {
      const direct = weightGradient(backend as WasmBackend, a, b);
      if (direct !== null) return direct;
    }
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

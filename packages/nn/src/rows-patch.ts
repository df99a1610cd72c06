import type * as tf from '@tensorflow/tfjs-core';
import { kernelPatch } from './kernel-patch';
import { nativeCall } from './native';
import type { WasmBackend } from './simd/heap';

/**
 * The row gather and segment sum of message passing (ops.ts: gatherND / scatterND with [E, 1]
 * int32 indices over float32 rows) through the native kernels when they load: one memcpy per row,
 * one vector add per edge. Any other GatherNd / ScatterNd, or native kernels off, runs the stock
 * kernel. Bad indices go to the stock kernel too, so its behaviour (and error) is unchanged.
 */
function isRowIndex(indices: tf.TensorInfo): boolean {
  return indices.dtype === 'int32' && indices.shape.length === 2 && indices.shape[1] === 1;
}

function rowWidth(shape: readonly number[]): number {
  return shape.slice(1).reduce((product, size) => product * size, 1);
}

function makeGather(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const backend = args.backend as WasmBackend;
    const { params, indices } = args.inputs as { params: tf.TensorInfo; indices: tf.TensorInfo };
    if (params.dtype !== 'float32' || !isRowIndex(indices) || params.shape.length < 1) return stock.kernelFunc(args);
    const native = nativeCall(backend);
    if (native === null) return stock.kernelFunc(args);
    const count = indices.shape[0];
    const width = rowWidth(params.shape);
    const out = backend.makeOutput([count, ...params.shape.slice(1)], 'float32');
    const at = native.at;
    const bad = native.addon.gatherRows(native.heap(), at(params), params.shape[0], at(indices), at(out), count, width);
    if (bad < 0) return out;
    backend.disposeData(out.dataId);
    return stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc };
}

function makeScatter(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const backend = args.backend as WasmBackend;
    const { indices, updates } = args.inputs as { indices: tf.TensorInfo; updates: tf.TensorInfo };
    const { shape } = args.attrs as unknown as tf.ScatterNdAttrs;
    const width = rowWidth(shape);
    if (updates.dtype !== 'float32' || !isRowIndex(indices) || shape.length < 1 || updates.shape[0] !== indices.shape[0] || rowWidth(updates.shape) !== width) {
      return stock.kernelFunc(args);
    }
    const native = nativeCall(backend);
    if (native === null) return stock.kernelFunc(args);
    const out = backend.makeOutput([...shape], 'float32');
    const at = native.at;
    const bad = native.addon.scatterAddRows(native.heap(), at(updates), at(indices), at(out), shape[0], indices.shape[0], width);
    if (bad < 0) return out;
    backend.disposeData(out.dataId);
    return stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc };
}

const gatherPatch = kernelPatch('GatherNd', 'wasm', makeGather);
const scatterPatch = kernelPatch('ScatterNd', 'wasm', makeScatter);

/** Registers the native row gather and scatter for wasm. Idempotent; false without the wasm kernels. */
export function patchWasmRowKernels(): boolean {
  return gatherPatch.apply() && scatterPatch.apply();
}

/** Restores the stock wasm GatherNd and ScatterNd, for comparisons. Idempotent. */
export function unpatchWasmRowKernels(): void {
  gatherPatch.restore();
  scatterPatch.restore();
}

import type * as tf from '@tensorflow/tfjs-core';
import { i32, type WasmBackend } from '../simd/heap';

/**
 * Throws unless every index of each `[E, 1]` tensor lies in 0..rows-1. The SIMD loops address the
 * heap directly, so a bad index would read or overwrite another tensor; the check is one pass over
 * the indices, before any output is allocated.
 */
export function checkRowIndices(op: string, backend: WasmBackend, rows: number, indices: Record<string, tf.TensorInfo>): void {
  for (const [name, info] of Object.entries(indices)) {
    const I = i32(backend, info);
    for (let e = 0; e < I.length; e++) {
      if (!(I[e] >= 0 && I[e] < rows)) throw new RangeError(`${op}: ${name}[${e}] is ${I[e]}, outside the ${rows} rows 0..${rows - 1}`);
    }
  }
}

/**
 * After a native kernel reported a bad index: frees its outputs and throws the exact error of the
 * JS check (which names the index tensor, the position and the value).
 */
export function failIndexCheck(backend: WasmBackend, outputs: tf.TensorInfo | tf.TensorInfo[], check: () => void): never {
  for (const info of Array.isArray(outputs) ? outputs : [outputs]) backend.disposeData(info.dataId);
  check();
  throw new RangeError('a native kernel reported a row index out of range that the JS check did not find');
}

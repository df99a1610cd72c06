import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from '../simd/heap';

/** What a custom wasm kernel works with: its backend, its named inputs and its attributes. */
export interface KernelArgs<I extends string, A extends tf.NamedAttrMap = tf.NamedAttrMap> {
  backend: WasmBackend;
  inputs: Record<I, tf.TensorInfo>;
  attrs: A;
}

export interface WasmKernelConfig extends tf.KernelConfig {
  backendName: 'wasm';
}

/**
 * The tf.KernelFunc of a kernel written against KernelArgs; `optionalNames` are inputs an op may
 * leave out (they arrive in `optional`). tfjs passes the backend untyped and
 * the inputs and attributes as open maps; this is the one place that narrows them. The ops pass
 * every named input, so a missing one is a bug in the op (an Error naming it).
 */
export function wasmKernelFunc<I extends string, A extends tf.NamedAttrMap, O extends string = never>(
  kernelName: string,
  inputNames: readonly I[],
  kernel: (args: KernelArgs<I, A> & { optional: Partial<Record<O, tf.TensorInfo>> }) => tf.TensorInfo | tf.TensorInfo[],
  optionalNames: readonly O[] = [],
): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const named: Partial<Record<I, tf.TensorInfo>> = {};
    for (const name of inputNames) {
      const info = inputs[name];
      if (info === undefined) throw new Error(`${kernelName}: input ${name} is missing`);
      named[name] = info;
    }
    const optional: Partial<Record<O, tf.TensorInfo>> = {};
    for (const name of optionalNames) if (inputs[name] !== undefined) optional[name] = inputs[name];
    return kernel({ backend: backend as WasmBackend, inputs: named as Record<I, tf.TensorInfo>, attrs: (attrs ?? {}) as A, optional });
  };
}

/** The stock wasm Sigmoid kernel on x; the caller disposes the result. */
export function wasmSigmoid(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const kernel = tf.getKernel('Sigmoid', 'wasm');
  if (kernel === undefined) throw new Error('the wasm Sigmoid kernel is not registered');
  return kernel.kernelFunc({ inputs: { x }, backend, attrs: {} }) as tf.TensorInfo;
}

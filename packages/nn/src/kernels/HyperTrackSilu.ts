import type * as tf from '@tensorflow/tfjs-core';
import { f32 } from '../simd/heap';
import { wasmKernelFunc, wasmSigmoid, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { SILU } from './kernel-names';

function siluKernel({ backend, inputs }: KernelArgs<'x'>): tf.TensorInfo {
  const { x } = inputs;
  const y = wasmSigmoid(backend, x);
  const X = f32(backend, x);
  const Y = f32(backend, y);
  for (let i = 0; i < X.length; i++) Y[i] *= X[i];
  return y;
}

export const siluConfig: WasmKernelConfig = {
  kernelName: SILU,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(SILU, ['x'], siluKernel),
};

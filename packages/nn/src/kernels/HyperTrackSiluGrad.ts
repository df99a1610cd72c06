import type * as tf from '@tensorflow/tfjs-core';
import { f32 } from '../simd/heap';
import { wasmKernelFunc, wasmSigmoid, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { SILU_GRAD } from './kernel-names';

function siluGradKernel({ backend, inputs }: KernelArgs<'x' | 'dy'>): tf.TensorInfo {
  const { x, dy } = inputs;
  const dx = wasmSigmoid(backend, x);
  const X = f32(backend, x);
  const DY = f32(backend, dy);
  const DX = f32(backend, dx);
  for (let i = 0; i < X.length; i++) {
    const s = DX[i];
    DX[i] = DY[i] * s * (1 + X[i] * (1 - s));
  }
  return dx;
}

export const siluGradConfig: WasmKernelConfig = {
  kernelName: SILU_GRAD,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(SILU_GRAD, ['x', 'dy'], siluGradKernel),
};

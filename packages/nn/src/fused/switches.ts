import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackend } from '../simd/heap';
import { kernelState } from '../kernel-state';
import { registerWasmKernels } from '../kernels/register';
import { simdEdgeLoops, simdLoops } from '../kernels/simd-loops';

/** Turns the wasm custom kernels on or off (on by default; off gives the stock-op fallback). */
export function setFusedKernels(on: boolean): void {
  kernelState.fused = on;
}

/** Whether the fused kernels run their SIMD loops now (BatchNorm and per-edge ones alike). */
export function simdLoopsActive(): boolean {
  const backend = tf.backend() as WasmBackend;
  return fusedKernelsActive() && simdLoops(backend) !== null && simdEdgeLoops(backend) !== null;
}

/** Whether the fused wasm kernels are used now (wasm backend active, kernels on). */
export function fusedKernelsActive(): boolean {
  return kernelState.fused && tf.getBackend() === 'wasm' && registerWasmKernels();
}

import type * as tf from '@tensorflow/tfjs-core';
import { kernelState } from '../kernel-state';
import { wasmApi, type WasmMemory } from './wasm-api';

/**
 * Wasm heap access. The wasm backend keeps every tensor in its heap; `typedArrayFromHeap` gives a
 * view of one. A view is invalidated when the heap grows, so kernels take views only after every
 * output of theirs has been allocated.
 */
export interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** The Emscripten module; its heap is the exported memory (`asm.memory` in tfjs 4.22). */
  wasm?: { asm?: { memory?: unknown }; wasmMemory?: unknown };
}

/**
 * Turns the SIMD loops inside the wasm kernels (fused ops, the weight-gradient product) on or off
 * (on by default; off runs JS loops or the stock kernels). For benchmarks and tests; both give the
 * same results up to rounding.
 */
export function setSimdLoops(on: boolean): void {
  kernelState.simdLoops = on;
}

/** The backend's heap memory, when SIMD loops are on and the heap is reachable; else null. */
export function simdHeap(backend: WasmBackend): WasmMemory | null {
  if (!kernelState.simdLoops) return null;
  const memory = backend.wasm?.asm?.memory ?? backend.wasm?.wasmMemory;
  return memory instanceof wasmApi.Memory ? memory : null;
}

export function f32(backend: WasmBackend, info: tf.TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new TypeError(`expected a float32 tensor, got ${info.dtype}`);
  return view;
}

export function i32(backend: WasmBackend, info: tf.TensorInfo): Int32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Int32Array)) throw new TypeError(`expected an int32 tensor, got ${info.dtype}`);
  return view;
}

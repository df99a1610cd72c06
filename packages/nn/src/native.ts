import * as tf from '@tensorflow/tfjs-core';
import { loadNativeKernels, type NativeAddon, type NativeKernels } from '@hypertrack/native';
import { kernelState } from './kernel-state';
import { wasmApi } from './simd/wasm-api';
import type { WasmBackend } from './simd/heap';

/** The native kernels and the heap they work on, for one kernel call. */
export interface NativeCall {
  readonly addon: NativeAddon;
  /** The wasm memory's buffer now; taken after every output of the call has been allocated. */
  readonly heap: () => ArrayBuffer;
  /** Byte offset of a tensor in the heap. */
  readonly at: (info: tf.TensorInfo) => number;
  readonly blas: string | null;
}

/** The native kernels as they load in this thread, or null with the reason (see nativeStatus). */
export function nativeKernels(): NativeKernels | null {
  return loadNativeKernels().kernels;
}

/** One line on the native path: what runs, or why it does not. */
export function nativeStatus(): string {
  const load = loadNativeKernels();
  if (load.kernels === null) return `native kernels off: ${load.reason}`;
  if (!kernelState.native) return 'native kernels off: switched off (kernels.native = false)';
  return `native kernels: ${load.kernels.description}, ${load.kernels.addon.describe().kernelThreads} thread(s)`;
}

/**
 * The native path for a kernel on this backend, or null: switched off, not built, or the heap is
 * not reachable. The kernels fall back to their WebAssembly loops then.
 */
export function nativeCall(backend: WasmBackend): NativeCall | null {
  if (!kernelState.native) return null;
  const kernels = nativeKernels();
  if (kernels === null) return null;
  const memory = backend.wasm?.asm?.memory ?? backend.wasm?.wasmMemory;
  if (!(memory instanceof wasmApi.Memory)) return null;
  kernelState.nativeCalls++;
  return {
    addon: kernels.addon,
    heap: () => memory.buffer,
    at: (info) => backend.typedArrayFromHeap(info).byteOffset,
    blas: kernels.blas,
  };
}

/** Throws the RangeError of the JS check when a native kernel reports a bad row index. */
export function checkNativeIndex(op: string, badEdge: number, name: string, rows: number): void {
  if (badEdge >= 0) throw new RangeError(`${op}: ${name}[${badEdge}] is outside the ${rows} rows 0..${rows - 1}`);
}

/** Sets the threads of the native kernels and their BLAS (no-op without native kernels). */
export function setNativeThreads(threads: number): void {
  nativeKernels()?.addon.setThreads(threads);
}

/** Whether ops run their kernels natively now: native kernels on and loaded, wasm backend active. */
export function nativeKernelsActive(): boolean {
  return kernelState.native && tf.getBackend() === 'wasm' && nativeKernels() !== null;
}

import { batchNormLoops, type BatchNormLoops } from '../simd/batchnorm-simd';
import { edgeLoops, type EdgeLoops } from '../simd/edge-simd';
import { simdHeap, type WasmBackend } from '../simd/heap';

/** The BatchNorm SIMD loops over this backend's heap, or null (no SIMD, no heap, or turned off). */
export function simdLoops(backend: WasmBackend): BatchNormLoops | null {
  const memory = simdHeap(backend);
  return memory === null ? null : batchNormLoops(memory);
}

/** The per-edge SIMD loops over this backend's heap, or null. */
export function simdEdgeLoops(backend: WasmBackend): EdgeLoops | null {
  const memory = simdHeap(backend);
  return memory === null ? null : edgeLoops(memory);
}

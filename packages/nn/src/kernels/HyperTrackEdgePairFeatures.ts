import type * as tf from '@tensorflow/tfjs-core';
import { f32, i32 } from '../simd/heap';
import { wasmKernelFunc, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { PAIR } from './kernel-names';
import { nativeCall } from '../native';
import { checkRowIndices, failIndexCheck } from './row-indices';
import { simdEdgeLoops } from './simd-loops';

/** out[e] = [h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr_e] with j = src[e], i = dst[e]. */
function pairKernel({ backend, inputs }: KernelArgs<'h' | 'src' | 'dst' | 'attr'>): tf.TensorInfo {
  const { h, src, dst, attr } = inputs;
  const d = h.shape[1];
  const edges = src.shape[0];
  const width = d + 3;
  const native = nativeCall(backend);
  if (native !== null) {
    const out = backend.makeOutput([edges, width], 'float32');
    const at = native.at;
    const bad = native.addon.edgePairFeatures(native.heap(), at(h), h.shape[0], at(src), at(dst), at(attr), at(out), edges, d);
    if (bad >= 0) failIndexCheck(backend, out, () => checkRowIndices('edgePairFeatures', backend, h.shape[0], { src, dst }));
    return out;
  }
  checkRowIndices('edgePairFeatures', backend, h.shape[0], { src, dst });
  const out = backend.makeOutput([edges, width], 'float32');
  const H = f32(backend, h);
  const S = i32(backend, src);
  const D = i32(backend, dst);
  const A = f32(backend, attr);
  const O = f32(backend, out);
  const loops = d > 0 && d % 4 === 0 ? simdEdgeLoops(backend) : null;
  if (loops !== null) {
    loops.pairForward(H.byteOffset, S.byteOffset, D.byteOffset, A.byteOffset, O.byteOffset, edges, 4 * d, 4 * width);
    return out;
  }
  for (let e = 0; e < edges; e++) {
    const j = S[e] * d;
    const i = D[e] * d;
    const o = e * width;
    let dot = 0;
    let sq = 0;
    for (let k = 0; k < d; k++) {
      const a = H[j + k];
      const b = H[i + k];
      const p = a * b;
      O[o + k] = p;
      dot += p;
      sq += (a - b) * (a - b);
    }
    O[o + d] = Math.sqrt(sq);
    O[o + d + 1] = dot;
    O[o + d + 2] = A[e];
  }
  return out;
}

export const pairConfig: WasmKernelConfig = {
  kernelName: PAIR,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(PAIR, ['h', 'src', 'dst', 'attr'], pairKernel),
};

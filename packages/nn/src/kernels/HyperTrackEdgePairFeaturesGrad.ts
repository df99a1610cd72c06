import type * as tf from '@tensorflow/tfjs-core';
import { f32, i32 } from '../simd/heap';
import { wasmKernelFunc, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { PAIR_GRAD } from './kernel-names';
import { nativeCall } from '../native';
import { checkRowIndices, failIndexCheck } from './row-indices';
import { simdEdgeLoops } from './simd-loops';

/**
 * [dh, dattr]: with g = dout[e], dh_j += (g_prod + g_dot) h_i + g_norm (h_j - h_i) / |h_j - h_i| and
 * dh_i += (g_prod + g_dot) h_j - g_norm (h_j - h_i) / |h_j - h_i| (the norm term is 0 where
 * h_j = h_i, as in PyTorch), summed over the edges; dattr = g_attr.
 */
function pairGradKernel({ backend, inputs }: KernelArgs<'h' | 'src' | 'dst' | 'dy'>): tf.TensorInfo[] {
  const { h, src, dst, dy } = inputs;
  const [n, d] = h.shape;
  const edges = src.shape[0];
  const width = d + 3;
  const native = nativeCall(backend);
  if (native !== null) {
    const outputs = [backend.makeOutput([n, d], 'float32'), backend.makeOutput([edges, 1], 'float32')];
    const [dh, dattr] = outputs;
    const at = native.at;
    const bad = native.addon.edgePairFeaturesGrad(native.heap(), at(h), n, at(src), at(dst), at(dy), at(dh), at(dattr), edges, d);
    if (bad >= 0) failIndexCheck(backend, outputs, () => checkRowIndices('edgePairFeatures gradient', backend, n, { src, dst }));
    return outputs;
  }
  checkRowIndices('edgePairFeatures gradient', backend, n, { src, dst });
  const dh = backend.makeOutput([n, d], 'float32');
  const dattr = backend.makeOutput([edges, 1], 'float32');
  const H = f32(backend, h);
  const S = i32(backend, src);
  const D = i32(backend, dst);
  const G = f32(backend, dy);
  const DH = f32(backend, dh);
  const DA = f32(backend, dattr);
  DH.fill(0);
  const loops = d > 0 && d % 4 === 0 ? simdEdgeLoops(backend) : null;
  if (loops !== null) {
    loops.pairGrad(H.byteOffset, S.byteOffset, D.byteOffset, G.byteOffset, DH.byteOffset, DA.byteOffset, edges, 4 * d, 4 * width);
    return [dh, dattr];
  }
  for (let e = 0; e < edges; e++) {
    const j = S[e] * d;
    const i = D[e] * d;
    const o = e * width;
    let sq = 0;
    for (let k = 0; k < d; k++) sq += (H[j + k] - H[i + k]) * (H[j + k] - H[i + k]);
    const norm = Math.sqrt(sq);
    const gNorm = norm > 0 ? G[o + d] / norm : 0;
    const gDot = G[o + d + 1];
    for (let k = 0; k < d; k++) {
      const a = H[j + k];
      const b = H[i + k];
      const gp = G[o + k] + gDot;
      const gn = gNorm * (a - b);
      DH[j + k] += gp * b + gn;
      DH[i + k] += gp * a - gn;
    }
    DA[e] = G[o + d + 2];
  }
  return [dh, dattr];
}

export const pairGradConfig: WasmKernelConfig = {
  kernelName: PAIR_GRAD,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(PAIR_GRAD, ['h', 'src', 'dst', 'dy'], pairGradKernel),
};

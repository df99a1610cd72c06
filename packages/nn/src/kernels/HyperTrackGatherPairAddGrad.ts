import type * as tf from '@tensorflow/tfjs-core';
import { f32, i32 } from '../simd/heap';
import { wasmKernelFunc, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { GATHER_PAIR_ADD_GRAD, type GatherPairAddGradAttrs } from './kernel-names';
import { nativeCall } from '../native';
import { checkRowIndices, failIndexCheck } from './row-indices';
import { simdEdgeLoops } from './simd-loops';

/** dtable[first[e], :m] += dy[e] and dtable[second[e], m:] += dy[e], summed over the edges. */
function gatherPairAddGradKernel({ backend, inputs, attrs }: KernelArgs<'dy' | 'first' | 'second', GatherPairAddGradAttrs>): tf.TensorInfo {
  const { dy, first, second } = inputs;
  const { rows } = attrs;
  const [edges, m] = dy.shape;
  const native = nativeCall(backend);
  if (native !== null) {
    const dtable = backend.makeOutput([rows, 2 * m], 'float32');
    const at = native.at;
    const bad = native.addon.gatherPairAddGrad(native.heap(), at(dy), at(first), at(second), at(dtable), rows, edges, m);
    if (bad >= 0) failIndexCheck(backend, dtable, () => checkRowIndices('gatherPairAdd gradient', backend, rows, { first, second }));
    return dtable;
  }
  checkRowIndices('gatherPairAdd gradient', backend, rows, { first, second });
  const dtable = backend.makeOutput([rows, 2 * m], 'float32');
  const G = f32(backend, dy);
  const F = i32(backend, first);
  const S = i32(backend, second);
  const DT = f32(backend, dtable);
  DT.fill(0);
  const loops = m > 0 && m % 4 === 0 ? simdEdgeLoops(backend) : null;
  if (loops !== null) {
    loops.gatherPairAddGrad(G.byteOffset, F.byteOffset, S.byteOffset, DT.byteOffset, edges, 4 * m);
    return dtable;
  }
  for (let e = 0; e < edges; e++) {
    const a = F[e] * 2 * m;
    const b = S[e] * 2 * m + m;
    const o = e * m;
    for (let k = 0; k < m; k++) {
      const g = G[o + k];
      DT[a + k] += g;
      DT[b + k] += g;
    }
  }
  return dtable;
}

export const gatherPairAddGradConfig: WasmKernelConfig = {
  kernelName: GATHER_PAIR_ADD_GRAD,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(GATHER_PAIR_ADD_GRAD, ['dy', 'first', 'second'], gatherPairAddGradKernel),
};

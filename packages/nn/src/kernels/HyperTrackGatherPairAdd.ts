import type * as tf from '@tensorflow/tfjs-core';
import { f32, i32 } from '../simd/heap';
import { wasmKernelFunc, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { GATHER_PAIR_ADD } from './kernel-names';
import { nativeCall } from '../native';
import { checkRowIndices, failIndexCheck } from './row-indices';
import { simdEdgeLoops } from './simd-loops';

/** out[e] = edge[e] + table[first[e], :m] + table[second[e], m:]. */
function gatherPairAddKernel({ backend, inputs }: KernelArgs<'edge' | 'table' | 'first' | 'second'>): tf.TensorInfo {
  const { edge, table, first, second } = inputs;
  const [edges, m] = edge.shape;
  const native = nativeCall(backend);
  if (native !== null) {
    const out = backend.makeOutput([edges, m], 'float32');
    const at = native.at;
    const bad = native.addon.gatherPairAdd(native.heap(), at(edge), at(table), table.shape[0], at(first), at(second), at(out), edges, m);
    if (bad >= 0) failIndexCheck(backend, out, () => checkRowIndices('gatherPairAdd', backend, table.shape[0], { first, second }));
    return out;
  }
  checkRowIndices('gatherPairAdd', backend, table.shape[0], { first, second });
  const out = backend.makeOutput([edges, m], 'float32');
  const X = f32(backend, edge);
  const T = f32(backend, table);
  const F = i32(backend, first);
  const S = i32(backend, second);
  const O = f32(backend, out);
  const loops = m > 0 && m % 4 === 0 ? simdEdgeLoops(backend) : null;
  if (loops !== null) {
    loops.gatherPairAdd(X.byteOffset, T.byteOffset, F.byteOffset, S.byteOffset, O.byteOffset, edges, 4 * m);
    return out;
  }
  for (let e = 0; e < edges; e++) {
    const a = F[e] * 2 * m;
    const b = S[e] * 2 * m + m;
    const o = e * m;
    for (let k = 0; k < m; k++) O[o + k] = X[o + k] + T[a + k] + T[b + k];
  }
  return out;
}

export const gatherPairAddConfig: WasmKernelConfig = {
  kernelName: GATHER_PAIR_ADD,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(GATHER_PAIR_ADD, ['edge', 'table', 'first', 'second'], gatherPairAddKernel),
};

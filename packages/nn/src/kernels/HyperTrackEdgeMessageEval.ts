import type * as tf from '@tensorflow/tfjs-core';
import { nativeCall } from '../native';
import { wasmKernelFunc, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { EDGE_MESSAGE_EVAL, type ActBnAttrs } from './kernel-names';
import { runningAffine } from './running-affine';
import { checkRowIndices, failIndexCheck } from './row-indices';

/**
 * SuperEdgeConv's first message block in evaluation mode in one native pass over the edges: the
 * pair features of each tile of edges are built in cache, multiplied by w, the per-node halves
 * (table) added, then SiLU and the BatchNorm's running affine map. Native only (the op checks).
 */
function edgeMessageEvalKernel({ backend, inputs, attrs, optional }: KernelArgs<'h' | 'src' | 'dst' | 'attr' | 'w' | 'table' | 'weight' | 'bnBias' | 'mean' | 'variance', ActBnAttrs> & { optional: { geometry?: tf.TensorInfo } }): tf.TensorInfo {
  const { h, src, dst, attr, w, table, weight, bnBias, mean, variance } = inputs;
  const [nodes, d] = h.shape;
  const edges = src.shape[0];
  const m = w.shape[1];
  const g = optional.geometry === undefined ? 0 : optional.geometry.shape[1];
  const native = nativeCall(backend);
  if (native === null) throw new Error(`${EDGE_MESSAGE_EVAL}: the native kernels are not active`);
  const out = backend.makeOutput([edges, m], 'float32');
  const affine = runningAffine(backend, { weight, bias: bnBias, mean, variance }, attrs.eps);
  const at = native.at;
  const geometryAt = optional.geometry === undefined ? 0 : at(optional.geometry);
  const status = native.addon.messageEval(native.heap(), at(h), nodes, at(src), at(dst), at(attr), geometryAt, at(w), at(table), at(out), edges, d, g, m, attrs.act === 'silu' ? 1 : 0, at(affine), at(affine) + 4 * m);
  backend.disposeData(affine.dataId);
  if (status >= 0) failIndexCheck(backend, out, () => checkRowIndices('edgeMessageEval', backend, nodes, { src, dst }));
  if (status === -2) throw new Error(`${EDGE_MESSAGE_EVAL}: the native tiles do not run here or the widths do not fit`);
  return out;
}

export const edgeMessageEvalConfig: WasmKernelConfig = {
  kernelName: EDGE_MESSAGE_EVAL,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(EDGE_MESSAGE_EVAL, ['h', 'src', 'dst', 'attr', 'w', 'table', 'weight', 'bnBias', 'mean', 'variance'], edgeMessageEvalKernel, ['geometry']),
};

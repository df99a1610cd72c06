import type * as tf from '@tensorflow/tfjs-core';
import { f32 } from '../simd/heap';
import { blockPlan, replicate } from './batchnorm-blocks';
import { wasmKernelFunc, wasmSigmoid, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { ACT_BN_EVAL, type ActBnAttrs } from './kernel-names';
import { nativeCall } from '../native';

/** y = (act(x) - mean) / sqrt(variance + eps) * weight + bias with given (running) statistics. */
function actBatchNormEvalKernel({ backend, inputs, attrs, optional }: KernelArgs<'x' | 'weight' | 'bias' | 'mean' | 'variance', ActBnAttrs> & { optional: { xBias?: tf.TensorInfo } }): tf.TensorInfo {
  const { x, weight, bias, mean, variance } = inputs;
  const { act, eps } = attrs;
  const [rows, features] = x.shape;
  const silu = act === 'silu';
  const native = nativeCall(backend);
  if (native !== null) {
    const y = backend.makeOutput([rows, features], 'float32');
    const at = native.at;
    const xBias = optional.xBias === undefined ? 0 : at(optional.xBias);
    native.addon.actBatchNormEval(native.heap(), at(x), at(y), at(weight), at(bias), at(mean), at(variance), rows, features, silu ? 1 : 0, eps, xBias);
    return y;
  }
  if (optional.xBias !== undefined) throw new Error(`${ACT_BN_EVAL}: xBias needs the native kernels`);
  const sig = silu ? wasmSigmoid(backend, x) : null;
  const y = backend.makeOutput([rows, features], 'float32');
  // [scale, shift] x blockLen.
  const { loops, g, blockLen, blocks, scratch } = blockPlan(backend, rows, features, 2);
  const X = f32(backend, x);
  const S = sig === null ? null : f32(backend, sig);
  const Y = f32(backend, y);
  const W = f32(backend, weight);
  const B = f32(backend, bias);
  const M = f32(backend, mean);
  const V = f32(backend, variance);
  const T = scratch === null ? null : f32(backend, scratch);
  const scale = new Float32Array(features);
  const shift = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    scale[f] = W[f] / Math.sqrt(V[f] + eps);
    shift[f] = B[f] - M[f] * scale[f];
  }
  if (loops !== null && T !== null) {
    replicate(T, 0, scale, blockLen);
    replicate(T, blockLen, shift, blockLen);
    loops.evalApply(silu, X.byteOffset, S === null ? 0 : S.byteOffset, Y.byteOffset, blocks, 4 * blockLen, T.byteOffset, T.byteOffset + 4 * blockLen);
  }
  for (let i = blocks * g * features, f = 0; i < rows * features; i++) {
    Y[i] = (S === null ? X[i] : X[i] * S[i]) * scale[f] + shift[f];
    if (++f === features) f = 0;
  }
  if (scratch !== null) backend.disposeData(scratch.dataId);
  if (sig !== null) backend.disposeData(sig.dataId);
  return y;
}

export const actBatchNormEvalConfig: WasmKernelConfig = {
  kernelName: ACT_BN_EVAL,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(ACT_BN_EVAL, ['x', 'weight', 'bias', 'mean', 'variance'], actBatchNormEvalKernel, ['xBias']),
};

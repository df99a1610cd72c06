import type * as tf from '@tensorflow/tfjs-core';
import { f32 } from '../simd/heap';
import { blockPlan, replicate, SUM_CHUNK_BLOCKS } from './batchnorm-blocks';
import { wasmKernelFunc, wasmSigmoid, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { ACT_BN, type ActBnAttrs } from './kernel-names';
import { nativeCall } from '../native';

/**
 * [y, mean, variance]: a = act(x), y = (a - mean) / sqrt(variance + eps) * weight + bias; natively
 * also with an optional xBias (the preceding dense layer's bias): a = act(x + xBias).
 */
function actBatchNormKernel({ backend, inputs, attrs, optional }: KernelArgs<'x' | 'weight' | 'bias', ActBnAttrs> & { optional: { xBias?: tf.TensorInfo } }): tf.TensorInfo[] {
  const { x, weight, bias } = inputs;
  const { act, eps } = attrs;
  const [rows, features] = x.shape;
  const silu = act === 'silu';
  const native = nativeCall(backend);
  if (native !== null) {
    const outputs = [[rows, features], [features], [features]].map((shape) => backend.makeOutput(shape, 'float32'));
    const [y, mean, variance] = outputs;
    const at = native.at;
    const xBias = optional.xBias === undefined ? 0 : at(optional.xBias);
    native.addon.actBatchNorm(native.heap(), at(x), at(y), at(mean), at(variance), at(weight), at(bias), rows, features, silu ? 1 : 0, eps, xBias);
    return outputs;
  }
  if (optional.xBias !== undefined) throw new Error(`${ACT_BN}: xBias needs the native kernels (the op adds it before the kernel otherwise)`);
  const sig = silu ? wasmSigmoid(backend, x) : null;
  const y = backend.makeOutput([rows, features], 'float32');
  const mean = backend.makeOutput([features], 'float32');
  const variance = backend.makeOutput([features], 'float32');
  // [sum, sq, scale, shift, centre] x blockLen: accumulators, the replicated affine map, the centre.
  const { loops, g, blockLen, blocks, scratch } = blockPlan(backend, rows, features, 5);
  const X = f32(backend, x);
  const S = sig === null ? null : f32(backend, sig);
  const Y = f32(backend, y);
  const W = f32(backend, weight);
  const B = f32(backend, bias);
  const T = scratch === null ? null : f32(backend, scratch);
  // Sums of a - centre with the first row as centre: the variance E[d^2] - E[d]^2 then does not
  // cancel when the mean is large against the spread (raw millimetres in the first layer).
  const centre = new Float32Array(features);
  if (rows > 0) for (let f = 0; f < features; f++) centre[f] = S === null ? X[f] : X[f] * S[f];
  const sum = new Float64Array(features);
  const sq = new Float64Array(features);
  if (loops !== null && T !== null) {
    T.fill(0, 0, 2 * blockLen);
    replicate(T, 4 * blockLen, centre, blockLen);
    for (let b0 = 0; b0 < blocks; b0 += SUM_CHUNK_BLOCKS) {
      const count = Math.min(SUM_CHUNK_BLOCKS, blocks - b0);
      const offset = 4 * b0 * blockLen;
      loops.stats(silu, X.byteOffset + offset, S === null ? 0 : S.byteOffset + offset, Y.byteOffset + offset, count, 4 * blockLen, T.byteOffset + 16 * blockLen, T.byteOffset, T.byteOffset + 4 * blockLen);
      for (let j = 0; j < blockLen; j++) {
        sum[j % features] += T[j];
        sq[j % features] += T[blockLen + j];
      }
      T.fill(0, 0, 2 * blockLen);
    }
  }
  const simdEnd = blocks * g * features;
  for (let i = simdEnd, f = 0; i < rows * features; i++) {
    const a = S === null ? X[i] : X[i] * S[i];
    Y[i] = a;
    const d = a - centre[f];
    sum[f] += d;
    sq[f] += d * d;
    if (++f === features) f = 0;
  }
  const M = f32(backend, mean);
  const V = f32(backend, variance);
  const scale = new Float32Array(features);
  const shift = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    const offset = sum[f] / rows;
    const m = centre[f] + offset;
    const v = Math.max(sq[f] / rows - offset * offset, 0);
    M[f] = m;
    V[f] = v;
    scale[f] = W[f] / Math.sqrt(v + eps);
    shift[f] = B[f] - m * scale[f];
  }
  if (loops !== null && T !== null) {
    replicate(T, 2 * blockLen, scale, blockLen);
    replicate(T, 3 * blockLen, shift, blockLen);
    loops.apply(Y.byteOffset, blocks, 4 * blockLen, T.byteOffset + 8 * blockLen, T.byteOffset + 12 * blockLen);
  }
  for (let i = simdEnd, f = 0; i < rows * features; i++) {
    Y[i] = Y[i] * scale[f] + shift[f];
    if (++f === features) f = 0;
  }
  if (scratch !== null) backend.disposeData(scratch.dataId);
  if (sig !== null) backend.disposeData(sig.dataId);
  return [y, mean, variance];
}

export const actBatchNormConfig: WasmKernelConfig = {
  kernelName: ACT_BN,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(ACT_BN, ['x', 'weight', 'bias'], actBatchNormKernel, ['xBias']),
};

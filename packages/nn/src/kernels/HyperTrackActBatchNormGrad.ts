import type * as tf from '@tensorflow/tfjs-core';
import { f32 } from '../simd/heap';
import { blockPlan, replicate, SUM_CHUNK_BLOCKS } from './batchnorm-blocks';
import { wasmKernelFunc, wasmSigmoid, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { ACT_BN_GRAD, type ActBnAttrs } from './kernel-names';
import { nativeCall } from '../native';

/**
 * [dx, dweight, dbias] of actBatchNorm, with x̂ = (a - mean) / sqrt(variance + eps):
 * dbias = Σ dy, dweight = Σ dy x̂, da = weight / sqrt(variance + eps) (dy - dbias / R - x̂ dweight / R),
 * dx = da · act'(x) (SiLU: s (1 + x (1 - s)) with s = sigmoid(x)). Natively, with an xBias input,
 * x + xBias replaces x and a fourth output is dxBias = Σ dx.
 */
function actBatchNormGradKernel({ backend, inputs, attrs, optional }: KernelArgs<'x' | 'dy' | 'weight' | 'mean' | 'variance', ActBnAttrs> & { optional: { xBias?: tf.TensorInfo } }): tf.TensorInfo[] {
  const { x, dy, weight, mean, variance } = inputs;
  const { act, eps } = attrs;
  const [rows, features] = x.shape;
  const silu = act === 'silu';
  const native = nativeCall(backend);
  if (native !== null) {
    const withBias = optional.xBias !== undefined;
    const shapes = withBias ? [[rows, features], [features], [features], [features]] : [[rows, features], [features], [features]];
    const outputs = shapes.map((shape) => backend.makeOutput(shape, 'float32'));
    const [dx, dweight, dbias, dxBias] = outputs;
    const at = native.at;
    const [xBiasAt, dxBiasAt] = optional.xBias === undefined ? [0, 0] : [at(optional.xBias), at(dxBias)];
    native.addon.actBatchNormGrad(native.heap(), at(x), at(dy), at(weight), at(mean), at(variance), at(dx), at(dweight), at(dbias), rows, features, silu ? 1 : 0, eps, xBiasAt, dxBiasAt);
    return outputs;
  }
  if (optional.xBias !== undefined) throw new Error(`${ACT_BN_GRAD}: xBias needs the native kernels`);
  const sig = silu ? wasmSigmoid(backend, x) : null;
  const dx = backend.makeOutput([rows, features], 'float32');
  const dweight = backend.makeOutput([features], 'float32');
  const dbias = backend.makeOutput([features], 'float32');
  // [mean, invStd, coef, meanDy, meanDyXhat, accDy, accDyXhat] x blockLen.
  const { loops, g, blockLen, blocks, scratch } = blockPlan(backend, rows, features, 7);
  const X = f32(backend, x);
  const S = sig === null ? null : f32(backend, sig);
  const DY = f32(backend, dy);
  const DX = f32(backend, dx);
  const W = f32(backend, weight);
  const M = f32(backend, mean);
  const V = f32(backend, variance);
  const T = scratch === null ? null : f32(backend, scratch);
  const at = (slot: number) => (T === null ? 0 : T.byteOffset + 4 * slot * blockLen);
  const invStd = new Float32Array(features);
  for (let f = 0; f < features; f++) invStd[f] = 1 / Math.sqrt(V[f] + eps);
  const sumDy = new Float64Array(features);
  const sumDyXhat = new Float64Array(features);
  if (loops !== null && T !== null) {
    replicate(T, 0, M, blockLen);
    replicate(T, blockLen, invStd, blockLen);
    T.fill(0, 5 * blockLen, 7 * blockLen);
    for (let b0 = 0; b0 < blocks; b0 += SUM_CHUNK_BLOCKS) {
      const count = Math.min(SUM_CHUNK_BLOCKS, blocks - b0);
      const offset = 4 * b0 * blockLen;
      loops.gradSums(silu, X.byteOffset + offset, S === null ? 0 : S.byteOffset + offset, DY.byteOffset + offset, count, 4 * blockLen, at(0), at(1), at(5), at(6));
      for (let j = 0; j < blockLen; j++) {
        sumDy[j % features] += T[5 * blockLen + j];
        sumDyXhat[j % features] += T[6 * blockLen + j];
      }
      T.fill(0, 5 * blockLen, 7 * blockLen);
    }
  }
  const simdEnd = blocks * g * features;
  for (let i = simdEnd, f = 0; i < rows * features; i++) {
    const a = S === null ? X[i] : X[i] * S[i];
    const gi = DY[i];
    sumDy[f] += gi;
    sumDyXhat[f] += gi * (a - M[f]) * invStd[f];
    if (++f === features) f = 0;
  }
  const DW = f32(backend, dweight);
  const DB = f32(backend, dbias);
  const coef = new Float32Array(features);
  const meanDy = new Float32Array(features);
  const meanDyXhat = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    DW[f] = sumDyXhat[f];
    DB[f] = sumDy[f];
    coef[f] = W[f] * invStd[f];
    meanDy[f] = sumDy[f] / rows;
    meanDyXhat[f] = sumDyXhat[f] / rows;
  }
  if (loops !== null && T !== null) {
    replicate(T, 2 * blockLen, coef, blockLen);
    replicate(T, 3 * blockLen, meanDy, blockLen);
    replicate(T, 4 * blockLen, meanDyXhat, blockLen);
    loops.gradDx(silu, X.byteOffset, S === null ? 0 : S.byteOffset, DY.byteOffset, DX.byteOffset, blocks, 4 * blockLen, at(0), at(1), at(2), at(3), at(4));
  }
  for (let i = simdEnd, f = 0; i < rows * features; i++) {
    const xi = X[i];
    if (S === null) {
      const xhat = (xi - M[f]) * invStd[f];
      DX[i] = coef[f] * (DY[i] - meanDy[f] - xhat * meanDyXhat[f]);
    } else {
      const s = S[i];
      const xhat = (xi * s - M[f]) * invStd[f];
      DX[i] = coef[f] * (DY[i] - meanDy[f] - xhat * meanDyXhat[f]) * (s * (1 + xi * (1 - s)));
    }
    if (++f === features) f = 0;
  }
  if (scratch !== null) backend.disposeData(scratch.dataId);
  if (sig !== null) backend.disposeData(sig.dataId);
  return [dx, dweight, dbias];
}

export const actBatchNormGradConfig: WasmKernelConfig = {
  kernelName: ACT_BN_GRAD,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(ACT_BN_GRAD, ['x', 'dy', 'weight', 'mean', 'variance'], actBatchNormGradKernel, ['xBias']),
};

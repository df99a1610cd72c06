import type * as tf from '@tensorflow/tfjs-core';
import { nativeCall } from '../native';
import { wasmKernelFunc, type KernelArgs, type WasmKernelConfig } from './kernel-helper';
import { DENSE_ACT_BN_EVAL, type ActBnAttrs } from './kernel-names';
import { runningAffine } from './running-affine';

/**
 * A Linear -> act -> BatchNorm block in evaluation mode in one native pass: y = act(x W + b) * s + t
 * with s = weight / sqrt(variance + eps) and t = bnBias - mean * s, applied to each tile of the
 * product while it is in cache. Native only: the op checks `denseEvalFits` before running it.
 */
function denseActBatchNormEvalKernel({ backend, inputs, attrs }: KernelArgs<'x' | 'kernel' | 'bias' | 'weight' | 'bnBias' | 'mean' | 'variance', ActBnAttrs>): tf.TensorInfo {
  const { x, kernel, bias, weight, bnBias, mean, variance } = inputs;
  const [rows, inFeatures] = x.shape;
  const outFeatures = kernel.shape[1];
  const native = nativeCall(backend);
  if (native === null) throw new Error(`${DENSE_ACT_BN_EVAL}: the native kernels are not active`);
  const y = backend.makeOutput([rows, outFeatures], 'float32');
  const affine = runningAffine(backend, { weight, bias: bnBias, mean, variance }, attrs.eps);
  const at = native.at;
  const shiftAt = at(affine) + 4 * outFeatures;
  const ran = native.addon.denseEval(native.heap(), at(x), at(kernel), at(y), rows, inFeatures, outFeatures, at(bias), attrs.act === 'silu' ? 1 : 0, at(affine), shiftAt);
  backend.disposeData(affine.dataId);
  if (!ran) throw new Error(`${DENSE_ACT_BN_EVAL}: [${rows}, ${inFeatures}] x [${inFeatures}, ${outFeatures}] does not fit the native tiles`);
  return y;
}

export const denseActBatchNormEvalConfig: WasmKernelConfig = {
  kernelName: DENSE_ACT_BN_EVAL,
  backendName: 'wasm',
  kernelFunc: wasmKernelFunc(DENSE_ACT_BN_EVAL, ['x', 'kernel', 'bias', 'weight', 'bnBias', 'mean', 'variance'], denseActBatchNormEvalKernel),
};

import * as tf from '@tensorflow/tfjs-core';
import { DENSE_ACT_BN_EVAL, type Act, type ActBnAttrs } from '../kernels/kernel-names';
import { nativeKernels, nativeKernelsActive } from '../native';
import { actBatchNormEval } from './act-batchnorm-eval';
import { fusedKernelsActive } from './switches';

/** The BatchNorm of a block in evaluation mode: its affine parameters and running statistics. */
export interface EvalBatchNorm {
  readonly weight: tf.Tensor1D;
  readonly bias: tf.Tensor1D;
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  readonly eps: number;
}

/** Whether the one-pass native kernel takes a [rows, in] x [in, out] block here and now. */
function fusedHere(rows: number, inFeatures: number, outFeatures: number): boolean {
  if (!(fusedKernelsActive() && nativeKernelsActive())) return false;
  const kernels = nativeKernels();
  return kernels !== null && kernels.addon.denseEvalFits(rows, inFeatures, outFeatures);
}

/**
 * A Linear -> act -> BatchNorm block in evaluation mode: `BatchNorm(act(x W + b))` with the running
 * statistics. Where the native AVX-512 tiles run and the block is narrow (a layer over edges), one
 * pass: the activation and the BatchNorm's affine map are applied to each tile of the product while
 * it is in cache, so the block's output is written once. Elsewhere it is `actBatchNormEval` after
 * the product, with the same results up to rounding. Differentiable in x, W, b and the BatchNorm's
 * weight and bias (the statistics are constants).
 */
export function denseActBatchNormEval(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, norm: EvalBatchNorm, act: Act): tf.Tensor2D {
  const [rows, inFeatures] = x.shape;
  const outFeatures = kernel.shape[1];
  if (kernel.shape[0] !== inFeatures) throw new RangeError(`denseActBatchNormEval: x has ${inFeatures} features, the kernel expects ${kernel.shape[0]}`);
  const attrs: ActBnAttrs = { act, eps: norm.eps };
  if (!fusedHere(rows, inFeatures, outFeatures)) {
    return tf.tidy(() => actBatchNormEval(tf.matMul(x, kernel), norm.weight, norm.bias, norm.mean, norm.variance, { act, eps: norm.eps, inputBias: bias }));
  }
  const { mean, variance } = norm;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, w, b, bnWeight, bnBias] = args as tf.Tensor[];
    const save = args[5] as tf.GradSaveFunc;
    save([input, w, b, bnWeight]);
    const value = tf.engine().runKernel(DENSE_ACT_BN_EVAL, { x: input, kernel: w, bias: b, weight: bnWeight, bnBias, mean, variance }, attrs) as tf.Tensor;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, bs, bnw] = saved;
        return tf.tidy(() => {
          const z = tf.add(tf.matMul(xs, ws), bs);
          const invStd = tf.rsqrt(tf.add(variance, norm.eps));
          const sig = act === 'silu' ? tf.sigmoid(z) : null;
          const a = sig === null ? z : tf.mul(z, sig);
          const xhat = tf.mul(tf.sub(a, mean), invStd);
          const da = tf.mul(dy, tf.mul(bnw, invStd));
          const dz = sig === null ? da : tf.mul(da, tf.mul(sig, tf.add(1, tf.mul(z, tf.sub(1, sig)))));
          return [tf.matMul(dz, ws, false, true), tf.matMul(xs, dz, true, false), tf.sum(dz, 0), tf.sum(tf.mul(dy, xhat), 0), tf.sum(dy, 0)];
        });
      },
    };
  });
  return op(x, kernel, bias, norm.weight, norm.bias) as tf.Tensor2D;
}

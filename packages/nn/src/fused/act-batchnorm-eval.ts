import * as tf from '@tensorflow/tfjs-core';
import { ACT_BN_EVAL, type Act, type ActBnAttrs } from '../kernels/kernel-names';
import { stockAct } from './stock-act';
import { fusedKernelsActive } from './switches';

/**
 * BatchNorm in evaluation mode after an optional activation, as one op: the given (running)
 * statistics, `y = (act(x) - mean) / sqrt(variance + eps) * weight + bias`. On wasm one SIMD pass
 * after the sigmoid (the stock path runs SiLU and FusedBatchNorm, about 20 ms each at 60k x 64);
 * differentiable in x, weight and bias (the statistics are constants).
 */
export function actBatchNormEval(
  x: tf.Tensor2D,
  weight: tf.Tensor1D,
  bias: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  options: { act?: Act; eps?: number } = {},
): tf.Tensor2D {
  const attrs: ActBnAttrs = { act: options.act ?? 'none', eps: options.eps ?? 1e-5 };
  if (x.rank !== 2) throw new RangeError(`actBatchNormEval expects [rows, features], got [${x.shape.join(', ')}]`);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, w, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    save([input, w]);
    const value = fusedKernelsActive()
      ? (tf.engine().runKernel(ACT_BN_EVAL, { x: input, weight: w, bias: b, mean, variance }, attrs) as tf.Tensor)
      : tf.tidy(() => tf.batchNorm(stockAct(attrs.act, input), mean, variance, b, w, attrs.eps));
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved;
        return tf.tidy(() => {
          const invStd = tf.rsqrt(tf.add(variance, attrs.eps));
          const sig = attrs.act === 'silu' ? tf.sigmoid(xs) : null;
          const a = sig === null ? xs : tf.mul(xs, sig);
          const xhat = tf.mul(tf.sub(a, mean), invStd);
          const da = tf.mul(dy, tf.mul(ws, invStd));
          const dx = sig === null ? da : tf.mul(da, tf.mul(sig, tf.add(1, tf.mul(xs, tf.sub(1, sig)))));
          return [dx, tf.sum(tf.mul(dy, xhat), 0), tf.sum(dy, 0)];
        });
      },
    };
  });
  return op(x, weight, bias) as tf.Tensor2D;
}

import * as tf from '@tensorflow/tfjs-core';
import { ACT_BN_EVAL, type Act, type ActBnAttrs } from '../kernels/kernel-names';
import { stockAct } from './stock-act';
import { fusedKernelsActive } from './switches';
import { nativeKernelsActive } from '../native';
import { withOptionalBias } from './custom-grad-args';

/**
 * BatchNorm in evaluation mode after an optional activation, as one op: the given (running)
 * statistics, `y = (act(x) - mean) / sqrt(variance + eps) * weight + bias`. On wasm one SIMD pass
 * after the sigmoid (the stock path runs SiLU and FusedBatchNorm, about 20 ms each at 60k x 64);
 * differentiable in x, weight and bias (the statistics are constants). `inputBias`, the bias of the
 * dense layer before it, makes it act(x + inputBias), folded into the native kernel's pass.
 */
export function actBatchNormEval(
  x: tf.Tensor2D,
  weight: tf.Tensor1D,
  bias: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  options: { act?: Act; eps?: number; inputBias?: tf.Tensor1D } = {},
): tf.Tensor2D {
  const attrs: ActBnAttrs = { act: options.act ?? 'none', eps: options.eps ?? 1e-5 };
  if (x.rank !== 2) throw new RangeError(`actBatchNormEval expects [rows, features], got [${x.shape.join(', ')}]`);
  const { inputBias } = options;
  if (inputBias !== undefined && inputBias.shape[0] !== x.shape[1]) throw new RangeError(`actBatchNormEval: inputBias must have ${x.shape[1]} entries`);
  // The native kernel adds the input bias in its pass; elsewhere it is a separate add.
  if (inputBias !== undefined && !(fusedKernelsActive() && nativeKernelsActive())) {
    return tf.tidy(() => actBatchNormEval(tf.add(x, inputBias) as tf.Tensor2D, weight, bias, mean, variance, { act: attrs.act, eps: attrs.eps }));
  }
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const { x: input, w, b, xBias, save } = withOptionalBias(args, inputBias !== undefined);
    save(xBias === undefined ? [input, w] : [input, w, xBias]);
    const inputs: tf.NamedTensorMap = { x: input, weight: w, bias: b, mean, variance };
    if (xBias !== undefined) inputs.xBias = xBias;
    const value = fusedKernelsActive()
      ? (tf.engine().runKernel(ACT_BN_EVAL, inputs, attrs) as tf.Tensor)
      : tf.tidy(() => tf.batchNorm(stockAct(attrs.act, input), mean, variance, b, w, attrs.eps));
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, xbs] = saved;
        return tf.tidy(() => {
          const z = xbs === undefined ? xs : tf.add(xs, xbs);
          const invStd = tf.rsqrt(tf.add(variance, attrs.eps));
          const sig = attrs.act === 'silu' ? tf.sigmoid(z) : null;
          const a = sig === null ? z : tf.mul(z, sig);
          const xhat = tf.mul(tf.sub(a, mean), invStd);
          const da = tf.mul(dy, tf.mul(ws, invStd));
          const dx = sig === null ? da : tf.mul(da, tf.mul(sig, tf.add(1, tf.mul(z, tf.sub(1, sig)))));
          const grads = [dx, tf.sum(tf.mul(dy, xhat), 0), tf.sum(dy, 0)];
          return xbs === undefined ? grads : [...grads, tf.sum(dx, 0)];
        });
      },
    };
  });
  return (inputBias === undefined ? op(x, weight, bias) : op(x, weight, bias, inputBias)) as tf.Tensor2D;
}

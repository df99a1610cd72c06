import * as tf from '@tensorflow/tfjs-core';
import { ACT_BN, ACT_BN_GRAD, type Act, type ActBnAttrs } from '../kernels/kernel-names';
import { stockAct } from './stock-act';
import { fusedKernelsActive } from './switches';
import { nativeKernelsActive } from '../native';
import { withOptionalBias } from './custom-grad-args';

function actBatchNormForward(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, attrs: ActBnAttrs, xBias?: tf.Tensor): tf.Tensor[] {
  if (xBias !== undefined) return tf.engine().runKernel(ACT_BN, { x, weight, bias, xBias }, attrs) as tf.Tensor[];
  if (fusedKernelsActive()) {
    return tf.engine().runKernel(ACT_BN, { x, weight, bias }, attrs) as tf.Tensor[];
  }
  return tf.tidy(() => {
    const a = stockAct(attrs.act, x);
    const { mean, variance } = tf.moments(a, 0);
    return [tf.batchNorm(a, mean, variance, bias, weight, attrs.eps), mean, variance];
  });
}

function actBatchNormBackward(x: tf.Tensor, dy: tf.Tensor, weight: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, attrs: ActBnAttrs, xBias?: tf.Tensor): tf.Tensor[] {
  if (xBias !== undefined) return tf.engine().runKernel(ACT_BN_GRAD, { x, dy, weight, mean, variance, xBias }, attrs) as tf.Tensor[];
  if (fusedKernelsActive()) {
    return tf.engine().runKernel(ACT_BN_GRAD, { x, dy, weight, mean, variance }, attrs) as tf.Tensor[];
  }
  return tf.tidy(() => {
    const rows = x.shape[0];
    const sig = attrs.act === 'silu' ? tf.sigmoid(x) : null;
    const a = sig === null ? x : tf.mul(x, sig);
    const invStd = tf.rsqrt(tf.add(variance, attrs.eps));
    const xhat = tf.mul(tf.sub(a, mean), invStd);
    const dbias = tf.sum(dy, 0);
    const dweight = tf.sum(tf.mul(dy, xhat), 0);
    const da = tf.mul(
      tf.mul(weight, invStd),
      tf.sub(tf.sub(dy, tf.div(dbias, rows)), tf.mul(xhat, tf.div(dweight, rows))),
    );
    const dx = sig === null ? da : tf.mul(da, tf.mul(sig, tf.add(1, tf.mul(x, tf.sub(1, sig)))));
    return [dx, dweight, dbias];
  });
}

export interface ActBatchNormResult {
  /** The normalised output [rows, features]; differentiable in x, weight and bias. */
  readonly y: tf.Tensor2D;
  /** Batch mean and biased variance of act(x) [features] (for the running statistics; constants). */
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

/**
 * BatchNorm in training mode after an optional activation, as one op:
 * `a = act(x)`, `y = (a - mean(a)) / sqrt(var(a) + eps) * weight + bias` with the batch mean and
 * biased variance over the rows. Only x and the [features] statistics are kept for the backward
 * pass (the stock composition keeps a, the centred a and more, and its gradient tiles the
 * statistics to [rows, features]). `act` is 'silu' (PyTorch's order Linear -> SiLU -> BatchNorm)
 * or 'none'. `inputBias`, the bias of the dense layer before it, makes it act(x + inputBias):
 * the native kernels fold that add (and the bias gradient) into their passes over the rows.
 */
export function actBatchNorm(
  x: tf.Tensor2D,
  weight: tf.Tensor1D,
  bias: tf.Tensor1D,
  options: { act?: Act; eps?: number; inputBias?: tf.Tensor1D } = {},
): ActBatchNormResult {
  const attrs: ActBnAttrs = { act: options.act ?? 'none', eps: options.eps ?? 1e-5 };
  if (x.rank !== 2) throw new RangeError(`actBatchNorm expects [rows, features], got [${x.shape.join(', ')}]`);
  if (weight.shape[0] !== x.shape[1] || bias.shape[0] !== x.shape[1]) {
    throw new RangeError(`actBatchNorm: weight and bias must have ${x.shape[1]} entries`);
  }
  const { inputBias } = options;
  if (inputBias !== undefined && inputBias.shape[0] !== x.shape[1]) throw new RangeError(`actBatchNorm: inputBias must have ${x.shape[1]} entries`);
  // The native kernels add the input bias in their first pass; elsewhere it is a separate add.
  if (inputBias !== undefined && !(fusedKernelsActive() && nativeKernelsActive())) {
    return tf.tidy(() => {
      const { y, mean, variance } = actBatchNorm(tf.add(x, inputBias) as tf.Tensor2D, weight, bias, { act: attrs.act, eps: attrs.eps });
      return { y, mean, variance };
    });
  }
  let stats: tf.Tensor[] = [];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const { x: input, w, b, xBias, save } = withOptionalBias(args, inputBias !== undefined);
    const [y, mean, variance] = actBatchNormForward(input as tf.Tensor2D, w as tf.Tensor1D, b as tf.Tensor1D, attrs, xBias);
    // The forward function runs inside a tidy: keep the statistics past it (re-owned below).
    stats = [tf.keep(mean), tf.keep(variance)];
    save(xBias === undefined ? [input, w, mean, variance] : [input, w, mean, variance, xBias]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, ms, vs, xbs] = saved;
        return actBatchNormBackward(xs, dy, ws, ms, vs, attrs, xbs);
      },
    };
  });
  const y = (inputBias === undefined ? op(x, weight, bias) : op(x, weight, bias, inputBias)) as tf.Tensor2D;
  // Clones belong to the caller's scope like y; the kept originals go.
  const [mean, variance] = [tf.clone(stats[0]) as tf.Tensor1D, tf.clone(stats[1]) as tf.Tensor1D];
  tf.dispose(stats);
  return { y, mean, variance };
}

import * as tf from '@tensorflow/tfjs-core';
import { SILU, SILU_GRAD } from '../kernels/kernel-names';
import { fusedKernelsActive } from './switches';

// SiLU on its own (an Mlp block without BatchNorm).

/**
 * SiLU `x sigmoid(x)` with the gradient `dy s (1 + x (1 - s))`; only x is kept for the backward
 * pass (the sigmoid is recomputed).
 */
export const fusedSilu: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  const value = fusedKernelsActive() ? (tf.engine().runKernel(SILU, { x }) as tf.Tensor) : tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input] = saved;
      if (fusedKernelsActive()) return tf.engine().runKernel(SILU_GRAD, { x: input, dy }) as tf.Tensor;
      return tf.tidy(() => {
        const s = tf.sigmoid(input);
        return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(input, tf.sub(1, s)))));
      });
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

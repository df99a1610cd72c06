import * as tf from '@tensorflow/tfjs-core';

/**
 * Row-wise Euclidean norm [E, F] -> [E, 1] with gradient `dy * d / |d|`, and 0 where |d| = 0.
 * Self-loops give d = 0, where sqrt's own gradient is infinite; PyTorch's norm backward returns 0
 * there too, so a self-loop does not poison the step with NaN.
 */
export const rowNorm: (d: tf.Tensor) => tf.Tensor = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const d = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const norm = tf.sqrt(tf.sum(tf.square(d), 1, true));
  save([d, norm]);
  return {
    value: norm,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [input, n] = saved;
        const scale = tf.where(tf.greater(n, 0), tf.div(dy, tf.maximum(n, 1e-30)), tf.zerosLike(n));
        return tf.mul(input, scale);
      }),
  };
}) as (d: tf.Tensor) => tf.Tensor;

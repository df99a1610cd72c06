import * as tf from '@tensorflow/tfjs-core';
import type { Act } from '../kernels/kernel-names';

export function stockAct(act: Act, x: tf.Tensor): tf.Tensor {
  return act === 'silu' ? tf.mul(x, tf.sigmoid(x)) : x;
}

import * as tf from '@tensorflow/tfjs-core';
import { Module } from '../module';

export interface LayerNormOptions {
  /** Added to the variance before the square root. Default 1e-5 (PyTorch). */
  readonly eps?: number;
}

/**
 * PyTorch's `nn.LayerNorm(features)`: normalises over the last axis with the biased variance,
 * `y = (x - mean) / sqrt(var + eps) * weight + bias`. Parameters `weight` (ones) and `bias`
 * (zeros), both [features]. No running statistics, so training and evaluation agree.
 */
export class LayerNorm extends Module {
  readonly features: number;
  readonly eps: number;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(features: number, options: LayerNormOptions = {}) {
    super();
    if (!Number.isInteger(features) || features < 1) throw new RangeError(`LayerNorm size must be a positive integer, got ${features}`);
    const eps = options.eps ?? 1e-5;
    if (!(eps > 0)) throw new RangeError(`LayerNorm eps must be positive, got ${eps}`);
    this.features = features;
    this.eps = eps;
    this.weight = this.addParameter('weight', tf.ones([features]));
    this.bias = this.addParameter('bias', tf.zeros([features]));
  }

  apply(x: tf.Tensor): tf.Tensor {
    if (x.rank < 1 || x.shape[x.rank - 1] !== this.features) {
      throw new RangeError(`LayerNorm(${this.features}) expects [..., ${this.features}], got [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const mean = tf.mean(x, -1, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), -1, true);
      const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, this.eps)));
      return tf.add(tf.mul(normed, this.weight), this.bias);
    });
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { Module } from '../module';
import { initialLinear, type LinearInit } from './init';

export interface LinearOptions {
  readonly init?: LinearInit;
  readonly bias?: boolean;
}

/**
 * `y = x W + b` over the last axis. The kernel is held as [in, out] (what tf.matMul wants without
 * a transpose, which is 10x slower on wasm); the state dict exposes PyTorch's `weight` [out, in].
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(inFeatures: number, outFeatures: number, rng: Rng, options: LinearOptions = {}) {
    super();
    if (!Number.isInteger(inFeatures) || inFeatures < 1 || !Number.isInteger(outFeatures) || outFeatures < 1) {
      throw new RangeError(`Linear sizes must be positive integers, got ${inFeatures} -> ${outFeatures}`);
    }
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const { kernel, bias } = initialLinear(inFeatures, outFeatures, options.init ?? 'torch-default', rng);
    this.kernel = this.addParameter('weight', tf.tensor2d(kernel, [inFeatures, outFeatures]));
    this.bias = options.bias === false ? null : this.addParameter('bias', tf.tensor1d(bias));
  }

  apply(x: tf.Tensor): tf.Tensor {
    const last = x.shape[x.rank - 1];
    if (last !== this.inFeatures) throw new RangeError(`Linear expects ${this.inFeatures} input features, got ${last}`);
    return tf.tidy(() => {
      const flat = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, this.inFeatures]) as tf.Tensor2D;
      let y: tf.Tensor = tf.matMul(flat, this.kernel as tf.Tensor2D);
      if (this.bias !== null) y = tf.add(y, this.bias);
      return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
    });
  }

  /** x W for [rows, inFeatures] input, without the bias (a fused op after it adds the bias). */
  product(x: tf.Tensor2D): tf.Tensor2D {
    if (x.shape[1] !== this.inFeatures) throw new RangeError(`Linear expects ${this.inFeatures} input features, got ${x.shape[1]}`);
    return tf.matMul(x, this.kernel as tf.Tensor2D);
  }

  protected override toStateLayout(name: string, variable: tf.Variable): tf.Tensor {
    return name === 'weight' ? tf.transpose(variable) : super.toStateLayout(name, variable);
  }

  protected override fromStateLayout(name: string, tensor: tf.Tensor): tf.Tensor {
    return name === 'weight' && tensor.rank === 2 ? tf.transpose(tensor) : tensor;
  }

  protected override toStateShape(name: string, shape: readonly number[]): readonly number[] {
    return name === 'weight' ? [...shape].reverse() : shape;
  }
}

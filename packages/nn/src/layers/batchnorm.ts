import * as tf from '@tensorflow/tfjs-core';
import { actBatchNorm, actBatchNormEval, type EvalBatchNorm } from '../fused';
import { isRecomputing } from '../checkpoint';
import { Module } from '../module';

export interface BatchNormOptions {
  readonly eps?: number;
  readonly momentum?: number;
}

/**
 * PyTorch's BatchNorm1d over the rows of [rows, features] (nodes or edges; reference 3.1 and 8).
 * Training: normalise with the batch mean and the biased variance, then move the running
 * statistics by `momentum` towards the batch mean and the unbiased variance, and count the batch.
 * Evaluation: normalise with the running statistics. Affine weight 1 and bias 0 at start.
 */
export class BatchNorm1d extends Module {
  readonly features: number;
  readonly eps: number;
  readonly momentum: number;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  readonly batchesTracked: tf.Variable;

  constructor(features: number, options: BatchNormOptions = {}) {
    super();
    this.features = features;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    this.weight = this.addParameter('weight', tf.ones([features]));
    this.bias = this.addParameter('bias', tf.zeros([features]));
    this.runningMean = this.addBuffer('running_mean', tf.zeros([features]));
    this.runningVar = this.addBuffer('running_var', tf.ones([features]));
    this.batchesTracked = this.addBuffer('num_batches_tracked', tf.scalar(0, 'int32'));
  }

  apply(x: tf.Tensor): tf.Tensor {
    return this.applyActivated(x, 'none');
  }

  /** What an evaluation-mode fused op needs: the affine parameters and the running statistics. */
  evalParameters(): EvalBatchNorm {
    return { weight: this.weight as tf.Tensor1D, bias: this.bias as tf.Tensor1D, mean: this.runningMean as tf.Tensor1D, variance: this.runningVar as tf.Tensor1D, eps: this.eps };
  }

  /**
   * `BatchNorm(act(x + inputBias))` as one fused op (see `actBatchNorm`): the Linear -> SiLU ->
   * BatchNorm blocks of the MLPs use it, passing the Linear's bias as `inputBias`, so only x is kept
   * for the backward pass and, natively, the bias add costs no pass of its own.
   */
  applyActivated(x: tf.Tensor, act: 'silu' | 'none', inputBias?: tf.Tensor1D): tf.Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.features) {
      throw new RangeError(`BatchNorm1d(${this.features}) expects [rows, ${this.features}], got [${x.shape.join(', ')}]`);
    }
    if (!this.training) {
      return actBatchNormEval(x as tf.Tensor2D, this.weight as tf.Tensor1D, this.bias as tf.Tensor1D, this.runningMean as tf.Tensor1D, this.runningVar as tf.Tensor1D, {
        act,
        eps: this.eps,
        inputBias,
      });
    }
    const rows = x.shape[0];
    if (rows < 2) throw new RangeError(`BatchNorm1d in training mode needs at least 2 rows, got ${rows}`);
    return tf.tidy(() => {
      const { y, mean, variance } = actBatchNorm(x as tf.Tensor2D, this.weight as tf.Tensor1D, this.bias as tf.Tensor1D, { act, eps: this.eps, inputBias });
      // The running update reads the batch statistics as plain values: it is not part of the graph.
      // A checkpointed layer's recomputation in the backward pass does not move them again.
      if (!isRecomputing()) {
        tf.tidy(() => {
          const m = this.momentum;
          this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
          this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(variance, (m * rows) / (rows - 1))));
          this.batchesTracked.assign(tf.add(this.batchesTracked, tf.scalar(1, 'int32')));
        });
      }
      return y;
    });
  }
}

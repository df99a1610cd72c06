import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { Module } from '../module';
import { activation, checkActivation, type ActivationName } from './activation';
import { BatchNorm1d } from './batchnorm';
import { denseActBatchNormEval, type EvalBatchNorm } from '../fused';
import type { LinearInit } from './init';
import { Linear } from './linear';

export interface MlpOptions {
  /** Activation after every Linear of a full block. Default silu. */
  readonly act?: ActivationName;
  /** BatchNorm1d after the activation (reference 3.1: BN follows the activation). */
  readonly bn?: boolean;
  /** Dropout probability after each full block, training mode only. */
  readonly dropout?: number;
  /** true: the last layer is a full block too; false: it is a bare Linear. */
  readonly lastAct?: boolean;
  readonly init?: LinearInit;
}

/**
 * One full block `Linear -> activation -> [BatchNorm1d] -> [Dropout]`, with PyTorch's
 * Sequential indices: the Linear is child 0 and the BatchNorm child 2 (1 is the activation).
 */
class MlpBlock extends Module {
  readonly linear: Linear;
  readonly norm: BatchNorm1d | null;

  constructor(
    inFeatures: number,
    outFeatures: number,
    rng: Rng,
    private readonly act: ActivationName,
    bn: boolean,
    private readonly dropout: number,
    private readonly dropoutRng: Rng,
    init: LinearInit,
  ) {
    super();
    this.linear = this.addChild('0', new Linear(inFeatures, outFeatures, rng, { init }));
    this.norm = bn ? this.addChild('2', new BatchNorm1d(outFeatures)) : null;
  }

  /** Whether the block's activation is SiLU (the fused ops cover SiLU and none). */
  get isSilu(): boolean {
    return this.act === 'silu';
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      // SiLU then BatchNorm take the Linear's bias into their fused op.
      const fusesBias = this.norm !== null && this.act === 'silu' && this.linear.bias !== null && x.rank === 2;
      // In evaluation mode the whole block is one op (one native pass where the tiles run).
      if (fusesBias && !this.training && this.norm !== null) {
        return denseActBatchNormEval(x as tf.Tensor2D, this.linear.kernel as tf.Tensor2D, this.linear.bias as tf.Tensor1D, this.norm.evalParameters(), 'silu');
      }
      if (fusesBias) return this.finish(this.linear.product(x as tf.Tensor2D), this.linear.bias as tf.Tensor1D);
      return this.finish(this.linear.apply(x));
    });
  }

  /**
   * Everything after the Linear's product: its bias when `inputBias` is given (not yet added),
   * activation, BatchNorm, dropout.
   */
  finish(pre: tf.Tensor, inputBias?: tf.Tensor1D): tf.Tensor {
    return tf.tidy(() => {
      let y: tf.Tensor;
      if (this.norm !== null && this.act === 'silu') {
        y = this.norm.applyActivated(pre, 'silu', inputBias); // one fused op: (bias,) SiLU, BatchNorm
      } else {
        y = activation(this.act, inputBias === undefined ? pre : tf.add(pre, inputBias));
        if (this.norm !== null) y = this.norm.apply(y);
      }
      if (this.training && this.dropout > 0) y = tf.dropout(y, this.dropout, undefined, this.dropoutRng.nextUint32());
      return y;
    });
  }
}

/**
 * The reference's `dmlp.MLP(layers, act, bn, dropout, last_act)`: for sizes [n0, n1, ..., nK],
 * K layers, each a full block except the last when `lastAct` is false. State-dict keys match the
 * original (`k.0.weight`, `k.2.running_mean`, and `K-1.weight` for a bare last Linear).
 */
export class Mlp extends Module {
  readonly sizes: readonly number[];
  private readonly layers: Array<MlpBlock | Linear> = [];

  constructor(sizes: readonly number[], rng: Rng, options: MlpOptions = {}) {
    super();
    if (sizes.length < 2 || sizes.some((size) => !Number.isInteger(size) || size < 1)) {
      throw new RangeError(`MLP sizes must be at least two positive integers, got [${sizes.join(', ')}]`);
    }
    const act = checkActivation(options.act ?? 'silu');
    const dropout = options.dropout ?? 0;
    if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`MLP dropout must be in [0, 1), got ${dropout}`);
    const init = options.init ?? 'torch-default';
    const lastAct = options.lastAct ?? false;
    this.sizes = [...sizes];
    const dropoutRng = rng.split('dropout');
    for (let k = 1; k < sizes.length; k++) {
      const last = k === sizes.length - 1;
      const layer =
        last && !lastAct
          ? new Linear(sizes[k - 1], sizes[k], rng, { init })
          : new MlpBlock(sizes[k - 1], sizes[k], rng, act, options.bn ?? false, dropout, dropoutRng.split(k), init);
      this.layers.push(this.addChild(String(k - 1), layer));
    }
  }

  get inFeatures(): number {
    return this.sizes[0];
  }

  get outFeatures(): number {
    return this.sizes[this.sizes.length - 1];
  }

  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.layers.reduce<tf.Tensor>((h, layer) => layer.apply(h), x));
  }

  /** The first Linear (SuperEdgeConv applies it in pieces; see @hypertrack/gnn). */
  get firstLinear(): Linear {
    const first = this.layers[0];
    return first instanceof Linear ? first : first.linear;
  }

  /** Applies everything after the first Linear's affine map to its output `pre`. */
  /**
   * The first block's BatchNorm and activation when, in evaluation mode, the first layer is a
   * Linear -> SiLU -> BatchNorm block (what a fused evaluation op of that block needs), else null.
   */
  firstBlockEval(): { norm: EvalBatchNorm; act: 'silu' } | null {
    const first = this.layers[0];
    if (this.training || !(first instanceof MlpBlock) || first.norm === null || !first.isSilu) return null;
    return { norm: first.norm.evalParameters(), act: 'silu' };
  }

  /** The layers after the first block, on that block's output. */
  applyAfterFirstBlock(h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.layers.slice(1).reduce<tf.Tensor>((x, layer) => layer.apply(x), h));
  }

  applyAfterFirstLinear(pre: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const first = this.layers[0];
      let h = first instanceof Linear ? pre : first.finish(pre);
      for (let k = 1; k < this.layers.length; k++) h = this.layers[k].apply(h);
      return h;
    });
  }
}

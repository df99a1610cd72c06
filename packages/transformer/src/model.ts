import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { MAB, Mlp, Module, SAB, type SetMask } from '@hypertrack/nn';
import type { TransformerConfig } from './config';

/** One entry of the reference's `sab_stack_D`: a Sequential holding one SAB (child '0'). */
class SabEntry extends Module {
  readonly sab: SAB;
  constructor(width: number, heads: number, rng: Rng) {
    super();
    this.sab = this.addChild('0', new SAB(width, width, rng, { heads, ln: true }));
  }
}

/** The reference's `sab_stack_D`: a ModuleList of entries '0', '1', ... */
class SabStack extends Module {
  readonly entries: SabEntry[];
  constructor(count: number, width: number, heads: number, rng: Rng) {
    super();
    this.entries = Array.from({ length: count }, (_, k) => this.addChild(String(k), new SabEntry(width, heads, rng.split(`sab${k}`))));
  }
}

/**
 * HyperTrack's clustering block (reference 3.5, `transformer_ccx`): for a padded batch of
 * micrographs X [B, Nq, inDim] and their pivots P [B, Np, inDim] (rows [z, x]),
 *   G = MLP_E(X), G_p = MLP_E(P)
 *   H = MAB_D(Q = G, K = G_p)            every node attends to the pivots
 *   H = SAB_k(H), k = 1..nstackDec       the nodes attend to each other
 *   logits = MLP_m(H)                    [B, Nq]: does the node belong to the pivots' track?
 * with boolean masks for the padding. Child names follow the reference's state dict
 * (`MLP_E`, `mab_D`, `sab_stack_D.{k}.0`, `MLP_m`): 137,025 parameters with tune-5.
 */
export class STransformer extends Module {
  readonly config: TransformerConfig;
  readonly encoder: Mlp;
  readonly crossAttention: MAB;
  readonly selfAttention: SabStack;
  readonly maskHead: Mlp;

  constructor(config: TransformerConfig, seed: number) {
    super();
    this.config = config;
    const rng = Rng.fromSeed(seed);
    const { inDim, hDim, nstackDec, heads } = config;
    this.encoder = this.addChild('MLP_E', new Mlp([inDim, hDim, hDim], rng.split('encoder'), { act: 'silu', bn: false, lastAct: false }));
    this.crossAttention = this.addChild('mab_D', new MAB(hDim, hDim, rng.split('cross'), { dimV: hDim, heads, ln: true }));
    this.selfAttention = this.addChild('sab_stack_D', new SabStack(nstackDec, hDim, heads, rng.split('self')));
    this.maskHead = this.addChild('MLP_m', new Mlp([hDim, 32, 16, 1], rng.split('mask'), { act: 'silu', bn: false, lastAct: false }));
  }

  /** Logits [B, Nq] of micrograph membership. Masks are [B, Nq] and [B, Np] (bool or 0/1). */
  apply(nodes: tf.Tensor3D, pivots: tf.Tensor3D, nodeMask?: SetMask, pivotMask?: SetMask): tf.Tensor2D {
    const [batch, nq, width] = nodes.shape;
    if (width !== this.config.inDim || pivots.shape[2] !== this.config.inDim) {
      throw new RangeError(`STransformer expects rows of ${this.config.inDim} values, got nodes [${nodes.shape.join(', ')}] and pivots [${pivots.shape.join(', ')}]`);
    }
    if (pivots.shape[0] !== batch) throw new RangeError(`STransformer: ${batch} micrographs but ${pivots.shape[0]} pivot sets`);
    return tf.tidy(() => {
      const g = this.encoder.apply(nodes) as tf.Tensor3D;
      const gp = this.encoder.apply(pivots) as tf.Tensor3D;
      let h = this.crossAttention.apply(g, gp, nodeMask, pivotMask);
      for (const entry of this.selfAttention.entries) h = entry.sab.apply(h, nodeMask);
      return tf.reshape(this.maskHead.apply(h), [batch, nq]) as tf.Tensor2D;
    });
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { Mlp, Module, gatherRows, segmentMean, type ActivationName } from '@hypertrack/nn';
import type { GraphTensors } from './graph';
import { rowNorm } from './norm';

export interface SuperEdgeConvOptions {
  /** Message width m_dim (64 in tune-5). */
  readonly mDim: number;
  /** Output node width h_dim (64). */
  readonly hDim: number;
  /** Add the input to the output when their widths agree (layers 2-5 of tune-5). */
  readonly residual: boolean;
  readonly act: ActivationName;
  readonly bn: boolean;
}

/**
 * One SuperEdgeConv layer (reference 3.3), as message, aggregate and update steps. For the edge
 * j -> i (j = src, i = dst) the message is
 *   m_ij = phi([h_i, h_j - h_i, h_j * h_i, |h_j - h_i|, <h_j, h_i>, a_ij]),
 * the aggregate is the mean of m_ij over the edges into i (zero without edges), and the update is
 * h_i' = psi([h_i, mean_j m_ij]) (+ h_i with the residual).
 *
 * phi's first Linear is applied to the pieces of its input rather than to their concatenation:
 * [h_i, d, p, s] W = h_i W_a + d W_b + p W_c + s W_s. It is the same map with the same weights
 * (the state dict keeps phi's single [m, 3 dim + 3] weight), but no [E, 3 dim + 3] tensor and its
 * gradient are ever materialised.
 */
export class SuperEdgeConv extends Module {
  readonly inDim: number;
  readonly options: SuperEdgeConvOptions;
  readonly phi: Mlp;
  readonly psi: Mlp;

  constructor(inDim: number, options: SuperEdgeConvOptions, rng: Rng) {
    super();
    this.inDim = inDim;
    this.options = options;
    const mlp = { act: options.act, bn: options.bn, lastAct: true, init: 'xavier-normal' } as const;
    this.phi = this.addChild('nn', new Mlp([3 * inDim + 3, options.mDim, options.mDim], rng.split('phi'), mlp));
    this.psi = this.addChild('nn_final', new Mlp([inDim + options.mDim, options.hDim, options.hDim], rng.split('psi'), mlp));
  }

  /** Messages [E, m_dim] for every edge. */
  message(h: tf.Tensor2D, graph: GraphTensors): tf.Tensor2D {
    return tf.tidy(() => {
      const d = this.inDim;
      const first = this.phi.firstLinear;
      const w = first.kernel as tf.Tensor2D;
      const hSrc = gatherRows(h, graph.src);
      const hDst = gatherRows(h, graph.dst);
      const diff = tf.sub(hSrc, hDst);
      const prod = tf.mul(hSrc, hDst);
      const scalars = tf.concat([rowNorm(diff), tf.sum(prod, 1, true), graph.edgeAttr], 1);
      let pre = tf.add(
        tf.add(tf.matMul(hDst, tf.slice(w, [0, 0], [d, -1])), tf.matMul(diff, tf.slice(w, [d, 0], [d, -1]))),
        tf.add(tf.matMul(prod, tf.slice(w, [2 * d, 0], [d, -1])), tf.matMul(scalars, tf.slice(w, [3 * d, 0], [3, -1]))),
      );
      if (first.bias !== null) pre = tf.add(pre, first.bias);
      return this.phi.applyAfterFirstLinear(pre) as tf.Tensor2D;
    });
  }

  /** Mean of the messages over the edges into each node: [N, m_dim]. */
  aggregate(messages: tf.Tensor2D, graph: GraphTensors): tf.Tensor2D {
    return segmentMean(messages, graph.dst, graph.numNodes);
  }

  update(h: tf.Tensor2D, aggregated: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const out = this.psi.apply(tf.concat([h, aggregated], 1)) as tf.Tensor2D;
      return this.options.residual && this.options.hDim === this.inDim ? tf.add(out, h) : out;
    });
  }

  apply(h: tf.Tensor2D, graph: GraphTensors): tf.Tensor2D {
    return tf.tidy(() => this.update(h, this.aggregate(this.message(h, graph), graph)));
  }
}

import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { Linear, Mlp, Module, checkpoint, edgeMessageEval, edgePairFeatures, gatherPairAdd, segmentMean, segmentSum, type ActivationName } from '@hypertrack/nn';
import type { GraphTensors } from './graph';
import { PAIR_GEOMETRY_DIM } from './pair-geometry';

export interface SuperEdgeConvOptions {
  /** Message width m_dim (64 in tune-5). */
  readonly mDim: number;
  /** Output node width h_dim (64). */
  readonly hDim: number;
  /** Add the input to the output when their widths agree (layers 2-5 of tune-5). */
  readonly residual: boolean;
  readonly act: ActivationName;
  readonly bn: boolean;
  /**
   * How messages into a hit are combined: 'mean' (the reference) or 'gated', a mean weighted by a
   * learned gate per edge, g_ij = sigmoid(w . [m_ij, pair geometry] + b): with 20-50 neighbours per
   * hit in the VD graph, most of them on other tracks, a plain mean washes out the few that matter.
   */
  readonly aggregation?: 'mean' | 'gated';
  /** With 'gated': the gate also reads the pair geometry (GraphTensors.pairGeometry). */
  readonly gateGeometry?: boolean;
  /**
   * The message also reads the pair geometry: phi's input gains its PAIR_GEOMETRY_DIM values
   * after a_ij, so even the first layer's messages know whether the two hits can be one track.
   */
  readonly messageGeometry?: boolean;
  /**
   * Gradient checkpointing in training mode: recompute the layer's activations in the backward
   * pass instead of keeping them (about 1.3x the time of a step, a fraction of the memory).
   * 'auto' (the default) turns it on for graphs of at least CHECKPOINT_AUTO_EDGES edges.
   */
  readonly checkpoint?: boolean | 'auto';
}

/**
 * From this many edges on, 'auto' checkpoints each layer. tfjs keeps every saved activation and
 * every intermediate gradient until the end of the backward pass; one 64-wide layer then needs
 * about 5-6 KiB of wasm heap per edge (measured at 200k edges), so the five tune-5 layers plus the
 * edge decoder would pass the 4 GiB heap at about 150k edges. Checkpointed, only one layer's
 * activations and gradients are alive at a time.
 */
export const CHECKPOINT_AUTO_EDGES = 100_000;

/**
 * One SuperEdgeConv layer (reference 3.3), as message, aggregate and update steps. For the edge
 * j -> i (j = src, i = dst) the message is
 *   m_ij = phi([h_i, h_j - h_i, h_j * h_i, |h_j - h_i|, <h_j, h_i>, a_ij]),
 * the aggregate is the mean of m_ij over the edges into i (zero without edges), and the update is
 * h_i' = psi([h_i, mean_j m_ij]) (+ h_i with the residual).
 *
 * With `messageGeometry` the pair geometry g_ij joins the message input after a_ij.
 *
 * phi's first Linear is applied to the pieces of its input rather than to their concatenation:
 * with W = [W_i; W_diff; W_edge],
 *   [h_i, h_j - h_i, p_ij] W = (h (W_i - W_diff))[i] + (h W_diff)[j] + p_ij W_edge,
 * where p_ij = [h_j * h_i, |h_j - h_i|, <h_j, h_i>, a_ij] (nn's `edgePairFeatures`). The first two
 * products run over the N nodes instead of the E edges; only p_ij W_edge is per edge. It is the
 * same map with the same weights (the state dict keeps phi's single [m, 3 dim + 3] weight).
 */
export class SuperEdgeConv extends Module {
  readonly inDim: number;
  readonly options: SuperEdgeConvOptions;
  readonly phi: Mlp;
  readonly psi: Mlp;
  /** The edge gate of 'gated' aggregation, or null for the plain mean. */
  readonly gate: Linear | null;

  constructor(inDim: number, options: SuperEdgeConvOptions, rng: Rng) {
    super();
    this.inDim = inDim;
    this.options = options;
    const mlp = { act: options.act, bn: options.bn, lastAct: true, init: 'xavier-normal' } as const;
    const geometryWidth = options.messageGeometry ? PAIR_GEOMETRY_DIM : 0;
    this.phi = this.addChild('nn', new Mlp([3 * inDim + 3 + geometryWidth, options.mDim, options.mDim], rng.split('phi'), mlp));
    this.psi = this.addChild('nn_final', new Mlp([inDim + options.mDim, options.hDim, options.hDim], rng.split('psi'), mlp));
    this.gate =
      options.aggregation === 'gated'
        ? this.addChild('gate', new Linear(options.mDim + (options.gateGeometry ? PAIR_GEOMETRY_DIM : 0), 1, rng.split('gate')))
        : null;
  }

  /** Messages [E, m_dim] for every edge. */
  message(h: tf.Tensor2D, graph: GraphTensors): tf.Tensor2D {
    return tf.tidy(() => {
      const d = this.inDim;
      const m = this.options.mDim;
      const first = this.phi.firstLinear;
      const w = first.kernel as tf.Tensor2D;
      const [wI, wDiff, wEdge] = [tf.slice(w, [0, 0], [d, m]), tf.slice(w, [d, 0], [d, m]), tf.slice(w, [2 * d, 0], [d + 3, m])];
      // [h_i, h_j - h_i] [W_i; W_diff] = h_i (W_i - W_diff) + h_j W_diff: computed per node (the
      // bias goes with the h_i half), then gathered to the edges.
      let perNode = tf.matMul(h, tf.concat([tf.sub(wI, wDiff), wDiff], 1)) as tf.Tensor2D;
      if (first.bias !== null) perNode = tf.add(perNode, tf.concat([first.bias, tf.zeros([m])])) as tf.Tensor2D;
      // Evaluation mode: the whole first block (pair features, product, per-node halves, SiLU,
      // BatchNorm) as one op, one native pass over the edges where the tiles run.
      const firstBlock = this.phi.firstBlockEval();
      if (firstBlock !== null) {
        const geometry = this.options.messageGeometry ? graph.pairGeometry() : undefined;
        const edgeRows = tf.slice(w, [2 * d, 0], [w.shape[0] - 2 * d, m]);
        const y = edgeMessageEval({ h, src: graph.src, dst: graph.dst, attr: graph.edgeAttr, geometry, w: edgeRows, table: perNode }, firstBlock.norm, firstBlock.act);
        return this.phi.applyAfterFirstBlock(y) as tf.Tensor2D;
      }
      // [h_j * h_i, |h_j - h_i|, <h_j, h_i>, a_ij] W_edge: the part that needs both ends.
      let perEdge = tf.matMul(edgePairFeatures(h, graph.src, graph.dst, graph.edgeAttr), wEdge) as tf.Tensor2D;
      if (this.options.messageGeometry) {
        const wGeometry = tf.slice(w, [3 * d + 3, 0], [PAIR_GEOMETRY_DIM, m]);
        perEdge = tf.add(perEdge, tf.matMul(graph.pairGeometry(), wGeometry)) as tf.Tensor2D;
      }
      const pre = gatherPairAdd(perEdge, perNode, graph.dst, graph.src);
      return this.phi.applyAfterFirstLinear(pre) as tf.Tensor2D;
    });
  }

  /**
   * Mean of the messages over the edges into each node: [N, m_dim]; with a gate, the mean weighted
   * by g_ij, sum_j g_ij m_ij / (sum_j g_ij + 1e-6) (zero without edges).
   */
  aggregate(messages: tf.Tensor2D, graph: GraphTensors): tf.Tensor2D {
    const gate = this.gate;
    if (gate === null) return segmentMean(messages, graph.dst, graph.numNodes);
    return tf.tidy(() => {
      const input = this.options.gateGeometry ? tf.concat([messages, graph.pairGeometry()], 1) : messages;
      const g = tf.sigmoid(gate.apply(input)) as tf.Tensor2D;
      const weighted = segmentSum(tf.mul(messages, g) as tf.Tensor2D, graph.dst, graph.numNodes);
      const norm = segmentSum(g, graph.dst, graph.numNodes);
      return tf.div(weighted, tf.add(norm, 1e-6)) as tf.Tensor2D;
    });
  }

  update(h: tf.Tensor2D, aggregated: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const out = this.psi.apply(tf.concat([h, aggregated], 1)) as tf.Tensor2D;
      return this.options.residual && this.options.hDim === this.inDim ? tf.add(out, h) : out;
    });
  }

  apply(h: tf.Tensor2D, graph: GraphTensors): tf.Tensor2D {
    const layer = (input: tf.Tensor): tf.Tensor2D => {
      const x = input as tf.Tensor2D;
      return tf.tidy(() => this.update(x, this.aggregate(this.message(x, graph), graph)));
    };
    if (!this.checkpointed(graph)) return layer(h);
    // Gradient checkpointing: keep only h for the backward pass and recompute the layer there.
    return checkpoint(layer, [h], [...this.namedParameters().values()]);
  }

  /** Whether apply() recomputes this layer in the backward pass instead of keeping its activations. */
  checkpointed(graph: GraphTensors): boolean {
    const option = this.options.checkpoint ?? 'auto';
    if (!this.training || option === false) return false;
    return option === true || graph.numEdges >= CHECKPOINT_AUTO_EDGES;
  }
}

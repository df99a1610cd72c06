import * as tf from '@tensorflow/tfjs-core';
import { Rng, type Seed } from '@hypertrack/core';
import { Mlp, Module, gatherRows } from '@hypertrack/nn';
import { TUNE5_GNN, checkGnnConfig, type GnnConfig } from './config';
import { prepareGraph, type GraphInput, type GraphTensors } from './graph';
import { checkGnnMemory } from './memory';
import { PAIR_GEOMETRY_DIM } from './pair-geometry';
import { SuperEdgeConv } from './super-edge-conv';

/** The SuperEdgeConv layers, named `0`..`nstack-1` like the original's ModuleList. */
class ConvStack extends Module {
  readonly layers: SuperEdgeConv[] = [];

  constructor(config: GnnConfig, rng: Rng) {
    super();
    for (let k = 0; k < config.nstack; k++) {
      const inDim = k === 0 ? config.coordDim : config.hDim;
      const layer = new SuperEdgeConv(
        inDim,
        {
          mDim: config.mDim,
          hDim: config.hDim,
          residual: k > 0 && config.residual,
          act: config.act,
          bn: config.bn,
          aggregation: config.aggregation ?? 'mean',
          gateGeometry: config.pairFeatures === 'geometry',
          messageGeometry: config.messageGeometry ?? false,
        },
        rng.split(`conv${k}`),
      );
      this.layers.push(this.addChild(String(k), layer));
    }
  }
}

export interface EdgePredictorOutput {
  /** Node latents Z [N, zDim] (the fusion MLP's BatchNorm output). */
  readonly z: tf.Tensor2D;
  /** Edge logits [E], in the order of the input edges. */
  readonly logits: tf.Tensor1D;
}

/**
 * The GNN edge predictor of HyperTrack (the `edx` half of the reference's InverterNet): a stack of
 * SuperEdgeConv layers, a fusion MLP over the concatenated layer outputs giving the latents Z, and
 * an edge MLP over pairs of latents giving one logit per edge. State-dict keys are the original's
 * (`conv_gnn_edx.*`, `mlp_fusion_edx.*`, `mlp_2pt_edx.*`, `thr`).
 */
export class EdgePredictor extends Module {
  readonly config: GnnConfig;
  readonly convs: ConvStack;
  readonly fusion: Mlp;
  readonly correlate: Mlp;
  /** The reference's learnable threshold (used only by the transformer's soft threshold). */
  readonly thr: tf.Variable;

  constructor(config: GnnConfig = TUNE5_GNN, seed: Seed = 0) {
    super();
    checkGnnConfig(config);
    this.config = config;
    const rng = Rng.fromSeed(seed);
    this.thr = this.addParameter('thr', tf.scalar(0.5));
    this.convs = this.addChild('conv_gnn_edx', new ConvStack(config, rng.split('convs')));
    this.fusion = this.addChild(
      'mlp_fusion_edx',
      new Mlp([config.nstack * config.hDim, config.hDim, config.zDim], rng.split('fusion'), { act: config.act, bn: config.bn, lastAct: true }),
    );
    const latentWidth = config.edgeType === 'symmetric-dot' ? config.zDim : 2 * config.zDim;
    const pairWidth = latentWidth + (config.pairFeatures === 'geometry' ? PAIR_GEOMETRY_DIM : 0);
    this.correlate = this.addChild(
      'mlp_2pt_edx',
      new Mlp([pairWidth, ...config.correlateHidden, 1], rng.split('correlate'), { act: config.act, bn: config.bn, lastAct: false }),
    );
  }

  /** Node latents Z [N, zDim]. */
  encode(graph: GraphTensors): tf.Tensor2D {
    return tf.tidy(() => {
      const outputs: tf.Tensor2D[] = [];
      let h = graph.x;
      for (const layer of this.convs.layers) {
        h = layer.apply(h, graph);
        outputs.push(h);
      }
      return this.fusion.apply(tf.concat(outputs, 1)) as tf.Tensor2D;
    });
  }

  /** Edge logits [E] from the latents (reference 3.4). */
  decode(z: tf.Tensor2D, graph: GraphTensors): tf.Tensor1D {
    return tf.tidy(() => {
      const zSrc = gatherRows(z, graph.src);
      const zDst = gatherRows(z, graph.dst);
      // The pair's own geometry, when configured, joins the latents at the edge MLP's input.
      const withPair = (latents: tf.Tensor): tf.Tensor => (this.config.pairFeatures === 'geometry' ? tf.concat([latents, graph.pairGeometry()], 1) : latents);
      let logits: tf.Tensor;
      switch (this.config.edgeType) {
        case 'symmetric-dot':
          logits = this.correlate.apply(withPair(tf.mul(zSrc, zDst)));
          break;
        case 'asymmetric':
          logits = this.correlate.apply(withPair(tf.concat([zSrc, zDst], 1)));
          break;
        case 'symmetrized':
          logits = tf.mul(tf.add(this.correlate.apply(withPair(tf.concat([zDst, zSrc], 1))), this.correlate.apply(withPair(tf.concat([zSrc, zDst], 1)))), 0.5);
          break;
      }
      return tf.reshape(logits, [-1]) as tf.Tensor1D;
    });
  }

  forward(graph: GraphTensors): EdgePredictorOutput {
    return tf.tidy(() => {
      const z = this.encode(graph);
      return { z, logits: this.decode(z, graph) };
    });
  }

  /**
   * Latents and edge probabilities of one event in evaluation mode, as plain arrays: the entry
   * point for using the edge predictor alone (the original's `--cluster none`). A graph whose
   * forward pass would not fit `memoryBudget` bytes (default: the backend's, defaultMemoryBudget)
   * throws GnnMemoryError before anything is allocated.
   */
  async predict(input: GraphInput, options: { readonly memoryBudget?: number } = {}): Promise<{ z: Float32Array; probabilities: Float32Array }> {
    checkGnnMemory(this.config, { nodes: input.numNodes, edges: input.src.length }, 'infer', options.memoryBudget);
    // A bunch crossing without a collision (Poisson at low pile-up) has no hits: nothing to score.
    if (input.numNodes === 0 && input.src.length === 0 && input.dst.length === 0) return { z: new Float32Array(0), probabilities: new Float32Array(0) };
    const graph = prepareGraph(input);
    const wasTraining = this.training;
    this.eval();
    try {
      const { z, logits } = this.forward(graph);
      const probabilities = tf.sigmoid(logits);
      const [zData, pData] = await Promise.all([z.data(), probabilities.data()]);
      tf.dispose([z, logits, probabilities]);
      return { z: zData as Float32Array, probabilities: pData as Float32Array };
    } finally {
      graph.dispose();
      this.train(wasTraining);
    }
  }
}

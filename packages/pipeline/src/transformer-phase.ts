import * as tf from '@tensorflow/tfjs-core';
import type { ClusterOptions } from '@hypertrack/cluster';
import { ConfigError, type Rng } from '@hypertrack/core';
import type { LatentLossExtension, LatentLossPhase, LatentLossSpec, TrainingExample } from '@hypertrack/gnn';
import { doubleMajority } from '@hypertrack/metrics';
import { STransformer, clusterLosses, type ClusterLossConfig, type PivotSearchConfig, type TransformerConfig } from '@hypertrack/transformer';

/** The reference's module name of the transformer inside InverterNet: its state-dict keys start with it and a dot. */
export const TRANSFORMER_MODULE = 'transformer_ccx';
export const TRANSFORMER_PREFIX = `${TRANSFORMER_MODULE}.`;

/** Everything the transformer's cluster losses are built from; plain JSON (a LatentLossSpec's options). */
export interface TransformerLossOptions {
  readonly model: TransformerConfig;
  /** Seed of the transformer's initial weights. */
  readonly seed: number;
  readonly search: PivotSearchConfig;
  readonly losses: ClusterLossConfig;
  /** The clustering's edge threshold and smallest component (the tune's cluster section). */
  readonly cluster: Required<Pick<ClusterOptions, 'threshold' | 'minGraph'>>;
}

/**
 * The transformer's cluster losses as the GNN trainer's latent loss (reference 4.2-4.3): per event
 * the pivot search runs on the GNN's edge probabilities, the STransformer scores each micrograph
 * from rows [z, x] gathered from the latents z themselves, and the weighted cluster_BCE and
 * cluster_contrastive of the accepted clusters flow back into both networks. It reports the two
 * losses and the double-majority score, efficiency and purity of the event's clustering (hits_min 4).
 * Built by name in gradient workers (`@hypertrack/pipeline`'s `transformerLatentLoss`).
 */
export function transformerLatentLoss(options: TransformerLossOptions): LatentLossExtension & { readonly model: STransformer } {
  const model = new STransformer(options.model, options.seed);
  const { weights } = options.losses;
  return {
    model,
    parameters: model.namedParameters(TRANSFORMER_MODULE),
    loss(z: tf.Tensor2D, probabilities: Float32Array, example: TrainingExample, rng: Rng) {
      if (example.positions === undefined) throw new RangeError('the transformer loss needs the hits\' positions (TrainingExample.positions)');
      const { clusterBCE, clusterContrastive, result } = clusterLosses(
        model,
        z,
        { numHits: example.numNodes, src: example.src, dst: example.dst, prob: probabilities, coords: example.positions, trueTrack: example.hitTrack, hitWeights: example.hitWeight },
        { ...options.cluster, search: options.search, seed: rng.nextUint32(), target: options.losses.target, setLoss: options.losses.setLoss, gamma: options.losses.gamma, supervise: options.losses.supervise },
      );
      const total = tf.tidy(() => tf.add(tf.mul(clusterBCE, weights.clusterBCE), tf.mul(clusterContrastive, weights.clusterContrastive))) as tf.Scalar;
      const match = doubleMajority(example.hitTrack, result.labels, example.hitWeight, { hitsMin: 4 });
      return {
        total,
        scalars: {
          cluster_bce_loss: clusterBCE.dataSync()[0],
          cluster_contrastive_loss: clusterContrastive.dataSync()[0],
          clusters: result.accepted.length,
          trials: result.stats.trials,
          majority_score: match.dms,
          efficiency: match.efficiency,
          purity: match.purity,
        },
      };
    },
    stateDict: () => model.stateDict(TRANSFORMER_MODULE),
    loadStateDict: (state) => model.loadStateDict(stripPrefix(state)),
    dispose: () => model.dispose(),
  };
}

function stripPrefix(state: ReadonlyMap<string, tf.Tensor>): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [name, tensor] of state) {
    if (!name.startsWith(TRANSFORMER_PREFIX)) throw new RangeError(`'${name}' is not a transformer tensor (expected the prefix ${TRANSFORMER_PREFIX})`);
    out.set(name.slice(TRANSFORMER_PREFIX.length), tensor);
  }
  return out;
}

/** The spec gradient workers and checkpoints build the transformer loss from. */
export function transformerLossSpec(options: TransformerLossOptions): LatentLossSpec {
  return { name: 'transformer', module: '@hypertrack/pipeline', factory: 'transformerLatentLoss', options };
}

/**
 * HyperTrack's transformer phase for `fit`: the transformer joins the GNN's training once a step's
 * training edge AUC exceeds `aucThreshold` (reference 0.998), with a fresh optimizer and schedule.
 */
export function transformerPhase(options: TransformerLossOptions, aucThreshold: number): LatentLossPhase {
  if (!(aucThreshold >= 0 && aucThreshold <= 1)) throw new ConfigError('--auc-threshold', `must be in [0, 1], got ${aucThreshold}`);
  return { spec: transformerLossSpec(options), aucThreshold, create: async (spec) => transformerLatentLoss(spec.options as TransformerLossOptions) };
}

/** Builds a checkpoint's latent loss in this thread (resumeTraining's createLatentLoss for the transformer). */
export async function createTransformerLoss(spec: LatentLossSpec): Promise<LatentLossExtension> {
  if (spec.factory !== 'transformerLatentLoss') throw new ConfigError('latentLoss', `the checkpoint trains with '${spec.name}' (${spec.module} ${spec.factory}), which is not HyperTrack's transformer`);
  return transformerLatentLoss(spec.options as TransformerLossOptions);
}

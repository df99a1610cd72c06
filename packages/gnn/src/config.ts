import type { ActivationName } from '@hypertrack/nn';
import { HIT_FEATURES, hitFeatureDim, type HitFeatures } from './hit-features';

/** How edge logits are formed from the latents of the two ends (reference 3.4). */
export type EdgeDecoderType = 'symmetric-dot' | 'symmetrized' | 'asymmetric';

export const EDGE_DECODER_TYPES: readonly EdgeDecoderType[] = ['symmetric-dot', 'symmetrized', 'asymmetric'];

export type PairFeatures = 'none' | 'geometry';
export type Aggregation = 'mean' | 'gated';
export const AGGREGATIONS: readonly Aggregation[] = ['mean', 'gated'];
export const PAIR_FEATURES: readonly PairFeatures[] = ['none', 'geometry'];

/** The GNN part of the reference's InverterNet (`net_model_param.graph_block_param`). */
export interface GnnConfig {
  /** Input values per hit: hitFeatureDim(hitFeatures) (3 for tune-5's x, y, z in mm). */
  readonly coordDim: number;
  /**
   * What the input values are, for TrackML-style hits (hit-features.ts). Absent: whatever the
   * caller feeds, coordDim values per hit (the app then feeds tune-5's x, y, z; checkpoints
   * written before the option existed have none).
   */
  readonly hitFeatures?: HitFeatures;
  /** Number of SuperEdgeConv layers. */
  readonly nstack: number;
  readonly hDim: number;
  readonly mDim: number;
  /** Latent width after the fusion MLP. */
  readonly zDim: number;
  readonly residual: boolean;
  readonly edgeType: EdgeDecoderType;
  /** Hidden sizes of the edge MLP (MLP_correlate) between its input and the one logit. */
  readonly correlateHidden: readonly number[];
  /**
   * What the edge MLP sees besides the latents: 'none' (tune-5, the reference) or 'geometry', the
   * pair's geometric features of pair-geometry.ts appended to its input. Absent means 'none'.
   */
  readonly pairFeatures?: PairFeatures;
  /**
   * How each layer combines the messages into a hit: 'mean' (tune-5, the reference) or 'gated'
   * (super-edge-conv.ts; the gate reads the pair geometry too when pairFeatures is 'geometry').
   * Absent means 'mean'.
   */
  readonly aggregation?: Aggregation;
  /** The messages of every layer also read the pair geometry (super-edge-conv.ts). Absent: false. */
  readonly messageGeometry?: boolean;
  readonly act: ActivationName;
  readonly bn: boolean;
}

/** tune-5 (reference 3.2-3.4): 160,245 trainable parameters. */
export const TUNE5_GNN: GnnConfig = Object.freeze({
  coordDim: 3,
  nstack: 5,
  hDim: 64,
  mDim: 64,
  zDim: 61,
  residual: true,
  edgeType: 'symmetric-dot',
  correlateHidden: Object.freeze([30, 30]),
  pairFeatures: 'none',
  aggregation: 'mean',
  messageGeometry: false,
  act: 'silu',
  bn: true,
});

/** Every key a GnnConfig may have: a config (a checkpoint's trainer.json) with another is refused. */
const GNN_CONFIG_KEYS: readonly string[] = ['coordDim', 'hitFeatures', 'nstack', 'hDim', 'mDim', 'zDim', 'residual', 'edgeType', 'correlateHidden', 'pairFeatures', 'aggregation', 'messageGeometry', 'act', 'bn'];

export function checkGnnConfig(config: GnnConfig): void {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw new RangeError(`GNN config must be an object, got ${JSON.stringify(config)}`);
  const unknown = Object.keys(config).find((key) => !GNN_CONFIG_KEYS.includes(key));
  if (unknown !== undefined) throw new RangeError(`GNN config has an unknown key '${unknown}' (known: ${GNN_CONFIG_KEYS.join(', ')})`);
  for (const key of ['residual', 'bn', 'messageGeometry'] as const) {
    const value = config[key];
    if (typeof value !== 'boolean' && !(key === 'messageGeometry' && value === undefined)) throw new RangeError(`GNN config '${key}' must be true or false, got ${JSON.stringify(value)}`);
  }
  const hidden: unknown = config.correlateHidden;
  if (!Array.isArray(hidden) || !hidden.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new RangeError(`GNN config 'correlateHidden' must be a list of positive integers (hidden sizes of the edge MLP), got ${JSON.stringify(hidden)}`);
  }
  for (const key of ['coordDim', 'nstack', 'hDim', 'mDim', 'zDim'] as const) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`GNN config '${key}' must be a positive integer, got ${value}`);
  }
  const features = config.hitFeatures;
  if (features !== undefined) {
    if (!HIT_FEATURES.includes(features)) throw new RangeError(`GNN config 'hitFeatures' must be one of ${HIT_FEATURES.join(', ')}, got '${String(features)}'`);
    if (config.coordDim !== hitFeatureDim(features)) {
      throw new RangeError(`GNN config 'coordDim' is ${config.coordDim} but hitFeatures '${features}' gives ${hitFeatureDim(features)} values per hit`);
    }
  }
  if (config.pairFeatures !== undefined && !PAIR_FEATURES.includes(config.pairFeatures)) {
    throw new RangeError(`GNN config 'pairFeatures' must be one of ${PAIR_FEATURES.join(', ')}, got '${String(config.pairFeatures)}'`);
  }
  if (config.aggregation !== undefined && !AGGREGATIONS.includes(config.aggregation)) {
    throw new RangeError(`GNN config 'aggregation' must be one of ${AGGREGATIONS.join(', ')}, got '${String(config.aggregation)}'`);
  }
  if (config.pairFeatures === 'geometry' && config.coordDim < 3) {
    throw new RangeError(`GNN config 'pairFeatures' 'geometry' needs x, y, z as the first hit values, but coordDim is ${config.coordDim}`);
  }
  if (!EDGE_DECODER_TYPES.includes(config.edgeType)) {
    throw new RangeError(`GNN config 'edgeType' must be one of ${EDGE_DECODER_TYPES.join(', ')}, got '${config.edgeType}'`);
  }
}

/** The STransformer's sizes (reference 3.5, tune-5's `cluster_block_param`). */
export interface TransformerConfig {
  /** Width of a node row: the GNN latent z (61) and the raw coordinates (3). */
  readonly inDim: number;
  /** Width inside the attention blocks. */
  readonly hDim: number;
  /** Self-attention blocks after the cross-attention to the pivots. */
  readonly nstackDec: number;
  /** Attention heads of every block. */
  readonly heads: number;
}

export const TUNE5_TRANSFORMER: TransformerConfig = Object.freeze({ inDim: 64, hDim: 64, nstackDec: 4, heads: 4 });

/** The pivot search and acceptance around the model (reference 3.8, step 4). */
export interface PivotSearchConfig {
  /** Pivots per walk (N_pivots). */
  readonly pivots: number;
  /** Seed candidates per component and round (seed_ktop_max). */
  readonly seedCandidates: number;
  /** How seeds are chosen (seed_strategy). */
  readonly seedStrategy: 'random' | 'max' | 'min' | 'max_T' | 'min_T';
  /** A walk steps only to a neighbour with probability above this (diffuse_threshold). */
  readonly diffuseThreshold: number;
  /** A node on this many failed walks or rejected clusters is deactivated (max_failures). */
  readonly maxFailures: number;
  /** Walks per round: 1 is the greedy walk from each seed candidate; more are Monte-Carlo walks (random_paths). */
  readonly randomPaths: number;
  /**
   * How a micrograph's hits are chosen from the model's probabilities (threshold_algo): 'fixed'
   * above acceptThreshold; 'fisher' the top ktopMax hits above the threshold of fisherThresholds
   * with the least within-class variance; 'soft' p * sigmoid((p - softThreshold) / tau) above softThreshold.
   */
  readonly thresholdAlgo: 'fixed' | 'fisher' | 'soft';
  /** Micrograph nodes with sigmoid(logit) above this join the cluster (fixed_threshold). */
  readonly acceptThreshold: number;
  /** fisher: the candidate thresholds (the reference's default list is empty, quirk 6: we test 0.40, 0.41, ..., 0.60). */
  readonly fisherThresholds: readonly number[];
  /** fisher: at most this many of the highest probabilities are split (ktop_max). */
  readonly ktopMax: number;
  /** soft: the threshold (the reference's learnable thr, initialised at 0.5) and the temperature tau. */
  readonly softThreshold: number;
  readonly tau: number;
  /** A smaller accepted set is a failure (min_cluster_size). */
  readonly minClusterSize: number;
  /** 'pivot-spanned': active nodes with a kept edge from a pivot; 'full': all active nodes. */
  readonly micrograph: 'pivot-spanned' | 'full';
}

export const TUNE5_PIVOT_SEARCH: PivotSearchConfig = Object.freeze({
  pivots: 3,
  seedCandidates: 2,
  seedStrategy: 'random',
  diffuseThreshold: 0.4,
  maxFailures: 2,
  randomPaths: 1,
  thresholdAlgo: 'fixed',
  acceptThreshold: 0.5,
  fisherThresholds: Object.freeze(Array.from({ length: 21 }, (_, k) => Math.round((0.4 + 0.01 * k) * 100) / 100)),
  ktopMax: 30,
  softThreshold: 0.5,
  tau: 0.001,
  minClusterSize: 4,
  micrograph: 'pivot-spanned',
});

/** The cluster losses of training (reference 4.3 c and the tune's `beta.net`). */
export interface ClusterLossConfig {
  /** beta.net.cluster_BCE and beta.net.cluster_contrastive. */
  readonly weights: { readonly clusterBCE: number; readonly clusterContrastive: number };
  /** Which hits are the target of a micrograph: the pivots' majority track ('pivotmajor') or the micrograph's ('major'). */
  readonly target: 'pivotmajor' | 'major';
  /** The set loss under cluster_contrastive. */
  readonly setLoss: 'intersect' | 'dice' | 'jaccard';
  /** Focal gamma of cluster_BCE. */
  readonly gamma: number;
  /** Supervise every scored micrograph ('all') or only the accepted clusters ('accepted', the reference; it can start dead). */
  readonly supervise: 'all' | 'accepted';
}

export const TUNE5_CLUSTER_LOSS: ClusterLossConfig = Object.freeze({
  weights: Object.freeze({ clusterBCE: 0.2, clusterContrastive: 0.2 }),
  target: 'pivotmajor',
  setLoss: 'intersect',
  gamma: 1,
  supervise: 'all',
});

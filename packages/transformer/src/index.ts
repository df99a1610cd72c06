export { TUNE5_TRANSFORMER, TUNE5_PIVOT_SEARCH, TUNE5_CLUSTER_LOSS, type TransformerConfig, type PivotSearchConfig, type ClusterLossConfig } from './config';
export { STransformer } from './model';
export { chooseHits, fisherThreshold } from './thresholds';
export { bestPivotPath, monteCarloPivotPath, micrograph, seedCandidates, hitNorms, type HitNorms, type LocalGraph, type PivotPath } from './pivot-search';
export {
  clusterWithScorer,
  clusterWithSyncScorer,
  clusteringRounds,
  checkPivotSearch,
  type AcceptedCluster,
  type TransformerClusterResult,
  type PivotGraph,
  type TransformerGraph,
  type MicrographQuery,
  type MicrographScorer,
  type TransformerClusterOptions,
  type TransformerStats,
} from './clusterize';
export { transformerScorer, micrographLogits } from './scorer';
export { transformerClusterer, type TransformerClusterer } from './clusterer';
export {
  modeOf,
  clusterTarget,
  clusterFocalLoss,
  intersectLoss,
  intersectWeights,
  diceLoss,
  jaccardLoss,
  eventClusterLosses,
  type ClusterTarget,
  type SetLoss,
} from './losses';
export { clusterLosses, type ClusterTrainingEvent, type ClusterLossOptions } from './training-loss';

export {
  RECONSTRUCTION_DEFAULTS,
  resolveReconstructionConfig,
  type ReconstructionConfig,
  type ReconstructionSettings,
  type ReductionConfig,
  type GraphStageConfig,
  type ClusterStageConfig,
  type EvaluationConfig,
} from './config';
export { Reconstruction, type EventReconstruction, type ReconstructionStages, type EventStream, type RunOptions } from './reconstruction';
export { gnnEdgeScorer, type EdgeScorer, type ScoringGraph } from './edge-scorer';
export { RunEvaluation, graphFigures, type EventResultRow, type GraphResultRow } from './evaluation';
export { refuseVdOverlap, vdOverlapNote } from './vd-overlap';

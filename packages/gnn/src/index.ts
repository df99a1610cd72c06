export { TUNE5_GNN, AGGREGATIONS, EDGE_DECODER_TYPES, PAIR_FEATURES, checkGnnConfig, type Aggregation, type GnnConfig, type EdgeDecoderType, type PairFeatures } from './config';
export { HIT_FEATURES, hitFeatureDim, hitFeatures, networkInput, type HitFeatures } from './hit-features';
export { prepareGraph, checkGraphInput, degreeDifference, type EdgeList, type GraphInput, type GraphTensors } from './graph';
export { SuperEdgeConv, CHECKPOINT_AUTO_EDGES, type SuperEdgeConvOptions } from './super-edge-conv';
export { EdgePredictor, type EdgePredictorOutput } from './model';
export { gnnMemoryBytes, defaultMemoryBudget, checkGnnMemory, maxEdgesWithin, GnnMemoryError, WASM_HEAP_BYTES, type GnnWork, type GraphSize } from './memory';
export {
  edgeFocalLoss,
  edgeContrastiveLoss,
  planContrastive,
  type FocalLossOptions,
  type ContrastiveLossOptions,
  type ContrastiveInput,
  type ContrastivePlan,
} from './losses';
export { TUNE5_TRAINING, checkTrainerConfig, type TrainerConfig } from './train/config';
export type { TrainingExample } from './train/example';
export { GnnTrainer, type StepRecord, type EvaluationRecord } from './train/trainer';
export {
  saveCheckpoint,
  loadCheckpoint,
  latestCheckpoint,
  tidyCheckpoints,
  startingCheckpoint,
  type StartingPoint,
  restoreTrainer,
  loadEdgePredictor,
  checkpointMeta,
  checkpointName,
  latentLossFile,
  LATEST_POINTER,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CheckpointMeta,
  type RestoreOptions,
} from './train/checkpoint';
export { eventGradients, eventLoss, sampledEdgeAuc, type EventLosses, type StageTimes } from './train/gradients';
export { loadLatentLoss, type LatentLossExtension, type LatentLossSpec, type ActiveLatentLoss } from './train/latent-loss';
export { GradientWorkers } from './train/worker-pool';
export { runGradientTask, readNamed, writeNamed, type GradientTask, type GradientResult, type NamedArrays } from './train/gradient-task';
export { pairGeometry, PAIR_GEOMETRY_DIM } from './pair-geometry';
export { TUNE5_DATA, checkDataConfig, type DataConfig } from './fit/data-config';
export { EventPool, graphExample, type GraphExample } from './fit/examples';
export { fit, formatStepSummary, type IterationTiming, type LatentLossPhase, type FitOptions, type FitResult, type FitCallbacks, type FitState, type StepMetrics } from './fit/fit';
export { resumeTraining, type ResumeOptions } from './fit/resume';

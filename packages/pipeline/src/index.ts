export {
  RECONSTRUCTION_DEFAULTS,
  resolveReconstructionConfig,
  mergeReconstructionSettings,
  type ReconstructionConfig,
  type ReconstructionSettings,
  type ReductionConfig,
  type GraphStageConfig,
  type ClusterStageConfig,
  type EvaluationConfig,
} from './config';
export { Reconstruction, type EventReconstruction, type ReconstructionStages, type RunOptions } from './reconstruction';
export { gnnEdgeScorer, type EdgeScorer, type ScoringGraph } from './edge-scorer';
export { RunEvaluation, graphFigures, type EventResultRow, type GraphResultRow, type EvaluationState } from './evaluation';
export { refuseVdOverlap, vdOverlapNote } from './vd-overlap';
export { TUNE5, loadTune, applyOverride, checkTune, overrideTune, tuneReconstructionSettings, tuneTransformerConfig, type Tune, type TuneClusterConfig, type TuneTransformerConfig, type TuneOverrides } from './tune';
export { transformerLatentLoss, transformerLossSpec, transformerPhase, createTransformerLoss, TRANSFORMER_PREFIX, type TransformerLossOptions } from './transformer-phase';
export { loadTransformer, transformerStage, type LoadedTransformer } from './transformer-model';
export { splitByEvent, clusterLabels, SubmissionScoring, type EventSubmission, type SubmissionEventScore, type ScoringState } from './submission';
export { voxdynTrainingEvents } from './voxdyn-events';
export { formatEventRows, formatGraphRows, formatScores } from './tables';
export { loadRecipe, type Recipe, type RecipeStage } from './recipe';
export { runRecipe, type RecipeRunOptions, type StageStart } from './recipe-run';
export { configChanges } from './config-changes';
export { openTrainingRun, trainingEvents, tuneForGraph, type TrainingRun, type TrainingRunStart } from './training-run';
export { tuneWithFlags, defaultRunFolder, checkStartFlags, type TrainingFlags } from './training-flags';
export { PARTIAL_FILE, PARTIAL_FORMAT, configHash, shardFolder, writePartial, partialFolders, readPartials, type PartialKind, type PartialManifest, type ShardResult } from './scaleout/partial';
export { pretrainVoxdyn, voxdynModelName, type PretrainVoxdynOptions, type PretrainedModel } from './scaleout/pretrain-voxdyn';
export { mergePartials, type MergeResult, type MergedVoxdyn, type MergedInfer, type MergedScore } from './scaleout/merge';
export { writeInferShard, mergeInferShards, writeScoreShard, mergeScoreShards, EVALUATION_FILE, type InferRun, type ScoreRun } from './scaleout/run-shards';
export { encodeState, decodeState } from './scaleout/state-json';
export { SLURM_COMMANDS, jobFolder, shardsToRun, slurmScripts, submitSlurm, waitForJobs, slurmOutcome, runSlurm, type SlurmCommand, type SlurmJob, type SlurmResources, type SlurmRunOptions, type Submission } from './scaleout/slurm';

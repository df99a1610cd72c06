export {
  initBackend,
  BACKEND_ORDER,
  type BackendName,
  type BackendAttempt,
  type BackendInfo,
  type InitBackendOptions,
} from './backend';
export { patchWasmBatchMatMul, unpatchWasmBatchMatMul, isWasmBatchMatMulPatched, simdWeightGradientCount } from './matmul-patch';
export { patchWasmIdentity, unpatchWasmIdentity } from './identity-patch';
export { patchWasmRowKernels, unpatchWasmRowKernels } from './rows-patch';
export { nativeStatus, nativeKernels } from './native';
export * as ops from './ops';
export { gatherRows, segmentSum, segmentMean, segmentCounts, rowIndex, type RowIndex } from './ops';
export { actBatchNorm, actBatchNormEval, denseActBatchNormEval, type EvalBatchNorm, edgeMessageEval, type EdgeMessageInputs, fusedSilu, edgePairFeatures, gatherPairAdd, setFusedKernels, simdLoopsActive, fusedKernelsActive, registerWasmKernels, type ActBatchNormResult } from './fused';
export { setSimdLoops } from './simd/heap';
export { checkpoint, isRecomputing } from './checkpoint';
export { Module, type StateDict, type LoadStateOptions } from './module';
export { Linear, type LinearOptions } from './layers/linear';
export { initialLinear, type LinearInit } from './layers/init';
export { BatchNorm1d, type BatchNormOptions } from './layers/batchnorm';
export { silu, activation, checkActivation, ACTIVATIONS, type ActivationName } from './layers/activation';
export { Mlp, type MlpOptions } from './layers/mlp';
export { LayerNorm, type LayerNormOptions } from './layers/layernorm';
export { MAB, SAB, MASKED_SCORE, type MabOptions, type SetMask } from './layers/attention';
export {
  AdamW,
  Adam,
  SGD,
  createOptimizer,
  OPTIMIZERS,
  type Optimizer,
  type OptimizerName,
  type OptimizerOptions,
  type OptimizerState,
} from './optim/adamw';
export {
  defaultDecayGroup,
  selectTrainable,
  freezeByName,
  matchesName,
  countParameters,
  namedGradients,
  type DecayGroup,
  type GradientMap,
  type NamePattern,
  type SelectOptions,
} from './optim/groups';
export { clipGradNorm } from './optim/clip';
export {
  createSchedule,
  learningRateAt,
  checkSchedule,
  SCHEDULES,
  type Schedule,
  type ScheduleName,
  type ScheduleOptions,
} from './optim/schedule';
export {
  encodeSafetensors,
  decodeSafetensors,
  readSafetensors,
  saveStateDict,
  loadStateDict,
  stateDictToSafetensors,
  safetensorsToStateDict,
  SAFETENSORS_DTYPES,
  type SafetensorsDtype,
  type SafetensorsArrays,
  type SafetensorsEntry,
  type SafetensorsFile,
  type SaveStateDictOptions,
} from './io/safetensors';
export { kernelState, type KernelState } from './kernel-state';

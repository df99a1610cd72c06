import * as tf from '@tensorflow/tfjs-core';
import { actBatchNormConfig } from './HyperTrackActBatchNorm';
import { actBatchNormEvalConfig } from './HyperTrackActBatchNormEval';
import { actBatchNormGradConfig } from './HyperTrackActBatchNormGrad';
import { denseActBatchNormEvalConfig } from './HyperTrackDenseActBatchNormEval';
import { edgeMessageEvalConfig } from './HyperTrackEdgeMessageEval';
import { pairConfig } from './HyperTrackEdgePairFeatures';
import { pairGradConfig } from './HyperTrackEdgePairFeaturesGrad';
import { gatherPairAddConfig } from './HyperTrackGatherPairAdd';
import { gatherPairAddGradConfig } from './HyperTrackGatherPairAddGrad';
import { siluConfig } from './HyperTrackSilu';
import { siluGradConfig } from './HyperTrackSiluGrad';
import type { WasmKernelConfig } from './kernel-helper';

const kernelConfigs: readonly WasmKernelConfig[] = [
  actBatchNormConfig,
  actBatchNormGradConfig,
  actBatchNormEvalConfig,
  denseActBatchNormEvalConfig,
  edgeMessageEvalConfig,
  siluConfig,
  siluGradConfig,
  pairConfig,
  pairGradConfig,
  gatherPairAddConfig,
  gatherPairAddGradConfig,
];

let registered: boolean | undefined;

/** Registers the custom wasm kernels once; false when the wasm backend's kernels are absent. */
export function registerWasmKernels(): boolean {
  if (registered !== undefined) return registered;
  if (tf.getKernel('Sigmoid', 'wasm') === undefined) return false;
  for (const config of kernelConfigs) if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  registered = true;
  return true;
}

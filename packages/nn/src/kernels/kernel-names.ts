/**
 * Names and attributes of the custom wasm kernels, shared by the kernels (./*.ts) and the ops that
 * run them (../fused). The attributes are type aliases, not interfaces, so that they are
 * tf.NamedAttrMap values as they are.
 */

export const ACT_BN = 'HyperTrackActBatchNorm';
export const ACT_BN_GRAD = 'HyperTrackActBatchNormGrad';
export const ACT_BN_EVAL = 'HyperTrackActBatchNormEval';
export const DENSE_ACT_BN_EVAL = 'HyperTrackDenseActBatchNormEval';
export const EDGE_MESSAGE_EVAL = 'HyperTrackEdgeMessageEval';
export const SILU = 'HyperTrackSilu';
export const SILU_GRAD = 'HyperTrackSiluGrad';
export const PAIR = 'HyperTrackEdgePairFeatures';
export const PAIR_GRAD = 'HyperTrackEdgePairFeaturesGrad';
export const GATHER_PAIR_ADD = 'HyperTrackGatherPairAdd';
export const GATHER_PAIR_ADD_GRAD = 'HyperTrackGatherPairAddGrad';

export type Act = 'silu' | 'none';

export type ActBnAttrs = {
  act: Act;
  eps: number;
};

export type GatherPairAddGradAttrs = {
  rows: number;
};

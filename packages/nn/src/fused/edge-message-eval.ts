import * as tf from '@tensorflow/tfjs-core';
import { EDGE_MESSAGE_EVAL, type Act, type ActBnAttrs } from '../kernels/kernel-names';
import { nativeKernels, nativeKernelsActive } from '../native';
import { actBatchNormEval } from './act-batchnorm-eval';
import type { EvalBatchNorm } from './dense-act-batchnorm-eval';
import { edgePairFeatures } from './edge-pair-features';
import { gatherPairAdd } from './gather-pair-add';
import { fusedKernelsActive } from './switches';

/** The inputs of SuperEdgeConv's first message block over the edges j -> i (j = src, i = dst). */
export interface EdgeMessageInputs {
  readonly h: tf.Tensor2D;
  /** [E, 1] int32 row indices (ops.rowIndex). */
  readonly src: tf.Tensor2D;
  readonly dst: tf.Tensor2D;
  /** [E, 1] edge attribute a_ij. */
  readonly attr: tf.Tensor2D;
  /** Optional per-edge geometry [E, g] after a_ij. */
  readonly geometry?: tf.Tensor2D;
  /** [d + 3 + g, m]: the rows of the first Linear that multiply the pair features (and geometry). */
  readonly w: tf.Tensor2D;
  /** [N, 2m]: per-node halves, [:, :m] gathered by dst and [:, m:] by src (bias included). */
  readonly table: tf.Tensor2D;
}

/** Whether the one-pass kernel runs here for these widths. */
function fusedHere(d: number, g: number, m: number): boolean {
  if (!(fusedKernelsActive() && nativeKernelsActive())) return false;
  const kernels = nativeKernels();
  return kernels !== null && kernels.addon.messageEvalFits(d, g, m);
}

/** The composition the fused kernel replaces (and its gradient where one is asked for). */
function composed(inputs: EdgeMessageInputs, h: tf.Tensor, w: tf.Tensor, table: tf.Tensor, norm: EvalBatchNorm, act: Act): tf.Tensor2D {
  return tf.tidy(() => {
    let p: tf.Tensor2D = edgePairFeatures(h as tf.Tensor2D, inputs.src, inputs.dst, inputs.attr);
    if (inputs.geometry !== undefined) p = tf.concat([p, inputs.geometry], 1);
    const pre = gatherPairAdd(tf.matMul(p, w as tf.Tensor2D), table as tf.Tensor2D, inputs.dst, inputs.src);
    return actBatchNormEval(pre, norm.weight, norm.bias, norm.mean, norm.variance, { act, eps: norm.eps });
  });
}

/**
 * SuperEdgeConv's first message block in evaluation mode:
 *   BatchNorm(act([h_j h_i, |h_j - h_i|, <h_j, h_i>, a_ij, g_ij] w + table[i, :m] + table[j, m:])),
 * with the running statistics. Where the native AVX-512 tiles run, one pass over the edges: the
 * pair features of each tile are built in cache and never written, and the per-node halves,
 * activation and BatchNorm are applied before the block's output is stored. Elsewhere the
 * composition of edgePairFeatures, a product, gatherPairAdd and actBatchNormEval, with the same
 * results up to rounding. Under a gradient tape it is always the composition (differentiable in h,
 * w and table).
 */
export function edgeMessageEval(inputs: EdgeMessageInputs, norm: EvalBatchNorm, act: Act): tf.Tensor2D {
  const [, d] = inputs.h.shape;
  const g = inputs.geometry === undefined ? 0 : inputs.geometry.shape[1];
  const m = inputs.w.shape[1];
  if (inputs.w.shape[0] !== d + 3 + g) throw new RangeError(`edgeMessageEval: w has ${inputs.w.shape[0]} rows, expected ${d + 3 + g}`);
  if (inputs.table.shape[1] !== 2 * m) throw new RangeError(`edgeMessageEval: table has ${inputs.table.shape[1]} columns, expected ${2 * m}`);
  // Under a gradient tape (tf.grad and kin) the composition runs, so gradients flow as usual; the
  // one-pass kernel is for inference, where nothing is recorded.
  const recording = tf.engine().state.gradientDepth > 0;
  if (recording || !fusedHere(d, g, m)) return composed(inputs, inputs.h, inputs.w, inputs.table, norm, act);
  const kernelInputs: tf.NamedTensorMap = { h: inputs.h, src: inputs.src, dst: inputs.dst, attr: inputs.attr, w: inputs.w, table: inputs.table, weight: norm.weight, bnBias: norm.bias, mean: norm.mean, variance: norm.variance };
  if (inputs.geometry !== undefined) kernelInputs.geometry = inputs.geometry;
  return tf.engine().runKernel(EDGE_MESSAGE_EVAL, kernelInputs, { act, eps: norm.eps } satisfies ActBnAttrs) as tf.Tensor2D;
}

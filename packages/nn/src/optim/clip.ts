import * as tf from '@tensorflow/tfjs-core';
import { gradientEntries, type GradientMap } from './groups';

/**
 * PyTorch's `clip_grad_norm_(params, maxNorm)` (2-norm): the global norm over all gradients,
 * then every gradient times `min(1, maxNorm / (norm + 1e-6))`. Returns new tensors in every case
 * (clones when nothing is scaled), so the caller disposes the inputs and the outputs alike, and
 * the norm before clipping. A non-finite norm turns the gradients into NaN, as in PyTorch (whose
 * `error_if_nonfinite` is off by default).
 */
export function clipGradNorm(grads: GradientMap, maxNorm: number): { grads: Map<string, tf.Tensor>; norm: number } {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be positive, got ${maxNorm}`);
  const entries = gradientEntries(grads);
  if (entries.length === 0) return { grads: new Map(), norm: 0 };
  const squares = tf.tidy(() => tf.addN(entries.map(([, g]) => tf.sum(tf.square(tf.cast(g, 'float32'))))));
  const norm = Math.sqrt(squares.dataSync()[0] ?? 0);
  squares.dispose();
  const coefficient = Math.min(1, maxNorm / (norm + 1e-6));
  const scale = Number.isNaN(coefficient) || coefficient < 1;
  const out = new Map<string, tf.Tensor>();
  for (const [name, g] of entries) out.set(name, scale ? tf.mul(g, coefficient) : tf.clone(g));
  return { grads: out, norm };
}

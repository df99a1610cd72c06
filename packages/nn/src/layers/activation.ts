import * as tf from '@tensorflow/tfjs-core';
import { fusedSilu } from '../fused';

/** The activations of reference 3.1 (tune-5 uses silu everywhere). */
export type ActivationName = 'silu' | 'relu' | 'tanh' | 'elu';

export const ACTIVATIONS: readonly ActivationName[] = ['silu', 'relu', 'tanh', 'elu'];

/**
 * SiLU x * sigmoid(x) as one op with a hand-written gradient dy * s * (1 + x * (1 - s)): tfjs has
 * no SiLU, and composing it keeps two extra [rows, features] tensors alive for the backward pass.
 * Only x is kept; on wasm it runs a fused kernel (see `fusedSilu`).
 */
export const silu: (x: tf.Tensor) => tf.Tensor = fusedSilu;

export function activation(name: ActivationName, x: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'silu':
      return silu(x);
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.elu(x);
  }
}

export function checkActivation(name: string): ActivationName {
  if (!(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new RangeError(`unknown activation '${name}' (expected one of ${ACTIVATIONS.join(', ')})`);
  }
  return name as ActivationName;
}

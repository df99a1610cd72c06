import type * as tf from '@tensorflow/tfjs-core';
import { f32, type WasmBackend } from '../simd/heap';

/**
 * An evaluation-mode BatchNorm as the affine map it is, in a heap scratch of 2F floats: scale
 * (weight / sqrt(variance + eps)) then shift (bias - mean * scale). The caller disposes it.
 * Allocates, so call it before taking any other heap view.
 */
export function runningAffine(backend: WasmBackend, norm: { weight: tf.TensorInfo; bias: tf.TensorInfo; mean: tf.TensorInfo; variance: tf.TensorInfo }, eps: number): tf.TensorInfo {
  const features = norm.weight.shape[0];
  const affine = backend.makeOutput([2 * features], 'float32');
  const [W, B, M, V, A] = [f32(backend, norm.weight), f32(backend, norm.bias), f32(backend, norm.mean), f32(backend, norm.variance), f32(backend, affine)];
  for (let f = 0; f < features; f++) {
    A[f] = W[f] / Math.sqrt(V[f] + eps);
    A[features + f] = B[f] - M[f] * A[f];
  }
  return affine;
}

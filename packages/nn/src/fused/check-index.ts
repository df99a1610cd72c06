import type * as tf from '@tensorflow/tfjs-core';

export function checkIndex(what: string, index: tf.Tensor, edges?: number): void {
  if (index.dtype !== 'int32' || index.rank !== 2 || index.shape[1] !== 1 || (edges !== undefined && index.shape[0] !== edges)) {
    throw new TypeError(`${what} must be an int32 [E, 1] tensor (rowIndex) for ${edges ?? 'E'} edges, got ${index.dtype} [${index.shape.join(', ')}]`);
  }
}

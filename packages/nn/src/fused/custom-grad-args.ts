import type * as tf from '@tensorflow/tfjs-core';

/**
 * The arguments tf.customGrad hands a forward function whose last input is optional: the three
 * inputs (x, weight, bias), the optional fourth (the preceding dense layer's bias) when the op was
 * called with it, and the save function that follows them.
 */
export function withOptionalBias(args: ReadonlyArray<tf.Tensor | tf.GradSaveFunc>, hasBias: boolean): { x: tf.Tensor; w: tf.Tensor; b: tf.Tensor; xBias: tf.Tensor | undefined; save: tf.GradSaveFunc } {
  const count = hasBias ? 4 : 3;
  const [x, w, b, xBias] = args.slice(0, count) as tf.Tensor[];
  return { x, w, b, xBias: hasBias ? xBias : undefined, save: args[count] as tf.GradSaveFunc };
}

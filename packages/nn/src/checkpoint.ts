import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient checkpointing (activation recomputation): `checkpoint(fn, inputs, params)` computes
 * `fn(...inputs)` without recording its intermediate tensors for the backward pass, and keeps only
 * the inputs. When the gradient is taken, fn runs again with the tape on, and its gradients with
 * respect to the inputs and to `params` (the variables fn reads) are passed on. Memory for the
 * backward pass drops from all of fn's activations to its inputs, for the price of a second
 * forward pass of fn; with one checkpoint per layer, only one layer's activations are alive at a
 * time in the backward pass.
 *
 * fn must be deterministic (no dropout: its mask would differ the second time). BatchNorm layers
 * see `isRecomputing()` during the second pass and do not move their running statistics twice.
 * Every variable fn reads and that should get a gradient must be in `params`; other tensors fn
 * reads (graph indices, constants) are treated as constants.
 */
let recomputing = 0;

/** True while a checkpointed function runs for the second time, in the backward pass. */
export function isRecomputing(): boolean {
  return recomputing > 0;
}

/** tfjs keeps the tape and the gradient depth in the engine's state; the nested pass swaps them out. */
interface TapeState {
  activeTape: unknown;
  gradientDepth: number;
}

export function checkpoint<T extends tf.Tensor>(fn: (...inputs: tf.Tensor[]) => T, inputs: readonly tf.Tensor[], params: readonly tf.Variable[]): T {
  const numInputs = inputs.length;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xs = args.slice(0, numInputs) as tf.Tensor[];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    save(xs);
    const value = tf.tidy(() => fn(...xs));
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => recomputeGradients(fn, saved, params, dy),
    };
  });
  return op(...inputs, ...params) as T;
}

function recomputeGradients(fn: (...inputs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], params: readonly tf.Variable[], dy: tf.Tensor): tf.Tensor[] {
  const engine = tf.engine();
  const state = engine.state as unknown as TapeState;
  // A fresh, independent tape for the recomputation: engine.gradients would otherwise reuse or
  // replace the tape of the backward pass that is running now.
  const outerTape = state.activeTape;
  const outerDepth = state.gradientDepth;
  state.activeTape = null;
  state.gradientDepth = 0;
  recomputing++;
  try {
    const targets = [...xs, ...params];
    const { value, grads } = engine.gradients(() => fn(...xs), targets, dy, true);
    value.dispose();
    return grads.map((g, k) => g ?? tf.zerosLike(targets[k]));
  } finally {
    recomputing--;
    state.activeTape = outerTape;
    state.gradientDepth = outerDepth;
  }
}

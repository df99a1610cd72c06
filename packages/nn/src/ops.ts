import * as tf from '@tensorflow/tfjs-core';

/**
 * The differentiable row gather and segment reductions every message-passing model uses.
 *
 * Model code must call these, never `tf.gather` or `tf.unsortedSegmentSum`: on the wasm backend
 * `tf.gather` is about 10x slower than `gatherND` for row gathers, `UnsortedSegmentSum` has no
 * kernel at all (so `tf.gather`'s gradient and `tf.unsortedSegmentSum` throw), and on the cpu
 * backend that kernel costs O(segments x rows x features). Each op here is a `gatherND` /
 * `scatterND` pair whose gradient is the other half of the pair.
 *
 * Indices are int32 and are not range-checked (that would need a device read): an index outside
 * `[0, rows)` or `[0, numSegments)` is undefined behaviour of the kernel.
 */

/** Row indices: a 1-D int32 tensor or array of length E, or an already prepared [E, 1] tensor. */
export type RowIndex = tf.Tensor1D | tf.Tensor2D | Int32Array | readonly number[];

/**
 * The [E, 1] int32 form gatherND/scatterND take. Prepare it once with this function when the same
 * index is used many times (an edge list across layers and steps); the caller then owns it.
 */
export function rowIndex(index: RowIndex): tf.Tensor2D {
  if (index instanceof tf.Tensor) {
    if (index.dtype !== 'int32') throw new TypeError(`row index must be int32, got ${index.dtype}`);
    if (index.rank === 1) return tf.expandDims(index, 1) as tf.Tensor2D;
    if (index.rank === 2 && index.shape[1] === 1) return tf.clone(index) as tf.Tensor2D;
    throw new TypeError(`row index must have shape [E] or [E, 1], got [${index.shape.join(', ')}]`);
  }
  const data = index instanceof Int32Array ? index : Int32Array.from(index);
  return tf.tensor2d(data, [data.length, 1], 'int32');
}

/** Runs `body` with the [E, 1] index, disposing it afterwards when it was made here. */
function withIndex<T>(index: RowIndex, body: (index2: tf.Tensor2D) => T): T {
  if (index instanceof tf.Tensor && index.rank === 2) {
    rowIndex(index).dispose(); // validates shape and dtype
    return body(index as tf.Tensor2D);
  }
  const index2 = rowIndex(index);
  try {
    return body(index2);
  } finally {
    index2.dispose();
  }
}

type UnaryGradFunc = (
  input: tf.Tensor,
  save: tf.GradSaveFunc,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor };

/**
 * `tf.customGrad` for one input. Index tensors go through `save` (tfjs keeps a clone until the
 * backward pass), because the caller's index may be disposed before gradients are taken.
 */
function unaryCustomGrad(f: UnaryGradFunc): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => f(args[0] as tf.Tensor, args[1] as tf.GradSaveFunc));
}

function checkRows(what: string, x: tf.Tensor, rows: number): void {
  if (x.rank < 1) throw new TypeError(`${what} must have rank >= 1`);
  if (x.shape[0] !== rows) throw new TypeError(`${what} has ${x.shape[0]} rows but the index has ${rows} entries`);
}

/**
 * `out[e] = x[index[e]]` for every row e: x [N, ...] gives [E, ...].
 * Gradient: `dx = scatterND(index, dy, x.shape)` (duplicate indices add up).
 */
export function gatherRows<T extends tf.Tensor>(x: T, index: RowIndex): T {
  return withIndex(index, (index2) => {
    const op = unaryCustomGrad((input, save) => {
      save([index2]);
      return {
        value: tf.gatherND(input, index2),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.scatterND(saved[0], dy, input.shape),
      };
    });
    return op(x) as T;
  });
}

/**
 * `out[s] = sum of values[e] over e with segmentIds[e] = s`: values [E, ...] gives
 * [numSegments, ...]; empty segments are zero. Gradient: `dvalues = gatherND(dy, segmentIds)`.
 */
export function segmentSum<T extends tf.Tensor>(values: T, segmentIds: RowIndex, numSegments: number): T {
  checkSegments(numSegments);
  return withIndex(segmentIds, (ids2) => {
    checkRows('segmentSum values', values, ids2.shape[0]);
    const op = unaryCustomGrad((input, save) => {
      save([ids2]);
      return {
        value: tf.scatterND(ids2, input, [numSegments, ...input.shape.slice(1)]),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.gatherND(dy, saved[0]),
      };
    });
    return op(values) as T;
  });
}

/**
 * Number of entries in each segment, as float32 [numSegments]. Not differentiable.
 */
export function segmentCounts(segmentIds: RowIndex, numSegments: number): tf.Tensor1D {
  checkSegments(numSegments);
  return withIndex(segmentIds, (ids2) =>
    tf.tidy(() => tf.scatterND(ids2, tf.ones([ids2.shape[0]], 'float32'), [numSegments]) as tf.Tensor1D),
  );
}

/**
 * Mean of the rows in each segment: `segmentSum / count`, zero for empty segments.
 * Gradient: `dvalues[e] = dy[segmentIds[e]] / count[segmentIds[e]]`.
 */
export function segmentMean<T extends tf.Tensor>(values: T, segmentIds: RowIndex, numSegments: number): T {
  checkSegments(numSegments);
  return withIndex(segmentIds, (ids2) => {
    checkRows('segmentMean values', values, ids2.shape[0]);
    const featureDims = values.shape.slice(1);
    // [numSegments, 1, 1, ...]: 1 / max(count, 1), broadcast over the feature axes.
    const inverse = tf.tidy(() => {
      const counts = tf.scatterND(ids2, tf.ones([ids2.shape[0]], 'float32'), [numSegments]);
      return tf.reshape(tf.reciprocal(tf.maximum(counts, 1)), [numSegments, ...featureDims.map(() => 1)]);
    });
    try {
      const op = unaryCustomGrad((input, save) => {
        save([ids2, inverse]);
        return {
          value: tf.tidy(() => tf.mul(tf.scatterND(ids2, input, [numSegments, ...featureDims]), inverse)),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => tf.gatherND(tf.mul(dy, saved[1]), saved[0])),
        };
      });
      return op(values) as T;
    } finally {
      inverse.dispose();
    }
  });
}

function checkSegments(numSegments: number): void {
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new RangeError(`numSegments must be a non-negative integer, got ${numSegments}`);
  }
}

// The fused ops and gradient checkpointing belong to the same layer (see fused/, checkpoint.ts).
export { actBatchNorm, fusedSilu, edgePairFeatures, gatherPairAdd, setFusedKernels, fusedKernelsActive } from './fused';
export { checkpoint, isRecomputing } from './checkpoint';

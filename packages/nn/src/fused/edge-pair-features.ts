import * as tf from '@tensorflow/tfjs-core';
import { PAIR, PAIR_GRAD } from '../kernels/kernel-names';
import { checkIndex } from './check-index';
import { fusedKernelsActive } from './switches';

// Edge features of a node pair (the SuperEdgeConv message input that cannot be applied per node).

/**
 * The per-edge features of the node pair j = src[e] -> i = dst[e] that do not factor into per-node
 * products: `[h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr_e]`, [E, d + 3]. One op; on wasm one pass
 * over the edges forward and one backward (the gradient scatters straight into dh), instead of two
 * gathers, the product, the norm, the dot and a concatenation and all their gradients.
 * Differentiable in h and attr; the norm's gradient is 0 where h_j = h_i (a self-loop). Indices
 * are the prepared [E, 1] int32 tensors of `rowIndex`; on wasm an index outside h's rows is a
 * RangeError naming it.
 */
export function edgePairFeatures(h: tf.Tensor2D, src: tf.Tensor2D, dst: tf.Tensor2D, attr: tf.Tensor2D): tf.Tensor2D {
  const edges = src.shape[0];
  checkIndex('src', src);
  checkIndex('dst', dst, edges);
  if (h.rank !== 2) throw new RangeError(`edgePairFeatures expects h [N, d], got [${h.shape.join(', ')}]`);
  if (attr.rank !== 2 || attr.shape[0] !== edges || attr.shape[1] !== 1) {
    throw new RangeError(`edgePairFeatures expects attr [${edges}, 1], got [${attr.shape.join(', ')}]`);
  }
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [hIn, attrIn] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    save([hIn, src, dst]);
    const value = fusedKernelsActive()
      ? (tf.engine().runKernel(PAIR, { h: hIn, src, dst, attr: attrIn }) as tf.Tensor)
      : tf.tidy(() => {
          const hs = tf.gatherND(hIn, src) as tf.Tensor2D;
          const hd = tf.gatherND(hIn, dst) as tf.Tensor2D;
          const prod = tf.mul(hs, hd);
          const norm = tf.sqrt(tf.sum(tf.square(tf.sub(hs, hd)), 1, true));
          return tf.concat([prod, norm, tf.sum(prod, 1, true), attrIn], 1);
        });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [hs0, s, t] = saved;
        if (fusedKernelsActive()) return tf.engine().runKernel(PAIR_GRAD, { h: hs0, src: s, dst: t, dy }) as tf.Tensor[];
        return tf.tidy(() => {
          const d = hs0.shape[1]!;
          const hs = tf.gatherND(hs0, s) as tf.Tensor2D;
          const hd = tf.gatherND(hs0, t) as tf.Tensor2D;
          const diff = tf.sub(hs, hd);
          const norm = tf.sqrt(tf.sum(tf.square(diff), 1, true));
          const gProd = tf.slice(dy, [0, 0], [-1, d]);
          const gNorm = tf.slice(dy, [0, d], [-1, 1]);
          const gDot = tf.slice(dy, [0, d + 1], [-1, 1]);
          const gp = tf.add(gProd, gDot);
          const scale = tf.where(tf.greater(norm, 0), tf.div(gNorm, tf.maximum(norm, 1e-30)), tf.zerosLike(norm));
          const gn = tf.mul(diff, scale);
          const shape = hs0.shape as [number, number];
          const dh = tf.add(tf.scatterND(s, tf.add(tf.mul(gp, hd), gn), shape), tf.scatterND(t, tf.sub(tf.mul(gp, hs), gn), shape));
          return [dh, tf.slice(dy, [0, d + 2], [-1, 1])];
        });
      },
    };
  });
  return op(h, attr) as tf.Tensor2D;
}

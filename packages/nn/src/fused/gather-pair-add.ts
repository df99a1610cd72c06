import * as tf from '@tensorflow/tfjs-core';
import { GATHER_PAIR_ADD, GATHER_PAIR_ADD_GRAD } from '../kernels/kernel-names';
import { checkIndex } from './check-index';
import { fusedKernelsActive } from './switches';

/**
 * `out[e] = edge[e] + table[first[e], :m] + table[second[e], m:]` for edge [E, m] and table
 * [N, 2m]: the two per-node halves of a factored linear map, gathered to the edges and added, in
 * one op (one pass each way on wasm). Differentiable in edge and table.
 */
export function gatherPairAdd(edge: tf.Tensor2D, table: tf.Tensor2D, first: tf.Tensor2D, second: tf.Tensor2D): tf.Tensor2D {
  const [edges, m] = edge.shape;
  checkIndex('first', first, edges);
  checkIndex('second', second, edges);
  if (table.rank !== 2 || table.shape[1] !== 2 * m) {
    throw new RangeError(`gatherPairAdd expects table [N, ${2 * m}], got [${table.shape.join(', ')}]`);
  }
  const rows = table.shape[0];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [edgeIn, tableIn] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    save([first, second]);
    const value = fusedKernelsActive()
      ? (tf.engine().runKernel(GATHER_PAIR_ADD, { edge: edgeIn, table: tableIn, first, second }) as tf.Tensor)
      : tf.tidy(() =>
          tf.add(
            edgeIn,
            tf.add(tf.gatherND(tf.slice(tableIn, [0, 0], [-1, m]), first), tf.gatherND(tf.slice(tableIn, [0, m], [-1, m]), second)),
          ),
        );
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [f, s] = saved;
        if (fusedKernelsActive()) {
          const dtable = tf.engine().runKernel(GATHER_PAIR_ADD_GRAD, { dy, first: f, second: s }, { rows }) as tf.Tensor;
          return [tf.clone(dy), dtable];
        }
        return tf.tidy(() => [tf.clone(dy), tf.concat([tf.scatterND(f, dy, [rows, m]), tf.scatterND(s, dy, [rows, m])], 1)]);
      },
    };
  });
  return op(edge, table) as tf.Tensor2D;
}

import * as tf from '@tensorflow/tfjs-core';
import type { MicrographQuery, MicrographScorer, TransformerGraph } from './clusterize';
import type { STransformer } from './model';

/**
 * The STransformer as a micrograph scorer: rows [z, x] (latent, then raw mm coordinates) for each
 * micrograph hit and pivot, zero-padded to the longest of the batch with boolean masks, one forward
 * pass in evaluation mode, sigmoid; each query gets its first |micrograph| probabilities.
 */
export function transformerScorer(model: STransformer): MicrographScorer {
  return async (graph: TransformerGraph, queries: readonly MicrographQuery[]) => {
    const width = model.config.inDim;
    if (graph.latentDim + 3 !== width) throw new RangeError(`the transformer reads rows of ${width} values; latents of ${graph.latentDim} plus 3 coordinates make ${graph.latentDim + 3}`);
    const batch = queries.length;
    const nq = Math.max(...queries.map((q) => q.nodes.length));
    const np = Math.max(...queries.map((q) => q.pivots.length));
    const rows = (hits: Int32Array, length: number) => {
      const out = new Float32Array(length * width);
      hits.forEach((h, k) => {
        out.set(graph.latents.subarray(h * graph.latentDim, (h + 1) * graph.latentDim), k * width);
        out.set(graph.coords.subarray(3 * h, 3 * h + 3), k * width + graph.latentDim);
      });
      return out;
    };
    const nodeData = new Float32Array(batch * nq * width);
    const pivotData = new Float32Array(batch * np * width);
    const nodeMask = new Uint8Array(batch * nq);
    const pivotMask = new Uint8Array(batch * np);
    queries.forEach((q, b) => {
      nodeData.set(rows(q.nodes, q.nodes.length), b * nq * width);
      pivotData.set(rows(q.pivots, q.pivots.length), b * np * width);
      nodeMask.fill(1, b * nq, b * nq + q.nodes.length);
      pivotMask.fill(1, b * np, b * np + q.pivots.length);
    });
    const wasTraining = model.training;
    model.eval();
    try {
      const probabilities = tf.tidy(() =>
        tf.sigmoid(model.apply(tf.tensor3d(nodeData, [batch, nq, width]), tf.tensor3d(pivotData, [batch, np, width]), tf.tensor2d(nodeMask, [batch, nq], 'bool'), tf.tensor2d(pivotMask, [batch, np], 'bool'))),
      );
      const values = await probabilities.data();
      probabilities.dispose();
      return queries.map((q, b) => Float32Array.from(values.subarray(b * nq, b * nq + q.nodes.length)));
    } finally {
      model.train(wasTraining);
    }
  };
}

import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@hypertrack/core';
import { gatherRows } from '@hypertrack/nn';
import type { MicrographQuery, MicrographScorer, TransformerGraph } from './clusterize';
import type { STransformer } from './model';

/**
 * Logits [B, nq] of a batch of queries: each query's micrograph and pivot rows gathered from
 * `table` ([N + 1, width]: one row [z, x] per hit, then a zero row that pads every query to the
 * longest of the batch), with the padding masked. Differentiable in `table` and the model; the
 * tensors belong to the caller's scope. Query b's outputs are row b's first |nodes| entries.
 */
export function micrographLogits(model: STransformer, table: tf.Tensor2D, queries: readonly MicrographQuery[]): tf.Tensor2D {
  const width = model.config.inDim;
  const padRow = table.shape[0] - 1;
  const batch = queries.length;
  checkAttentionBudget(queries, model.config.heads);
  const padded = (pick: (q: MicrographQuery) => Int32Array) => {
    const length = Math.max(...queries.map((q) => pick(q).length));
    const index = new Int32Array(batch * length).fill(padRow);
    const mask = new Uint8Array(batch * length);
    queries.forEach((q, b) => {
      index.set(pick(q), b * length);
      mask.fill(1, b * length, b * length + pick(q).length);
    });
    return {
      rows: tf.reshape(gatherRows(table, index), [batch, length, width]) as tf.Tensor3D,
      mask: tf.tensor2d(mask, [batch, length], 'bool'),
    };
  };
  const nodes = padded((q) => q.nodes);
  const pivots = padded((q) => q.pivots);
  return model.apply(nodes.rows, pivots.rows, nodes.mask, pivots.mask);
}

/** The largest attention score tensor a batch may make: [B, heads, Nq, Nq] float32. */
export const ATTENTION_BUDGET_BYTES = 2 ** 30;

/**
 * Self-attention over a micrograph grows with its size squared: a batch whose score tensor would
 * pass ATTENTION_BUDGET_BYTES fails before anything is allocated, saying what to lower.
 */
function checkAttentionBudget(queries: readonly MicrographQuery[], heads: number): void {
  const longest = Math.max(...queries.map((q) => q.nodes.length));
  const bytes = queries.length * heads * longest * longest * 4;
  if (bytes > ATTENTION_BUDGET_BYTES) {
    throw new ConfigError(
      'batchComponents',
      `${queries.length} micrographs of up to ${longest} hits need ${(bytes / 2 ** 30).toFixed(1)} GiB of attention scores (budget ${ATTENTION_BUDGET_BYTES / 2 ** 30} GiB): lower batchComponents, use the pivot-spanned micrograph, or raise the edge threshold`,
    );
  }
}

/** Each query's probabilities: the first |nodes| entries of its row of sigmoid(logits). */
export function queryProbabilities(probabilities: Float32Array, columns: number, queries: readonly MicrographQuery[]): Float32Array[] {
  return queries.map((q, b) => probabilities.slice(b * columns, b * columns + q.nodes.length));
}

/** [N + 1, latentDim + 3] host rows [z, x] of a graph's hits and the zero padding row, built once per graph. */
const hostTables = new WeakMap<TransformerGraph, Float32Array>();
function hostTable(graph: TransformerGraph): Float32Array {
  let table = hostTables.get(graph);
  if (table === undefined) {
    const width = graph.latentDim + 3;
    table = new Float32Array((graph.numHits + 1) * width);
    for (let h = 0; h < graph.numHits; h++) {
      table.set(graph.latents.subarray(h * graph.latentDim, (h + 1) * graph.latentDim), h * width);
      table.set(graph.coords.subarray(3 * h, 3 * h + 3), h * width + graph.latentDim);
    }
    hostTables.set(graph, table);
  }
  return table;
}

/**
 * The STransformer as a micrograph scorer at inference: rows [z, x] from the graph's host arrays,
 * one forward pass in evaluation mode per batch of queries, sigmoid.
 */
export function transformerScorer(model: STransformer): MicrographScorer {
  return async (graph: TransformerGraph, queries: readonly MicrographQuery[]) => {
    const width = model.config.inDim;
    if (graph.latentDim + 3 !== width) throw new RangeError(`the transformer reads rows of ${width} values; latents of ${graph.latentDim} plus 3 coordinates make ${graph.latentDim + 3}`);
    const wasTraining = model.training;
    model.eval();
    try {
      const probabilities = tf.tidy(() => tf.sigmoid(micrographLogits(model, tf.tensor2d(hostTable(graph), [graph.numHits + 1, width]), queries)));
      const columns = probabilities.shape[1] as number;
      const values = (await probabilities.data()) as Float32Array;
      probabilities.dispose();
      return queryProbabilities(values, columns, queries);
    } finally {
      model.train(wasTraining);
    }
  };
}

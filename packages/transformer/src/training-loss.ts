import * as tf from '@tensorflow/tfjs-core';
import { clusterWithSyncScorer, type AcceptedCluster, type MicrographQuery, type TransformerClusterOptions, type TransformerClusterResult } from './clusterize';
import { TUNE5_PIVOT_SEARCH } from './config';
import { chooseHits } from './thresholds';
import { micrographLogits, queryProbabilities } from './scorer';
import { clusterFocalLoss, clusterTarget, diceLoss, eventClusterLosses, intersectLoss, intersectWeights, jaccardLoss, type ClusterTarget, type SetLoss } from './losses';
import type { STransformer } from './model';

/** The edge graph of one training event with what the cluster losses read. */
export interface ClusterTrainingEvent {
  readonly numHits: number;
  readonly src: Int32Array;
  readonly dst: Int32Array;
  /** The GNN's edge probabilities (as numbers: the pivot search is not differentiable). */
  readonly prob: Float32Array;
  /** [numHits, 3] raw coordinates in mm. */
  readonly coords: Float32Array;
  /** The true track of each hit, -1 for noise. */
  readonly trueTrack: Int32Array;
  /** Optional hit weights for the intersect loss (default: 1 / numHits each). */
  readonly hitWeights?: Float32Array;
}

export interface ClusterLossOptions extends TransformerClusterOptions {
  /** Default 'pivotmajor' (tune-5). */
  readonly target?: ClusterTarget;
  /** Default 'intersect' (tune-5). */
  readonly setLoss?: SetLoss;
  /** Focal gamma of the cluster BCE. Default 1. */
  readonly gamma?: number;
  /**
   * Which micrographs the losses supervise: every one the model scored ('all', default), or only
   * those accepted as clusters ('accepted', the reference). With 'accepted' a transformer whose
   * first outputs fall below the acceptance threshold never accepts a cluster, so never gets a
   * gradient (a dead start, for about a third of the initial seeds measured); 'all' also teaches it
   * from the micrographs it rejects.
   */
  readonly supervise?: 'all' | 'accepted';
}

/**
 * The cluster losses of one training event (reference 4.3 c), differentiable in the GNN's latents
 * `z` [N, zDim] and the transformer's weights: the clustering loop runs with a scorer that gathers
 * the rows [z, x] of each micrograph from `z` itself, so every accepted cluster's logits are part of
 * the graph; the hard choices (pivots, acceptance) are not. Call it inside the gradient tape
 * (tf.variableGrads), where it must run synchronously; the tensors it makes belong to the caller's
 * scope.
 */
export function clusterLosses(model: STransformer, z: tf.Tensor2D, event: ClusterTrainingEvent, options: ClusterLossOptions = {}): { clusterBCE: tf.Scalar; clusterContrastive: tf.Scalar; result: TransformerClusterResult } {
  const n = event.numHits;
  const width = model.config.inDim;
  if (z.shape[0] !== n || z.shape[1] + 3 !== width) throw new RangeError(`clusterLosses: latents [${z.shape.join(', ')}] with 3 coordinates do not make the transformer's ${width}-wide rows for ${n} hits`);
  // Rows [z, x] of every hit, and a zero row at index n for the padding.
  const table = tf.concat([tf.concat([z, tf.tensor2d(event.coords, [n, 3])], 1), tf.zeros([1, width])], 0) as tf.Tensor2D;
  const logitsOf: tf.Tensor2D[] = [];
  const queriesOf: MicrographQuery[][] = [];
  const probabilitiesOf: Float32Array[][] = [];
  const score = (queries: readonly MicrographQuery[]): Float32Array[] => {
    const logits = micrographLogits(model, table, queries);
    logitsOf.push(logits);
    queriesOf.push([...queries]);
    const probabilities = tf.tidy(() => tf.sigmoid(logits).dataSync()) as Float32Array;
    const perQuery = queryProbabilities(probabilities, logits.shape[1], queries);
    probabilitiesOf.push(perQuery);
    return perQuery;
  };
  const result = clusterWithSyncScorer({ numHits: n, src: event.src, dst: event.dst, prob: event.prob, coords: event.coords }, score, options);
  const weightOf = event.hitWeights === undefined ? () => 1 / n : (h: number) => (event.hitWeights as Float32Array)[h];
  const setLoss = options.setLoss ?? 'intersect';
  const search = { ...TUNE5_PIVOT_SEARCH, ...options.search };
  const supervised = options.supervise === 'accepted' ? result.accepted : everyQuery(queriesOf, probabilitiesOf, result.accepted, (p) => chooseHits(p, search));
  const perCluster = supervised.map(({ trial, query, hits }) => {
    const q = queriesOf[trial][query];
    const logits = tf.reshape(tf.slice(logitsOf[trial], [query, 0], [1, q.nodes.length]), [q.nodes.length]) as tf.Tensor1D;
    // A rejected micrograph may have chosen no hit: its target is then the pivots' track.
    const { y } = clusterTarget(event.trueTrack, q.nodes, q.pivots, hits, hits.length === 0 ? 'pivotmajor' : (options.target ?? 'pivotmajor'));
    const probs = tf.sigmoid(logits) as tf.Tensor1D;
    const set =
      setLoss === 'intersect' ? intersectLoss(probs, intersectWeights(q.nodes, new Set(hits), y, weightOf)) : setLoss === 'dice' ? diceLoss(probs, y) : jaccardLoss(probs, y);
    return { bce: clusterFocalLoss(logits, y, options.gamma ?? 1), set };
  });
  return { ...eventClusterLosses(perCluster, setLoss), result };
}

/**
 * Every scored micrograph with the hits it chose (the clustering's threshold rule): the accepted
 * clusters as they were accepted, the rejected ones with their too-small choice.
 */
function everyQuery(queriesOf: MicrographQuery[][], probabilitiesOf: Float32Array[][], accepted: readonly AcceptedCluster[], choose: (p: Float32Array) => number[]): AcceptedCluster[] {
  const acceptedAt = new Map(accepted.map((c) => [`${c.trial}:${c.query}`, c]));
  const all: AcceptedCluster[] = [];
  queriesOf.forEach((queries, trial) =>
    queries.forEach((q, query) => {
      const kept = acceptedAt.get(`${trial}:${query}`);
      if (kept !== undefined) {
        all.push(kept);
        return;
      }
      all.push({ trial, query, hits: Int32Array.from(choose(probabilitiesOf[trial][query]), (k) => q.nodes[k]) });
    }),
  );
  return all;
}

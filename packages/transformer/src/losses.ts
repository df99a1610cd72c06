import * as tf from '@tensorflow/tfjs-core';

/** How a cluster's target track is chosen (reference 4.3 c): the pivots' mode, or the chosen hits'. */
export type ClusterTarget = 'pivotmajor' | 'major';
/** The set loss of a cluster: signed intersection, dice or jaccard (reference 4.3 c). */
export type SetLoss = 'intersect' | 'dice' | 'jaccard';

/** The most frequent value (ties: the smallest), as scipy's mode; -1 is noise and may win. */
export function modeOf(values: ArrayLike<number>): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
  let best = Infinity;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount || (count === bestCount && value < best)) [best, bestCount] = [value, count];
  }
  return best;
}

/**
 * A cluster's target: the track k (the mode of the true track of the pivots, or of the chosen
 * hits) and y_u = 1 for the micrograph hits on track k. When k is noise (-1), every noise hit of the
 * micrograph is a positive, as in the reference (section 9, quirk 7).
 */
export function clusterTarget(trueTrack: Int32Array, micrograph: ArrayLike<number>, pivots: ArrayLike<number>, chosen: ArrayLike<number>, mode: ClusterTarget): { track: number; y: Float32Array } {
  const voters = mode === 'pivotmajor' ? pivots : chosen;
  const track = modeOf(Array.from(voters as ArrayLike<number>, (h) => trueTrack[h]));
  const y = Float32Array.from(micrograph as ArrayLike<number>, (h) => (trueTrack[h] === track ? 1 : 0));
  return { track, y };
}

/**
 * The focal loss of one cluster's micrograph (gamma 1 in tune-5): with bce_u the unweighted binary
 * cross-entropy of logit_u against y_u and pt_u = exp(-bce_u), sum_u (1 - pt_u)^gamma bce_u / |M|.
 */
export function clusterFocalLoss(logits: tf.Tensor1D, y: Float32Array, gamma = 1): tf.Scalar {
  if (logits.shape[0] !== y.length) throw new RangeError(`clusterFocalLoss: ${logits.shape[0]} logits for ${y.length} targets`);
  return tf.tidy(() => {
    const target = tf.tensor1d(y);
    // Stable BCE with logits: max(l, 0) - l y + log(1 + exp(-|l|)).
    const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, target)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    const pt = tf.exp(tf.neg(bce));
    const focal = tf.mul(tf.pow(tf.sub(1, pt), gamma), bce);
    return tf.div(tf.sum(focal), y.length) as tf.Scalar;
  });
}

/**
 * The 'intersect' set loss of one cluster: each micrograph hit u weighs +w_u if chosen and on the
 * target track, -w_u if chosen and not, 0 otherwise (w_u = 1 / N, or the hit's share of the event's
 * hit weights); loss = -sum_u signed_u prob_u.
 */
export function intersectLoss(probs: tf.Tensor1D, signedWeights: Float32Array): tf.Scalar {
  if (probs.shape[0] !== signedWeights.length) throw new RangeError(`intersectLoss: ${probs.shape[0]} probabilities for ${signedWeights.length} weights`);
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(probs, tf.tensor1d(signedWeights)))) as tf.Scalar);
}

/** Signed weights of the intersect loss for a micrograph: +w (chosen, true), -w (chosen, false), 0. */
export function intersectWeights(micrograph: ArrayLike<number>, chosen: ReadonlySet<number>, y: Float32Array, hitWeight: (hit: number) => number): Float32Array {
  return Float32Array.from(micrograph as ArrayLike<number>, (h, k) => (chosen.has(h) ? (y[k] === 1 ? hitWeight(h) : -hitWeight(h)) : 0));
}

/** 1 - (2 sum p y + s) / (sum p + sum y + s), smooth s = 1. */
export function diceLoss(probs: tf.Tensor1D, y: Float32Array, smooth = 1): tf.Scalar {
  return tf.tidy(() => {
    const target = tf.tensor1d(y);
    const overlap = tf.sum(tf.mul(probs, target));
    return tf.sub(1, tf.div(tf.add(tf.mul(2, overlap), smooth), tf.add(tf.add(tf.sum(probs), tf.sum(target)), smooth))) as tf.Scalar;
  });
}

/** 1 - (sum p y + s) / (sum p + sum y - sum p y + s), smooth s = 1. */
export function jaccardLoss(probs: tf.Tensor1D, y: Float32Array, smooth = 1): tf.Scalar {
  return tf.tidy(() => {
    const target = tf.tensor1d(y);
    const overlap = tf.sum(tf.mul(probs, target));
    return tf.sub(1, tf.div(tf.add(overlap, smooth), tf.add(tf.sub(tf.add(tf.sum(probs), tf.sum(target)), overlap), smooth))) as tf.Scalar;
  });
}

/**
 * An event's cluster losses from its K accepted clusters (reference 4.3 c): cluster_BCE is the
 * mean of the per-cluster focal losses; cluster_contrastive the sum of the intersect losses plus 1
 * (the reference's constant shift, so a perfect event scores 0 with uniform weights), or the mean of
 * the dice or jaccard losses. Zero without clusters.
 */
export function eventClusterLosses(perCluster: ReadonlyArray<{ bce: tf.Scalar; set: tf.Scalar }>, setLoss: SetLoss): { clusterBCE: tf.Scalar; clusterContrastive: tf.Scalar } {
  const k = perCluster.length;
  if (k === 0) return { clusterBCE: tf.scalar(0), clusterContrastive: tf.scalar(0) };
  return tf.tidy(() => {
    const clusterBCE = tf.div(tf.addN(perCluster.map((c) => c.bce)), k) as tf.Scalar;
    const sets = tf.addN(perCluster.map((c) => c.set));
    const clusterContrastive = (setLoss === 'intersect' ? tf.add(sets, 1) : tf.div(sets, k)) as tf.Scalar;
    return { clusterBCE, clusterContrastive };
  });
}

import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { gatherRows, segmentMean, segmentSum } from '@hypertrack/nn';
import type { EdgeList } from './graph';

export interface FocalLossOptions {
  /** Focal exponent; 0 gives weighted binary cross-entropy. tune-5: 1. */
  readonly gamma?: number;
  /** Weight positives by #negatives / #positives (tune-5: true). */
  readonly edgeBalance?: boolean;
}

/**
 * Class-balanced focal loss over edges (reference 4.3 a):
 * `sum_e (1 - p_t)^gamma w_e bce_e / sum_e w_e`, `bce` from logits in the stable form
 * `max(l, 0) - l y + log(1 + exp(-|l|))`, `p_t = exp(-bce)`. Self-loops take part as in tune-5.
 * With only one class present the balance weight is 1 (the original divides by zero).
 */
export function edgeFocalLoss(logits: tf.Tensor1D, labels: Uint8Array, options: FocalLossOptions = {}): tf.Scalar {
  const gamma = options.gamma ?? 1;
  if (labels.length !== logits.shape[0]) throw new RangeError(`labels has ${labels.length} entries for ${logits.shape[0]} logits`);
  let positives = 0;
  for (let e = 0; e < labels.length; e++) positives += labels[e];
  const negatives = labels.length - positives;
  const positiveWeight = (options.edgeBalance ?? true) && positives > 0 && negatives > 0 ? negatives / positives : 1;
  const y = new Float32Array(labels.length);
  const w = new Float32Array(labels.length);
  let weightSum = 0;
  for (let e = 0; e < labels.length; e++) {
    y[e] = labels[e];
    w[e] = labels[e] ? positiveWeight : 1;
    weightSum += w[e];
  }
  return tf.tidy(() => {
    const target = tf.tensor1d(y);
    const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, target)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    const modulated = gamma === 0 ? bce : tf.mul(tf.pow(tf.sub(1, tf.exp(tf.neg(bce))), gamma), bce);
    return tf.div(tf.sum(tf.mul(modulated, tf.tensor1d(w))), weightSum) as tf.Scalar;
  });
}

export interface ContrastiveLossOptions {
  /** Softmax temperature (0.3). */
  readonly tau?: number;
  /** At most this many tracks per event enter the loss (300). */
  readonly subSample?: number;
  /** Only edges with probability above this take part (1e-3). */
  readonly minProb?: number;
  /** Weight each track by the summed weights of its hits (true); else every track weighs 1. */
  readonly trackWeights?: boolean;
}

export interface ContrastiveInput {
  readonly edges: EdgeList;
  /** Track (particle) index of every hit, -1 for noise. */
  readonly hitTrack: Int32Array;
  /** Hit weights (the TrackML weights, renormalised over the event); used when trackWeights. */
  readonly hitWeight?: Float32Array;
  /** The logits' values, already read from the device (the edge selection needs them). */
  readonly logitValues: Float32Array;
}

/** Index lists of one contrastive loss evaluation; exposed for tests. */
export interface ContrastivePlan {
  /** Tracks taking part, in slot order. */
  readonly tracks: Int32Array;
  readonly trackWeight: Float32Array;
  readonly meanHits: number;
  readonly positiveEdge: Int32Array;
  readonly positiveSlot: Int32Array;
  readonly negativeEdge: Int32Array;
  readonly negativeSlot: Int32Array;
}

/**
 * Chooses tracks and lists their positive edges (both ends on the track, not a self-loop) and
 * negative edges (exactly one end on it) among the edges with p > minProb. Up to `subSample`
 * tracks are drawn at random from those with at least one positive edge; the original takes the
 * first rows of its (shuffled) track table and then drops those without positives (quirk 8), so
 * it can use fewer tracks than it could, or none.
 */
export function planContrastive(input: ContrastiveInput, options: ContrastiveLossOptions, rng: Rng): ContrastivePlan | null {
  const { edges, hitTrack, logitValues } = input;
  const minProb = options.minProb ?? 1e-3;
  const minLogit = Math.log(minProb / (1 - minProb));
  const { src, dst } = edges;
  let numTracks = 0;
  for (let i = 0; i < hitTrack.length; i++) numTracks = Math.max(numTracks, hitTrack[i] + 1);
  const positiveCount = new Int32Array(numTracks);
  for (let e = 0; e < src.length; e++) {
    if (!(logitValues[e] > minLogit) || src[e] === dst[e]) continue;
    const t = hitTrack[src[e]];
    if (t >= 0 && t === hitTrack[dst[e]]) positiveCount[t]++;
  }
  const candidates: number[] = [];
  for (let t = 0; t < numTracks; t++) if (positiveCount[t] > 0) candidates.push(t);
  if (candidates.length === 0) return null;
  const take = Math.min(options.subSample ?? 300, candidates.length);
  const chosen = rng.choiceWithoutReplacement(candidates.length, take);
  const tracks = Int32Array.from(chosen, (k) => candidates[k]).sort();
  const slotOf = new Int32Array(numTracks).fill(-1);
  tracks.forEach((t, slot) => (slotOf[t] = slot));

  const hits = new Float64Array(tracks.length);
  const weight = new Float64Array(tracks.length);
  for (let i = 0; i < hitTrack.length; i++) {
    const slot = hitTrack[i] >= 0 ? slotOf[hitTrack[i]] : -1;
    if (slot < 0) continue;
    hits[slot]++;
    weight[slot] += input.hitWeight ? input.hitWeight[i] : 1;
  }
  const positiveEdge: number[] = [];
  const positiveSlot: number[] = [];
  const negativeEdge: number[] = [];
  const negativeSlot: number[] = [];
  for (let e = 0; e < src.length; e++) {
    if (!(logitValues[e] > minLogit) || src[e] === dst[e]) continue;
    const ts = hitTrack[src[e]];
    const td = hitTrack[dst[e]];
    const ss = ts >= 0 ? slotOf[ts] : -1;
    const sd = td >= 0 ? slotOf[td] : -1;
    if (ts === td) {
      if (ss >= 0) {
        positiveEdge.push(e);
        positiveSlot.push(ss);
      }
      continue;
    }
    if (ss >= 0) {
      negativeEdge.push(e);
      negativeSlot.push(ss);
    }
    if (sd >= 0) {
      negativeEdge.push(e);
      negativeSlot.push(sd);
    }
  }
  const useWeights = options.trackWeights ?? true;
  const trackWeight = Float32Array.from(weight, (w) => (useWeights ? w : 1));
  return {
    tracks,
    trackWeight,
    meanHits: hits.reduce((s, h) => s + h, 0) / tracks.length,
    positiveEdge: Int32Array.from(positiveEdge),
    positiveSlot: Int32Array.from(positiveSlot),
    negativeEdge: Int32Array.from(negativeEdge),
    negativeSlot: Int32Array.from(negativeSlot),
  };
}

/**
 * The per-track edge contrastive loss (reference 4.3 b). With s = tanh(logit) / tau, for track t
 * `nll_t = -mean_{e in P_t} log(exp(s_e) / (exp(s_e) + sum_{n in N_t} exp(s_n)))`, and the loss is
 * `sum_t W_t nll_t / sum_t W_t / mean hits per track`. Returns null when no track has a positive
 * edge (the original divides by zero and skips the step). |s| <= 1 / tau, so exp cannot overflow.
 */
export function edgeContrastiveLoss(
  logits: tf.Tensor1D,
  input: ContrastiveInput,
  options: ContrastiveLossOptions,
  rng: Rng,
): tf.Scalar | null {
  const plan = planContrastive(input, options, rng);
  if (plan === null) return null;
  const tau = options.tau ?? 0.3;
  const slots = plan.tracks.length;
  return tf.tidy(() => {
    const s = tf.div(tf.tanh(logits), tau);
    const sPositive = gatherRows(s, plan.positiveEdge);
    const negativeSum =
      plan.negativeEdge.length > 0
        ? segmentSum(tf.exp(gatherRows(s, plan.negativeEdge)), plan.negativeSlot, slots)
        : tf.zeros([slots]);
    const denominator = tf.add(tf.exp(sPositive), gatherRows(negativeSum, plan.positiveSlot));
    const nllPerEdge = tf.sub(tf.log(denominator), sPositive);
    const nllPerTrack = segmentMean(nllPerEdge, plan.positiveSlot, slots);
    const w = tf.tensor1d(plan.trackWeight);
    return tf.div(tf.div(tf.sum(tf.mul(w, nllPerTrack)), tf.sum(w)), plan.meanHits) as tf.Scalar;
  });
}

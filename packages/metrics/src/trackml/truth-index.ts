import { checkLength, checkWeights, inputError } from '../checks';
import { denseIdsOfWords, lookupInt32, type Int32Lookup } from '../keys/dense-ids';
import { stableOrderByUint32 } from '../keys/radix-sort';
import { checkIntegerColumn, keyWords, wordsToBigUint64 } from '../keys/words';

/** The three truth columns the score reads; a `TruthTable` of @hypertrack/core fits as is. */
export interface TrackMLTruth {
  readonly hitId: Int32Array;
  /** 64-bit TrackML particle id, 0 for noise. */
  readonly particleId: BigUint64Array;
  readonly weight: ArrayLike<number>;
}

/**
 * Everything about the truth that does not depend on a submission, computed once so that scoring
 * many submissions of one event (a threshold scan, the property tests) repeats none of it.
 */
export interface TrackMLTruthIndex {
  readonly kind: 'trackml-truth-index';
  readonly numHits: number;
  /** The truth's hit ids (not copied). */
  readonly hitId: Int32Array;
  /** Per truth row: rank of its particle id among the distinct ids, ascending (noise = rank 0 if present). */
  readonly particleRank: Int32Array;
  /** Per rank: the particle id and its number of truth hits. */
  readonly particleId: BigUint64Array;
  readonly particleHits: Int32Array;
  /** Truth rows grouped by particle rank (ascending), rows ascending within a group. */
  readonly rowsByParticle: Int32Array;
  readonly weight: Float64Array;
  readonly totalWeight: number;
  /** hit_id -> truth row. */
  readonly hitLookup: Int32Lookup;
}

export function indexTruth(truth: TrackMLTruth): TrackMLTruthIndex {
  checkIntegerColumn(truth.hitId, 'truth hitId');
  const n = truth.hitId.length;
  checkLength('truth', 'particle_id', truth.particleId.length, n, 'hit_id');
  checkLength('truth', 'weight', truth.weight.length, n, 'hit_id');
  checkWeights('truth', 'weight', truth.weight);

  const { lookup: hitLookup } = lookupInt32(truth.hitId, (row) => {
    const id = truth.hitId[row];
    let times = 0;
    for (let i = 0; i < n; i++) if (truth.hitId[i] === id) times++;
    throw inputError('truth', 'hit_id', `hit_id ${id} appears ${times} times`);
  });

  // Distinct particle ids, then ranked by id with a radix sort of their (hi, lo) words: the rank
  // order is what breaks majority ties towards the smaller particle_id.
  const words = keyWords(truth.particleId, 'truth particleId');
  const particles = denseIdsOfWords(words);
  const particleOfRow = particles.id;
  const u = particles.count;
  const distinctLo = new Uint32Array(u);
  const distinctHi = new Uint32Array(u);
  const identity = new Int32Array(u);
  for (let k = 0; k < u; k++) {
    distinctLo[k] = words.lo[particles.first[k]];
    distinctHi[k] = words.hi[particles.first[k]];
    identity[k] = k;
  }
  const byId = stableOrderByUint32(distinctHi, stableOrderByUint32(distinctLo, identity));
  const rankOf = new Int32Array(u);
  const sortedLo = new Uint32Array(u);
  const sortedHi = new Uint32Array(u);
  for (let k = 0; k < u; k++) {
    rankOf[byId[k]] = k;
    sortedLo[k] = distinctLo[byId[k]];
    sortedHi[k] = distinctHi[byId[k]];
  }

  const particleRank = new Int32Array(n);
  const particleHits = new Int32Array(u);
  const weight = new Float64Array(n);
  let totalWeight = 0;
  for (let row = 0; row < n; row++) {
    const r = rankOf[particleOfRow[row]];
    particleRank[row] = r;
    particleHits[r]++;
    weight[row] = truth.weight[row];
    totalWeight += weight[row];
  }
  const next = new Int32Array(u);
  for (let k = 1; k < u; k++) next[k] = next[k - 1] + particleHits[k - 1];
  const rowsByParticle = new Int32Array(n);
  for (let row = 0; row < n; row++) rowsByParticle[next[particleRank[row]]++] = row;

  return {
    kind: 'trackml-truth-index',
    numHits: n,
    hitId: truth.hitId,
    particleRank,
    particleId: wordsToBigUint64(sortedLo, sortedHi),
    particleHits,
    rowsByParticle,
    weight,
    totalWeight,
    hitLookup,
  };
}

import { ConfigError } from '@hypertrack/core';
import { checkLength, checkWeights } from '../checks';
import { countLabels } from './labels';

export interface DoubleMajorityOptions {
  /** Minimum hits of a truth track to be counted and of a cluster to be matchable (default 4). */
  readonly hitsMin?: number;
  /**
   * Purity denominator. `'matchable'` (default): clusters with >= hitsMin hits, the only ones that
   * can ever match. `'all'`: every non-empty cluster, as the original did (quirk 3).
   */
  readonly purityDenominator?: 'matchable' | 'all';
  /**
   * Original behaviour: a double-majority pair whose common hits weigh 0 is not a match. Off by
   * default so that efficiency counts tracks, independently of the weights.
   */
  readonly requirePositiveWeight?: boolean;
}

export interface DoubleMajorityResult {
  /** Matched weight over the weight of truth tracks with >= hitsMin hits; NaN if that is 0. */
  readonly dms: number;
  /** Matched clusters over truth tracks with >= hitsMin hits; NaN if there are none. */
  readonly efficiency: number;
  /** Matched clusters over the purity denominator; NaN if it is 0. */
  readonly purity: number;
  readonly hitsMin: number;
  readonly purityDenominator: 'matchable' | 'all';
  readonly numMatched: number;
  /** Truth tracks with >= hitsMin hits. */
  readonly numTruthTracks: number;
  /** Non-empty clusters, and those with >= hitsMin hits. */
  readonly numClusters: number;
  readonly numMatchableClusters: number;
  readonly matchedWeight: number;
  readonly truthWeight: number;
  /** Per truth label: number of hits. */
  readonly truthSize: Int32Array;
  /** Per cluster label: number of hits. */
  readonly clusterSize: Int32Array;
  /** Per truth label: 1 when matched. */
  readonly passed: Uint8Array;
  /** Per cluster label: the matched truth label, or -1. */
  readonly matchIndex: Int32Array;
  /**
   * Per cluster label: the truth track holding strictly more than half of the cluster's hits (its
   * single-majority particle, whatever the track's own size), or -1 when no track does (noise
   * holding the majority included) or the cluster is empty. Fake and duplicate rates build on it.
   */
  readonly majorityTrack: Int32Array;
  /** Per truth label: common hits with its matched cluster (0 when unmatched). */
  readonly commonHits: Int32Array;
  /** Per truth label: |common| / |cluster| and |common| / |track| of the match, -1 when unmatched. */
  readonly hitPurity: Float64Array;
  readonly hitEfficiency: Float64Array;
}

/**
 * HyperTrack's double-majority matching, efficiency, purity and score (DMS).
 *
 * `truthLabel[i]` is the truth track of hit i (-1 noise), `recoLabel[i]` its cluster (-1
 * unassigned); both are dense indices. `weight` defaults to 1 per hit.
 *
 * Clusters are visited in ascending label order and matched greedily. A cluster matches the truth
 * track that holds strictly more than half of its hits if that track also has strictly more than
 * half of its own hits in the cluster; since clusters are disjoint, a track can be claimed by at
 * most one cluster and the result does not depend on the visiting order.
 */
export function doubleMajority(
  truthLabel: Int32Array,
  recoLabel: Int32Array,
  weight?: ArrayLike<number>,
  options: DoubleMajorityOptions = {},
): DoubleMajorityResult {
  const hitsMin = options.hitsMin ?? 4;
  const purityDenominator = options.purityDenominator ?? 'matchable';
  const requirePositiveWeight = options.requirePositiveWeight ?? false;
  if (!Number.isInteger(hitsMin) || hitsMin < 1) throw new ConfigError('hitsMin', `must be an integer >= 1, got ${hitsMin}`);
  if (purityDenominator !== 'matchable' && purityDenominator !== 'all') {
    throw new ConfigError('purityDenominator', `must be 'matchable' or 'all', got '${String(purityDenominator)}'`);
  }
  const n = truthLabel.length;
  checkLength('recoLabel', 'label', recoLabel.length, n, 'truthLabel');
  if (weight !== undefined) {
    checkLength('weight', 'weight', weight.length, n, 'truthLabel');
    checkWeights('weight', 'weight', weight);
  }
  const truthSize = countLabels(truthLabel, 'truthLabel', 'label');
  const clusterSize = countLabels(recoLabel, 'recoLabel', 'label');
  const numTracks = truthSize.length;
  const numLabels = clusterSize.length;

  const truthWeightOf = new Float64Array(numTracks);
  for (let i = 0; i < n; i++) if (truthLabel[i] >= 0) truthWeightOf[truthLabel[i]] += weight === undefined ? 1 : weight[i];
  let truthWeight = 0;
  let numTruthTracks = 0;
  for (let t = 0; t < numTracks; t++) {
    if (truthSize[t] >= hitsMin) {
      numTruthTracks++;
      truthWeight += truthWeightOf[t];
    }
  }

  // Hits grouped by cluster (counting sort, hit order kept within a cluster).
  const start = new Int32Array(numLabels + 1);
  for (let r = 0; r < numLabels; r++) start[r + 1] = start[r] + clusterSize[r];
  const fill = start.slice(0, numLabels);
  const hits = new Int32Array(start[numLabels]);
  for (let i = 0; i < n; i++) if (recoLabel[i] >= 0) hits[fill[recoLabel[i]]++] = i;

  const passed = new Uint8Array(numTracks);
  const matchIndex = new Int32Array(numLabels).fill(-1);
  const commonHits = new Int32Array(numTracks);
  const hitPurity = new Float64Array(numTracks).fill(-1);
  const hitEfficiency = new Float64Array(numTracks).fill(-1);
  let numMatched = 0;
  let matchedWeight = 0;
  let numClusters = 0;
  let numMatchable = 0;
  const majorityTrack = new Int32Array(numLabels).fill(-1);
  for (let r = 0; r < numLabels; r++) {
    const size = clusterSize[r];
    if (size === 0) continue;
    numClusters++;
    const matchable = size >= hitsMin;
    if (matchable) numMatchable++;
    // Only a track holding more than half the cluster can match, and if one exists the
    // Boyer-Moore vote finds it in one pass without a per-cluster map.
    let candidate = -1;
    let votes = 0;
    for (let k = start[r]; k < start[r + 1]; k++) {
      const t = truthLabel[hits[k]];
      if (votes === 0) {
        candidate = t;
        votes = 1;
      } else if (t === candidate) votes++;
      else votes--;
    }
    if (candidate < 0) continue;
    let common = 0;
    let commonWeight = 0;
    for (let k = start[r]; k < start[r + 1]; k++) {
      const i = hits[k];
      if (truthLabel[i] === candidate) {
        common++;
        commonWeight += weight === undefined ? 1 : weight[i];
      }
    }
    if (2 * common > size) majorityTrack[r] = candidate;
    if (!matchable) continue;
    const trackSize = truthSize[candidate];
    if (2 * common <= size || 2 * common <= trackSize || trackSize < hitsMin || passed[candidate]) continue;
    if (requirePositiveWeight && !(commonWeight > 0)) continue;
    passed[candidate] = 1;
    matchIndex[r] = candidate;
    commonHits[candidate] = common;
    hitPurity[candidate] = common / size;
    hitEfficiency[candidate] = common / trackSize;
    numMatched++;
    matchedWeight += commonWeight;
  }

  const purityBase = purityDenominator === 'all' ? numClusters : numMatchable;
  return {
    dms: truthWeight > 0 ? matchedWeight / truthWeight : NaN,
    efficiency: numTruthTracks > 0 ? numMatched / numTruthTracks : NaN,
    purity: purityBase > 0 ? numMatched / purityBase : NaN,
    hitsMin,
    purityDenominator,
    numMatched,
    numTruthTracks,
    numClusters,
    numMatchableClusters: numMatchable,
    matchedWeight,
    truthWeight,
    truthSize,
    clusterSize,
    passed,
    matchIndex,
    majorityTrack,
    commonHits,
    hitPurity,
    hitEfficiency,
  };
}

import { ConfigError } from '@hypertrack/core';

/** Number of tracks or clusters with at least `hitsMin` hits (the original's count_reco_cluster). */
export function countClusters(sizes: Int32Array, hitsMin = 4): number {
  let count = 0;
  for (let k = 0; k < sizes.length; k++) if (sizes[k] >= hitsMin) count++;
  return count;
}

export interface HitMultiplicity {
  /** `counts[k]`: rows with exactly k hits, k = 1 .. bins-1 (index 0 stays 0: empty labels are not rows). */
  readonly counts: Int32Array;
  /** Rows with >= bins hits. */
  readonly overflow: number;
}

/** Histogram of hits per track or cluster (the original's count_hit_multiplicity, bins = hits_max). */
export function hitMultiplicity(sizes: Int32Array, bins = 23): HitMultiplicity {
  if (!Number.isInteger(bins) || bins < 1) throw new ConfigError('bins', `must be an integer >= 1, got ${bins}`);
  const counts = new Int32Array(bins);
  let overflow = 0;
  for (let k = 0; k < sizes.length; k++) {
    const s = sizes[k];
    if (s === 0) continue;
    if (s < bins) counts[s]++;
    else overflow++;
  }
  return { counts, overflow };
}

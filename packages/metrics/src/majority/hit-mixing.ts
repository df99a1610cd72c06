import { ConfigError } from '@hypertrack/core';
import type { DoubleMajorityResult } from './double-majority';

export interface HitMixing {
  /** Matrix side: hit counts 0 .. size-1 (the original's hits_max). */
  readonly size: number;
  /** Row-major size x size: `counts[trueHits * size + recoHits]` matched (track, cluster) pairs. */
  readonly counts: Int32Array;
  /** The same, each column (fixed cluster size) normalised to 100%; 0 in empty columns. */
  readonly columnPercent: Float64Array;
  /** Matched pairs left out because a side had >= size hits. */
  readonly outside: number;
}

/**
 * True versus reconstructed hit count of every matched pair (reference 6.2), summed over the given
 * events. Pairs with either count >= hitsMax are left out, as in the original, and counted.
 */
export function hitMixing(results: DoubleMajorityResult | readonly DoubleMajorityResult[], hitsMax = 23): HitMixing {
  if (!Number.isInteger(hitsMax) || hitsMax < 1) throw new ConfigError('hitsMax', `must be an integer >= 1, got ${hitsMax}`);
  const list = Array.isArray(results) ? (results as readonly DoubleMajorityResult[]) : [results as DoubleMajorityResult];
  const counts = new Int32Array(hitsMax * hitsMax);
  let outside = 0;
  for (const result of list) {
    const { matchIndex, clusterSize, truthSize } = result;
    for (let r = 0; r < matchIndex.length; r++) {
      const t = matchIndex[r];
      if (t < 0) continue;
      const trueHits = truthSize[t];
      const recoHits = clusterSize[r];
      if (trueHits < hitsMax && recoHits < hitsMax) counts[trueHits * hitsMax + recoHits]++;
      else outside++;
    }
  }
  const columnPercent = new Float64Array(hitsMax * hitsMax);
  for (let c = 0; c < hitsMax; c++) {
    let sum = 0;
    for (let r = 0; r < hitsMax; r++) sum += counts[r * hitsMax + c];
    if (sum > 0) for (let r = 0; r < hitsMax; r++) columnPercent[r * hitsMax + c] = (100 * counts[r * hitsMax + c]) / sum;
  }
  return { size: hitsMax, counts, columnPercent, outside };
}

/**
 * Deliberately naive reference implementations for the tests: Maps, BigInts and nested loops that
 * follow the written definitions line by line, sharing no code with the fast implementations.
 */

export interface BruteTruth {
  hitId: ArrayLike<number>;
  particleId: ArrayLike<bigint>;
  weight: ArrayLike<number>;
}

/** trackml-library score_event, transcribed: majority per track, both strict majorities, weights. */
export function bruteTrackmlScore(truth: BruteTruth, hitId: ArrayLike<number>, trackId: ArrayLike<number | bigint>): { score: number; good: number; tracks: number } {
  const rowOfHit = new Map<number, number>();
  for (let i = 0; i < truth.hitId.length; i++) rowOfHit.set(truth.hitId[i], i);
  const particleHits = new Map<bigint, number>();
  let total = 0;
  for (let i = 0; i < truth.hitId.length; i++) {
    particleHits.set(truth.particleId[i], (particleHits.get(truth.particleId[i]) ?? 0) + 1);
    total += truth.weight[i];
  }
  const rowsOfTrack = new Map<string, number[]>();
  for (let j = 0; j < hitId.length; j++) {
    const key = String(trackId[j]);
    const row = rowOfHit.get(hitId[j]);
    if (row === undefined) throw new Error('unknown hit');
    if (!rowsOfTrack.has(key)) rowsOfTrack.set(key, []);
    rowsOfTrack.get(key)!.push(row);
  }
  let score = 0;
  let good = 0;
  for (const rows of rowsOfTrack.values()) {
    const count = new Map<bigint, number>();
    const weight = new Map<bigint, number>();
    for (const row of rows) {
      const p = truth.particleId[row];
      count.set(p, (count.get(p) ?? 0) + 1);
      weight.set(p, (weight.get(p) ?? 0) + truth.weight[row]);
    }
    let major: bigint | null = null;
    for (const [p, c] of count) {
      if (major === null || c > count.get(major)! || (c === count.get(major)! && p < major)) major = p;
    }
    const c = count.get(major!)!;
    if (c / rows.length > 0.5 && c / particleHits.get(major!)! > 0.5) {
      score += weight.get(major!)! / total;
      good++;
    }
  }
  return { score, good, tracks: rowsOfTrack.size };
}

/** Reference 6.1 as written, sequential: clusters in label order, candidates scanned over all tracks. */
export function bruteDoubleMajority(
  truthLabel: ArrayLike<number>,
  recoLabel: ArrayLike<number>,
  weight: ArrayLike<number>,
  hitsMin = 4,
  requirePositiveWeight = false,
): { dms: number; efficiency: number; purityMatchable: number; purityAll: number; passed: Set<number>; match: Map<number, number> } {
  const tracks = new Map<number, number[]>();
  const clusters = new Map<number, number[]>();
  for (let i = 0; i < truthLabel.length; i++) {
    if (truthLabel[i] >= 0) {
      if (!tracks.has(truthLabel[i])) tracks.set(truthLabel[i], []);
      tracks.get(truthLabel[i])!.push(i);
    }
    if (recoLabel[i] >= 0) {
      if (!clusters.has(recoLabel[i])) clusters.set(recoLabel[i], []);
      clusters.get(recoLabel[i])!.push(i);
    }
  }
  const trackIds = [...tracks.keys()].sort((a, b) => a - b);
  const passed = new Set<number>();
  const match = new Map<number, number>();
  let matchedWeight = 0;
  let matchable = 0;
  for (const r of [...clusters.keys()].sort((a, b) => a - b)) {
    const hits = clusters.get(r)!;
    if (hits.length < hitsMin) continue;
    matchable++;
    // Common hits with every track, counted once per cluster; tracks absent from it have none.
    const common = new Map<number, number>();
    const commonWeight = new Map<number, number>();
    for (const i of hits) {
      common.set(truthLabel[i], (common.get(truthLabel[i]) ?? 0) + 1);
      commonWeight.set(truthLabel[i], (commonWeight.get(truthLabel[i]) ?? 0) + weight[i]);
    }
    let best = -1;
    let bestScore = -Infinity;
    for (const t of trackIds) {
      const own = tracks.get(t)!;
      if (passed.has(t) || own.length < hitsMin) continue;
      const c = common.get(t) ?? 0;
      if (c / hits.length > 0.5 && c / own.length > 0.5) {
        const score = commonWeight.get(t)!;
        if (requirePositiveWeight && !(score > 0)) continue;
        if (score > bestScore) {
          best = t;
          bestScore = score;
        }
      }
    }
    if (best >= 0) {
      passed.add(best);
      match.set(r, best);
      matchedWeight += bestScore;
    }
  }
  let eligible = 0;
  let eligibleWeight = 0;
  for (const hits of tracks.values()) {
    if (hits.length < hitsMin) continue;
    eligible++;
    eligibleWeight += hits.reduce((s, i) => s + weight[i], 0);
  }
  return {
    dms: matchedWeight / eligibleWeight,
    efficiency: passed.size / eligible,
    purityMatchable: passed.size / matchable,
    purityAll: passed.size / clusters.size,
    passed,
    match,
  };
}

/** AUC as the Mann-Whitney probability over all (positive, negative) pairs, ties counted half. */
export function bruteAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i] > scores[j]) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    }
  }
  return wins / pairs;
}

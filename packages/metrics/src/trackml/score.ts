import { inputError, checkLength, plural } from '../checks';
import { denseIds, findInt32 } from '../keys/dense-ids';
import type { IntegerColumn } from '../keys/words';
import { indexTruth, type TrackMLTruth, type TrackMLTruthIndex } from './truth-index';

/**
 * A hit-to-track assignment. `trackId` may be Int32Array (dense pipeline labels) or the CSV's
 * int64 as BigInt64Array (BigUint64Array also works). Every id, negative ones included, is a
 * track: the official library special-cases none, so give unassigned hits their own ids.
 */
export interface TrackMLSubmission {
  readonly hitId: Int32Array;
  readonly trackId: IntegerColumn;
}

/** Per reconstructed track, in order of first appearance in the submission. */
export interface TrackMLTrackTable {
  /** Submission row where the track first appears: `submission.trackId[firstRow[k]]` is its id. */
  readonly firstRow: Int32Array;
  readonly nhits: Int32Array;
  /** Rank of the majority particle in `index.particleId` (ties go to the smaller particle_id). */
  readonly majorityRank: Int32Array;
  readonly majorityParticle: BigUint64Array;
  /** Hits of the track that belong to the majority particle. */
  readonly majorityHits: Int32Array;
  /** Truth hits of the majority particle in the whole event. */
  readonly majorityParticleHits: Int32Array;
  /** Summed weight of the majority hits (not normalised). */
  readonly majorityWeight: Float64Array;
  /** 1 when both majorities are strict, i.e. the track counts towards the score. */
  readonly good: Uint8Array;
}

export interface TrackMLScoreResult {
  /** Sum of the majority weights of good tracks over the event's total weight; NaN if that is 0. */
  readonly score: number;
  readonly matchedWeight: number;
  readonly totalWeight: number;
  readonly numHits: number;
  readonly numTracks: number;
  readonly numGoodTracks: number;
  readonly tracks: TrackMLTrackTable;
}

/**
 * The official TrackML accuracy score of one event (trackml-library `score_event`), in O(N):
 * hits grouped by track with a counting sort over rows already grouped by particle id.
 *
 * Noise (particle_id 0) takes part in the majority vote like any particle, as in the official
 * library. A noise majority can only win a track whose real particles hold at most half of it, so
 * it never hides a good track; and TrackML gives noise weight 0, so the choice changes no score
 * there (only a caller who weights noise would see a noise "track" counted).
 */
export function trackmlScore(truth: TrackMLTruth | TrackMLTruthIndex, submission: TrackMLSubmission): TrackMLScoreResult {
  const index = 'kind' in truth ? truth : indexTruth(truth);
  const n = index.numHits;
  const rowOfEntry = matchSubmissionRows(index, submission);

  const tracks = denseIds(submission.trackId, 'submission trackId');
  const numTracks = tracks.count;
  const trackOfRow = new Int32Array(n);
  for (let j = 0; j < n; j++) trackOfRow[rowOfEntry[j]] = tracks.id[j];

  // Stable scatter of the particle-grouped rows into track buckets: each bucket is then ordered by
  // particle rank, so one pass per track finds the majority as the official code does.
  const start = new Int32Array(numTracks + 1);
  for (let row = 0; row < n; row++) start[trackOfRow[row] + 1]++;
  for (let t = 0; t < numTracks; t++) start[t + 1] += start[t];
  const fill = start.slice(0, numTracks);
  const grouped = new Int32Array(n);
  const { rowsByParticle, particleRank, particleHits, weight } = index;
  for (let k = 0; k < n; k++) {
    const row = rowsByParticle[k];
    grouped[fill[trackOfRow[row]]++] = row;
  }

  const nhits = new Int32Array(numTracks);
  const majorityRank = new Int32Array(numTracks);
  const majorityHits = new Int32Array(numTracks);
  const majorityParticleHits = new Int32Array(numTracks);
  const majorityWeight = new Float64Array(numTracks);
  const good = new Uint8Array(numTracks);
  let matchedWeight = 0;
  // The denominator is summed group by group in the same order as the numerator, so a perfect
  // assignment adds exactly the same numbers to both and scores exactly 1.
  let totalWeight = 0;
  let numGood = 0;
  for (let t = 0; t < numTracks; t++) {
    let majRank = -1;
    let majCount = 0;
    let majW = 0;
    let k = start[t];
    const end = start[t + 1];
    while (k < end) {
      const rank = particleRank[grouped[k]];
      let count = 0;
      let w = 0;
      while (k < end && particleRank[grouped[k]] === rank) {
        w += weight[grouped[k]];
        count++;
        k++;
      }
      totalWeight += w;
      if (count > majCount) {
        majRank = rank;
        majCount = count;
        majW = w;
      }
    }
    const size = end - start[t];
    nhits[t] = size;
    majorityRank[t] = majRank;
    majorityHits[t] = majCount;
    majorityParticleHits[t] = particleHits[majRank];
    majorityWeight[t] = majW;
    if (2 * majCount > size && 2 * majCount > particleHits[majRank]) {
      good[t] = 1;
      numGood++;
      matchedWeight += majW;
    }
  }

  return {
    score: totalWeight > 0 ? matchedWeight / totalWeight : NaN,
    matchedWeight,
    totalWeight,
    numHits: n,
    numTracks,
    numGoodTracks: numGood,
    tracks: {
      firstRow: tracks.first.slice(0, numTracks),
      nhits,
      majorityRank,
      majorityParticle: pickParticleIds(index.particleId, majorityRank),
      majorityHits,
      majorityParticleHits,
      majorityWeight,
      good,
    },
  };
}

function pickParticleIds(ids: BigUint64Array, ranks: Int32Array): BigUint64Array {
  // Copying 32-bit words avoids boxing one BigInt per track.
  const src = new Uint32Array(ids.buffer, ids.byteOffset, 2 * ids.length);
  const out = new BigUint64Array(ranks.length);
  const dst = new Uint32Array(out.buffer);
  for (let t = 0; t < ranks.length; t++) {
    dst[2 * t] = src[2 * ranks[t]];
    dst[2 * t + 1] = src[2 * ranks[t] + 1];
  }
  return out;
}

/**
 * Truth row of every submission row. The submission must list every truth hit exactly once; the
 * first problem found is reported with the offending hit id and how many hits share the problem.
 */
export function matchSubmissionRows(index: TrackMLTruthIndex, submission: TrackMLSubmission): Int32Array {
  const m = submission.hitId.length;
  checkLength('submission', 'track_id', submission.trackId.length, m, 'hit_id');
  const n = index.numHits;
  const claimedBy = new Int32Array(n).fill(-1);
  const duplicated = new Uint8Array(n);
  const rowOfEntry = new Int32Array(m);
  let firstUnknown = -1;
  let unknown = 0;
  let firstDuplicate = -1;
  let duplicates = 0;
  for (let j = 0; j < m; j++) {
    const row = findInt32(index.hitLookup, submission.hitId[j]);
    rowOfEntry[j] = row;
    if (row < 0) {
      if (unknown++ === 0) firstUnknown = j;
    } else if (claimedBy[row] >= 0) {
      if (!duplicated[row]) {
        duplicated[row] = 1;
        if (duplicates++ === 0) firstDuplicate = row;
      }
    } else {
      claimedBy[row] = j;
    }
  }
  if (unknown > 0) {
    const id = submission.hitId[firstUnknown];
    throw inputError('submission', 'hit_id', `hit_id ${id} is not in the truth (${plural(unknown, 'unknown hit id')} in total)`);
  }
  if (duplicates > 0) {
    const id = submission.hitId[claimedBy[firstDuplicate]];
    let times = 0;
    for (let j = 0; j < m; j++) if (rowOfEntry[j] === firstDuplicate) times++;
    throw inputError('submission', 'hit_id', `hit_id ${id} appears ${times} times (${plural(duplicates, 'duplicated hit id')} in total)`);
  }
  if (m !== n) {
    let firstMissing = -1;
    for (let row = 0; row < n && firstMissing < 0; row++) if (claimedBy[row] < 0) firstMissing = row;
    const missing = n - m;
    throw inputError('submission', 'hit_id', `${plural(missing, 'truth hit')} ${missing === 1 ? 'is' : 'are'} missing, the first is hit_id ${index.hitId[firstMissing]}`);
  }
  return rowOfEntry;
}

import { InputError, Int32Index, Uint64Index, UINT64_HI, UINT64_LO, uint64Words, type TrackMLEvent } from '@hypertrack/core';

// Local copies: imported bindings may compile to getter calls, too slow for per-row loops.
const LOW_WORD = UINT64_LO;
const HIGH_WORD = UINT64_HI;

/** How the hits, truth and particles tables of an event refer to each other, by row. */
export interface TruthLink {
  /** hit_id -> hits row. */
  readonly hitIndex: Int32Index;
  /** Per hit row: its truth row. */
  readonly truthRowOfHit: Int32Array;
  /** Per hit row: the row of its particle in `event.particles`, -1 for noise (particle_id 0). */
  readonly particleRowOfHit: Int32Array;
}

/**
 * Per hit, the dense row index of its particle in `event.particles` (-1 for noise), found through
 * the truth table and a hash of the 64-bit particle ids. The pipeline's track index.
 * @throws InputError if the event has no truth, or a truth particle_id is not in the particles table.
 */
export function particleIndexOfHits(event: TrackMLEvent): Int32Array {
  return linkTruth(event).particleRowOfHit;
}

export function linkTruth(event: TrackMLEvent): TruthLink {
  const file = `event ${event.eventId}`;
  const { hits, particles, truth } = event;
  if (truth === undefined) throw new InputError({ file }, 'has no truth table, so the particle of each hit is unknown');

  const hitIndex = new Int32Index(hits.hitId);
  if (hitIndex.duplicate) {
    throw new InputError({ file, column: 'hit_id' }, `hits table has hit_id ${hits.hitId[hitIndex.duplicate.row]} twice`);
  }
  const particleIndex = new Uint64Index(particles.particleId);
  if (particleIndex.duplicate) {
    throw new InputError({ file, column: 'particle_id' }, `particles table has particle_id ${particles.particleId[particleIndex.duplicate.row]} twice`);
  }

  const hitCount = hits.hitId.length;
  const truthRowOfHit = new Int32Array(hitCount).fill(-1);
  const particleRowOfHit = new Int32Array(hitCount).fill(-1);
  const words = uint64Words(truth.particleId);
  for (let row = 0; row < truth.hitId.length; row++) {
    const hitId = truth.hitId[row];
    const hit = hitIndex.get(hitId);
    if (hit < 0) throw new InputError({ file, column: 'hit_id' }, `truth row ${row} has hit_id ${hitId}, which is not in the hits table`);
    if (truthRowOfHit[hit] >= 0) throw new InputError({ file, column: 'hit_id' }, `truth table has hit_id ${hitId} twice`);
    truthRowOfHit[hit] = row;
    const lo = words[2 * row + LOW_WORD];
    const hi = words[2 * row + HIGH_WORD];
    if (lo === 0 && hi === 0) continue;
    const particle = particleIndex.get(lo, hi);
    if (particle < 0) {
      throw new InputError(
        { file, column: 'particle_id' },
        `particle_id ${truth.particleId[row]} of hit_id ${hitId} is not in the particles table`,
      );
    }
    particleRowOfHit[hit] = particle;
  }
  const missing = truthRowOfHit.indexOf(-1);
  if (missing >= 0) throw new InputError({ file, column: 'hit_id' }, `hit_id ${hits.hitId[missing]} has no truth row`);
  return { hitIndex, truthRowOfHit, particleRowOfHit };
}

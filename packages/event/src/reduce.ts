import { ConfigError, InputError, selectRows, type Int32Index, type Rng, type TrackMLEvent } from '@hypertrack/core';
import { linkTruth } from './truth-link';

export interface ReduceOptions {
  /** Fraction of the visible tracks to keep (with Poisson fluctuation); >= 1 keeps all. Must be > 0. */
  rfactor: number;
  /** Wanted fraction of noise hits among all kept hits, in [0, 1); negative: the event's own fraction. */
  noiseRatio: number;
  /** The only source of randomness: the same generator state gives the same reduced event. */
  rng: Rng;
}

export interface ReducedEvent {
  /**
   * The reduced event: hits in their original relative order with hit_id renumbered 1..N, truth in
   * the same order with weights renormalised to sum to 1, the kept particles in their original
   * order, and cells of the kept hits (if the event has cells).
   */
  event: TrackMLEvent;
  /** Per new hit: its row in the original hits table. */
  sourceHitIndex: Int32Array;
  /** Original particle rows kept, ascending: new particle row i is original row particleRows[i]. */
  particleRows: Int32Array;
  /** Per new hit: its particle's row in the new particles table, -1 for noise. */
  trackIndex: Int32Array;
  /** Hits belonging to the kept tracks. */
  trackHits: number;
  /** Noise hits drawn. */
  noiseHits: number;
}

/**
 * Pile-up reduction (HyperTrack `reduce_tracks`). Tracks are the particles with at least one truth
 * hit. With rfactor < 1, n = min(max(1, Poisson(max(1, floor(rfactor * T)))), T) tracks are drawn
 * uniformly without replacement, otherwise all T are kept. Noise is drawn only from the original
 * noise hits (particle_id 0; hits of dropped tracks are not noise): Poisson(trackHits * r / (1 - r))
 * of them, capped by the pool, without replacement.
 *
 * Unlike the original, the kept hits stay in their original order instead of track by track with
 * noise last, so node order carries no truth; and all randomness comes from `rng`.
 */
export function reduceEvent(event: TrackMLEvent, options: ReduceOptions): ReducedEvent {
  const { rfactor, noiseRatio, rng } = options;
  if (!Number.isFinite(rfactor) || rfactor <= 0) throw new ConfigError('rfactor', `must be a number > 0, got ${rfactor}`);
  if (!Number.isFinite(noiseRatio) || noiseRatio >= 1) throw new ConfigError('noiseRatio', `must be a number < 1, got ${noiseRatio}`);

  const { hitIndex, truthRowOfHit, particleRowOfHit } = linkTruth(event);
  const truth = event.truth as NonNullable<TrackMLEvent['truth']>;
  const hitCount = particleRowOfHit.length;
  const particleCount = event.particles.particleId.length;

  const hitsOfParticle = new Int32Array(particleCount);
  let poolSize = 0;
  for (let hit = 0; hit < hitCount; hit++) {
    const particle = particleRowOfHit[hit];
    if (particle >= 0) hitsOfParticle[particle]++;
    else poolSize++;
  }
  const tracks: number[] = [];
  for (let particle = 0; particle < particleCount; particle++) if (hitsOfParticle[particle] > 0) tracks.push(particle);

  // Track selection.
  const keepParticle = new Uint8Array(particleCount);
  const trackCount = tracks.length;
  let trackHits = 0;
  if (rfactor < 1) {
    const mean = Math.max(1, Math.floor(rfactor * trackCount));
    const n = Math.min(Math.max(1, rng.poisson(mean)), trackCount);
    for (const pick of rng.choiceWithoutReplacement(trackCount, n)) keepParticle[tracks[pick]] = 1;
  } else {
    for (const particle of tracks) keepParticle[particle] = 1;
  }
  for (const particle of tracks) if (keepParticle[particle]) trackHits += hitsOfParticle[particle];

  // Noise selection from the original noise hits.
  const ratio = noiseRatio < 0 ? (hitCount > 0 ? poolSize / hitCount : 0) : noiseRatio;
  const noiseMean = trackHits === 0 ? 0 : (trackHits * ratio) / (1 - ratio);
  const noiseHits = Math.min(rng.poisson(noiseMean), poolSize);
  const pool = new Int32Array(poolSize);
  for (let hit = 0, k = 0; hit < hitCount; hit++) if (particleRowOfHit[hit] < 0) pool[k++] = hit;
  const keepHit = new Uint8Array(hitCount);
  for (const pick of rng.choiceWithoutReplacement(poolSize, noiseHits)) keepHit[pool[pick]] = 1;
  for (let hit = 0; hit < hitCount; hit++) if (particleRowOfHit[hit] >= 0 && keepParticle[particleRowOfHit[hit]]) keepHit[hit] = 1;

  // Assemble, keeping the original order of hits and particles.
  const sourceHitIndex = new Int32Array(trackHits + noiseHits);
  for (let hit = 0, k = 0; hit < hitCount; hit++) if (keepHit[hit]) sourceHitIndex[k++] = hit;
  const particleRows = Int32Array.from(tracks.filter((particle) => keepParticle[particle] === 1));
  const newRowOfParticle = new Int32Array(particleCount).fill(-1);
  particleRows.forEach((particle, row) => (newRowOfParticle[particle] = row));
  const trackIndex = sourceHitIndex.map((hit) => (particleRowOfHit[hit] < 0 ? -1 : newRowOfParticle[particleRowOfHit[hit]]));

  const hits = selectRows('hits', event.hits, sourceHitIndex);
  const newTruth = selectRows(
    'truth',
    truth,
    sourceHitIndex.map((hit) => truthRowOfHit[hit]),
  );
  for (let i = 0; i < sourceHitIndex.length; i++) {
    hits.hitId[i] = i + 1;
    newTruth.hitId[i] = i + 1;
  }
  renormalise(newTruth.weight);

  const reduced: TrackMLEvent = { eventId: event.eventId, hits, particles: selectRows('particles', event.particles, particleRows), truth: newTruth };
  if (event.cells !== undefined) reduced.cells = reduceCells(event, hitIndex, keepHit);
  return { event: reduced, sourceHitIndex, particleRows, trackIndex, trackHits, noiseHits };
}

/** Scales the weights to sum to 1; all-zero weights (nothing scored) stay zero. */
function renormalise(weights: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  if (sum === 0) return;
  for (let i = 0; i < weights.length; i++) weights[i] = weights[i] / sum;
}

function reduceCells(event: TrackMLEvent, hitIndex: Int32Index, keepHit: Uint8Array): NonNullable<TrackMLEvent['cells']> {
  const cells = event.cells as NonNullable<TrackMLEvent['cells']>;
  const newHitId = new Int32Array(keepHit.length);
  for (let hit = 0, id = 1; hit < keepHit.length; hit++) if (keepHit[hit]) newHitId[hit] = id++;
  const rows: number[] = [];
  for (let row = 0; row < cells.hitId.length; row++) {
    const hit = hitIndex.get(cells.hitId[row]);
    if (hit < 0) throw new InputError({ file: `event ${event.eventId}`, column: 'hit_id' }, `cells row ${row} has hit_id ${cells.hitId[row]}, which is not in the hits table`);
    if (keepHit[hit]) rows.push(row);
  }
  const out = selectRows('cells', cells, rows);
  for (let i = 0; i < rows.length; i++) out.hitId[i] = newHitId[hitIndex.get(cells.hitId[rows[i]])];
  return out;
}

/**
 * Small synthetic TrackML events for tests of any stage (no dependency on real data). Hits are
 * stored in a shuffled order, as in real files, so nothing in a test can lean on track-by-track
 * order; particle ids are random 64-bit values, as in TrackML.
 */
import { Rng, allocateTable, type TrackMLEvent } from '@hypertrack/core';

export interface SyntheticEventOptions {
  eventId?: number;
  /** Particles with hits. */
  tracks?: number;
  /** Particles without any hit (not visible, must not count as tracks). */
  invisible?: number;
  noise?: number;
  minHits?: number;
  maxHits?: number;
  cells?: boolean;
}

export function syntheticEvent(seed: number, options: SyntheticEventOptions = {}): TrackMLEvent {
  const rng = Rng.fromSeed(seed);
  const tracks = options.tracks ?? 20;
  const invisible = options.invisible ?? 3;
  const noise = options.noise ?? 30;
  const minHits = options.minHits ?? 1;
  const maxHits = options.maxHits ?? 12;
  const particleCount = tracks + invisible;

  const hitCounts = Array.from({ length: particleCount }, (_, p) => (p < tracks ? minHits + rng.int(maxHits - minHits + 1) : 0));
  rng.shuffle(hitCounts);
  const owners: number[] = [];
  hitCounts.forEach((count, p) => {
    for (let i = 0; i < count; i++) owners.push(p);
  });
  for (let i = 0; i < noise; i++) owners.push(-1);
  rng.shuffle(owners);
  const hitCount = owners.length;

  const particles = allocateTable('particles', particleCount);
  const ids = new Set<bigint>();
  for (let p = 0; p < particleCount; p++) {
    let id: bigint;
    do {
      id = (BigInt(rng.nextUint32()) << 32n) | BigInt(rng.nextUint32());
    } while (id === 0n || ids.has(id));
    ids.add(id);
    particles.particleId[p] = id;
    particles.vx[p] = rng.normal(0, 0.01);
    particles.vy[p] = rng.normal(0, 0.01);
    particles.vz[p] = rng.normal(0, 50);
    particles.px[p] = rng.normal(0, 1);
    particles.py[p] = rng.normal(0, 1);
    particles.pz[p] = rng.normal(0, 3);
    particles.q[p] = rng.uniform() < 0.5 ? -1 : 1;
    particles.nhits[p] = hitCounts[p];
  }

  const hits = allocateTable('hits', hitCount);
  const truth = allocateTable('truth', hitCount);
  let weightSum = 0;
  for (let h = 0; h < hitCount; h++) {
    const owner = owners[h];
    hits.hitId[h] = h + 1;
    hits.x[h] = rng.uniformIn(-1000, 1000);
    hits.y[h] = rng.uniformIn(-1000, 1000);
    hits.z[h] = rng.uniformIn(-3000, 3000);
    hits.volumeId[h] = 7 + rng.int(12);
    hits.layerId[h] = 2 * (1 + rng.int(7));
    hits.moduleId[h] = 1 + rng.int(3000);
    truth.hitId[h] = h + 1;
    truth.particleId[h] = owner < 0 ? 0n : particles.particleId[owner];
    truth.tx[h] = hits.x[h] + rng.normal(0, 0.01);
    truth.ty[h] = hits.y[h] + rng.normal(0, 0.01);
    truth.tz[h] = hits.z[h];
    truth.tpx[h] = rng.normal(0, 1);
    truth.tpy[h] = rng.normal(0, 1);
    truth.tpz[h] = rng.normal(0, 3);
    truth.weight[h] = owner < 0 ? 0 : rng.uniformIn(1e-6, 1e-4);
    weightSum += truth.weight[h];
  }
  for (let h = 0; h < hitCount; h++) truth.weight[h] = truth.weight[h] / weightSum;

  const event: TrackMLEvent = { eventId: options.eventId ?? 1000, hits, particles, truth };
  if (options.cells) {
    const perHit = 2;
    const cells = allocateTable('cells', hitCount * perHit);
    for (let i = 0; i < hitCount * perHit; i++) {
      cells.hitId[i] = Math.floor(i / perHit) + 1;
      cells.ch0[i] = rng.int(1200);
      cells.ch1[i] = rng.int(1200);
      cells.value[i] = rng.uniform();
    }
    event.cells = cells;
  }
  return event;
}

import { ConfigError, type TrackMLEvent } from '@hypertrack/core';
import type { PhoenixEvent, PhoenixEventFile, PhoenixHit, PhoenixTrack, Vec3 } from './types';

export interface PhoenixExportOptions {
  /** Reconstructed cluster of each hit row, -1 for none: drawn as the "Reconstructed tracks" collection. */
  readonly reconstructed?: Int32Array;
  /**
   * True track of each hit row, -1 for noise: the row of its particle in `event.particles`, as
   * detsim's `hitParticle` and io-arrow's `particleIndexOfHits` give it. Default: from
   * `event.truth`'s particle ids. Without either, there are no true tracks.
   */
  readonly truthLabels?: Int32Array;
  /** Default 0. */
  readonly runNumber?: number;
  /** The event's key in the file (default "Event <eventId>"). */
  readonly eventName?: string;
  /** Tracks with fewer hits are left out (default 4, the hitsMin of the metrics). */
  readonly minHits?: number;
  /** Start each true track's polyline at its particle's production vertex (default true). */
  readonly truthFromVertex?: boolean;
}

/** Collection names. */
export const PHOENIX_COLLECTIONS = {
  trackHits: 'Track hits',
  noiseHits: 'Noise hits',
  assignedHits: 'Assigned hits',
  unassignedHits: 'Unassigned hits',
  hits: 'Hits',
  truthTracks: 'True tracks',
  recoTracks: 'Reconstructed tracks',
} as const;

const TRUTH_COLOUR = 'a0a0a0';
const RECO_COLOURS = ['4e79a7', 'e15759', '59a14f', 'f28e2b', 'b07aa1', '76b7b2', 'edc948', 'ff9da7', '9c755f'];

/** Micrometre precision: enough for any detector, and a third of the file size of full floats. */
const round = (v: number) => Math.round(v * 1000) / 1000;

function checkLabels(name: string, labels: Int32Array | undefined, hits: number): void {
  if (labels !== undefined && labels.length !== hits) throw new ConfigError(name, `has ${labels.length} labels, expected one per hit (${hits})`);
}

/** Per hit row: the truth table row with the same hit_id, -1 if none. */
function truthRows(event: TrackMLEvent): Int32Array {
  const rows = new Int32Array(event.hits.hitId.length).fill(-1);
  const truth = event.truth;
  if (!truth) return rows;
  const rowOfHit = new Map<number, number>();
  event.hits.hitId.forEach((id, row) => rowOfHit.set(id, row));
  truth.hitId.forEach((id, t) => {
    const row = rowOfHit.get(id);
    if (row !== undefined) rows[row] = t;
  });
  return rows;
}

/** Per hit row: its particle's row in `event.particles` (or a label past the table for unknown ids), -1 for noise. */
function labelsFromTruth(event: TrackMLEvent, truthRow: Int32Array): Int32Array {
  const truth = event.truth as NonNullable<TrackMLEvent['truth']>;
  const rowOf = new Map<bigint, number>();
  event.particles.particleId.forEach((id, row) => rowOf.set(id, row));
  let next = event.particles.particleId.length;
  const labels = new Int32Array(truthRow.length).fill(-1);
  for (let i = 0; i < truthRow.length; i++) {
    if (truthRow[i] < 0) continue;
    const id = truth.particleId[truthRow[i]];
    if (id === 0n) continue;
    let label = rowOf.get(id);
    if (label === undefined) rowOf.set(id, (label = next++));
    labels[i] = label;
  }
  return labels;
}

function groupByLabel(labels: Int32Array): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0) continue;
    const list = groups.get(labels[i]);
    if (list) list.push(i);
    else groups.set(labels[i], [i]);
  }
  return groups;
}

/**
 * Orders a track's points along its flight: by distance from `origin` (the production vertex of a
 * true track), else from the point nearest the beam line. Ties keep hit-row order.
 */
export function orderAlongFlight(points: readonly Vec3[], origin?: Vec3): number[] {
  let start = origin;
  if (!start) {
    let best = Infinity;
    for (const p of points) {
      const r = Math.hypot(p[0], p[1]);
      if (r < best) {
        best = r;
        start = p;
      }
    }
  }
  const o = start ?? [0, 0, 0];
  const distance = points.map((p) => Math.hypot(p[0] - o[0], p[1] - o[1], p[2] - o[2]));
  return points.map((_, i) => i).sort((a, b) => distance[a] - distance[b] || a - b);
}

function direction(from: Vec3, to: Vec3): { phi: number; eta: number } {
  return angles(to[0] - from[0], to[1] - from[1], to[2] - from[2]);
}

function angles(px: number, py: number, pz: number): { phi: number; eta: number } {
  const pt = Math.hypot(px, py);
  const theta = Math.atan2(pt, pz);
  return { phi: round(Math.atan2(py, px)), eta: pt > 0 ? round(-Math.log(Math.tan(theta / 2))) : 0 };
}

/**
 * An event in the JSON format of the HSF Phoenix event display: all hits (split into track and
 * noise hits when the truth is known, else into assigned and unassigned hits when a reconstruction
 * is given), the true tracks as polylines through their true hit positions, and the reconstructed
 * tracks as polylines through their measured hits, each ordered along the flight (see
 * `orderAlongFlight`). The result is plain JSON: `JSON.stringify` it into a `.json` file and open
 * that in Phoenix.
 */
export function toPhoenixEvent(event: TrackMLEvent, options: PhoenixExportOptions = {}): PhoenixEventFile {
  const hits = event.hits;
  const n = hits.hitId.length;
  checkLabels('reconstructed', options.reconstructed, n);
  checkLabels('truthLabels', options.truthLabels, n);
  const minHits = options.minHits ?? 4;
  if (!Number.isInteger(minHits) || minHits < 1) throw new ConfigError('minHits', `must be an integer >= 1, got ${minHits}`);

  const measured = (i: number): Vec3 => [round(hits.x[i]), round(hits.y[i]), round(hits.z[i])];
  const truthRow = truthRows(event);
  const truth = event.truth;
  const truthLabels = options.truthLabels ?? (truth ? labelsFromTruth(event, truthRow) : undefined);

  const hitsOut: Record<string, PhoenixHit[]> = {};
  const hit = (i: number): PhoenixHit => ({ pos: measured(i), hitId: hits.hitId[i] });
  if (truthLabels) {
    hitsOut[PHOENIX_COLLECTIONS.trackHits] = [];
    hitsOut[PHOENIX_COLLECTIONS.noiseHits] = [];
    for (let i = 0; i < n; i++) hitsOut[truthLabels[i] >= 0 ? PHOENIX_COLLECTIONS.trackHits : PHOENIX_COLLECTIONS.noiseHits].push(hit(i));
  } else if (options.reconstructed) {
    hitsOut[PHOENIX_COLLECTIONS.assignedHits] = [];
    hitsOut[PHOENIX_COLLECTIONS.unassignedHits] = [];
    for (let i = 0; i < n; i++) hitsOut[options.reconstructed[i] >= 0 ? PHOENIX_COLLECTIONS.assignedHits : PHOENIX_COLLECTIONS.unassignedHits].push(hit(i));
  } else {
    hitsOut[PHOENIX_COLLECTIONS.hits] = Array.from({ length: n }, (_, i) => hit(i));
  }

  const tracksOut: Record<string, PhoenixTrack[]> = {};
  if (truthLabels) tracksOut[PHOENIX_COLLECTIONS.truthTracks] = trueTracks(event, truthLabels, truthRow, minHits, options.truthFromVertex ?? true);
  if (options.reconstructed) {
    const list: PhoenixTrack[] = [];
    for (const [label, rows] of [...groupByLabel(options.reconstructed)].sort((a, b) => a[0] - b[0])) {
      if (rows.length < minHits) continue;
      const points = rows.map(measured);
      const pos = orderAlongFlight(points).map((k) => points[k]);
      list.push({ pos, color: RECO_COLOURS[list.length % RECO_COLOURS.length], ...direction(pos[0], pos[pos.length - 1]), nhits: rows.length, label });
    }
    tracksOut[PHOENIX_COLLECTIONS.recoTracks] = list;
  }

  const out: PhoenixEvent = { 'event number': event.eventId, 'run number': options.runNumber ?? 0, Hits: hitsOut, Tracks: tracksOut };
  return { [options.eventName ?? `Event ${event.eventId}`]: out };
}

function trueTracks(event: TrackMLEvent, labels: Int32Array, truthRow: Int32Array, minHits: number, fromVertex: boolean): PhoenixTrack[] {
  const { hits, particles, truth } = event;
  const list: PhoenixTrack[] = [];
  for (const [label, rows] of [...groupByLabel(labels)].sort((a, b) => a[0] - b[0])) {
    if (rows.length < minHits) continue;
    // The true crossing points where the truth table has them, the measured hits otherwise.
    const points = rows.map((i): Vec3 => {
      const t = truthRow[i];
      return truth && t >= 0 ? [round(truth.tx[t]), round(truth.ty[t]), round(truth.tz[t])] : [round(hits.x[i]), round(hits.y[i]), round(hits.z[i])];
    });
    const known = label < particles.particleId.length;
    const vertex: Vec3 | undefined = known ? [round(particles.vx[label]), round(particles.vy[label]), round(particles.vz[label])] : undefined;
    const ordered = orderAlongFlight(points, vertex).map((k) => points[k]);
    const pos = fromVertex && vertex ? [vertex, ...ordered] : ordered;
    const track: PhoenixTrack = {
      pos,
      color: TRUTH_COLOUR,
      ...(known ? angles(particles.px[label], particles.py[label], particles.pz[label]) : direction(pos[0], pos[pos.length - 1])),
      nhits: rows.length,
    };
    if (known) {
      track.particleId = particles.particleId[label].toString();
      track.charge = particles.q[label];
      track.pT = round(Math.hypot(particles.px[label], particles.py[label]));
    }
    list.push(track);
  }
  return list;
}

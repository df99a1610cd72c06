import { ConfigError, type TrackMLEvent } from '@hypertrack/core';
import { MEV_PER_TESLA_MM, transverseRadius } from './curvature';
import type { PhoenixEvent, PhoenixEventFile, PhoenixHit, PhoenixTrack, Vec3 } from './types';

/** Which hits go into the file: all of them, only those on a track the file keeps, or none. */
export type PhoenixHitSelection = 'all' | 'tracks' | 'none';
export const PHOENIX_HIT_SELECTIONS: readonly PhoenixHitSelection[] = ['all', 'tracks', 'none'];

/**
 * What a display file keeps. The defaults keep everything (a pile-up 200 event is then about
 * 11 MB); `{ minPt: 1, hits: 'tracks' }` is a light, readable view of the same event.
 */
export interface PhoenixThinning {
  /**
   * Tracks with a lower pT, in GeV (as in TrackML), are left out (default 0: none). A track with
   * no pT (a particle missing from the particles table; a reconstructed track without a field or
   * without curvature) is left out by any positive minimum.
   */
  readonly minPt?: number;
  /** At most this many tracks per collection: the highest-pT ones (default: no limit). */
  readonly maxTracks?: number;
  /** Default 'all'; 'tracks' keeps the hits of the tracks that the file keeps, in any collection. */
  readonly hits?: PhoenixHitSelection;
}

export interface PhoenixExportOptions extends PhoenixThinning {
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
  /**
   * The solenoid field along z in tesla (TrackML: detsim's `trackmlGeometry().bFieldTesla`). With
   * it, each reconstructed track gets a pT from the radius of a circle fitted through its hits
   * (pT = 0.3 B R); without it, reconstructed tracks have no pT.
   */
  readonly bFieldTesla?: number;
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
/** GeV (TrackML) to MeV (Phoenix), to 1 keV. */
const mev = (gev: number) => round(gev * 1000);

function checkOptions(options: PhoenixExportOptions, hits: number): void {
  for (const name of ['reconstructed', 'truthLabels'] as const) {
    const labels = options[name];
    if (labels !== undefined && labels.length !== hits) throw new ConfigError(name, `has ${labels.length} labels, expected one per hit (${hits})`);
  }
  const { minHits, minPt, maxTracks, hits: selection, bFieldTesla } = options;
  if (minHits !== undefined && !(Number.isInteger(minHits) && minHits >= 1)) throw new ConfigError('minHits', `must be an integer >= 1, got ${minHits}`);
  if (minPt !== undefined && !(Number.isFinite(minPt) && minPt >= 0)) throw new ConfigError('minPt', `must be a number of GeV >= 0, got ${minPt}`);
  if (maxTracks !== undefined && !(Number.isInteger(maxTracks) && maxTracks >= 0)) throw new ConfigError('maxTracks', `must be an integer >= 0, got ${maxTracks}`);
  if (selection !== undefined && !PHOENIX_HIT_SELECTIONS.includes(selection)) throw new ConfigError('hits', `must be one of ${PHOENIX_HIT_SELECTIONS.join(', ')}, got ${String(selection)}`);
  if (bFieldTesla !== undefined && !(Number.isFinite(bFieldTesla) && bFieldTesla > 0)) throw new ConfigError('bFieldTesla', `must be a field > 0 in tesla, got ${bFieldTesla}`);
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

/** A track the export may keep: its JSON object, its hit rows and its pT in GeV (unrounded, for thinning). */
interface Candidate {
  track: PhoenixTrack;
  rows: number[];
  ptGeV: number | undefined;
}

/**
 * Thinning of one collection: drops tracks below `minPt` (and those without a pT when `minPt` > 0),
 * orders the rest by decreasing pT (tracks without one last, ties in label order) and keeps the
 * first `maxTracks`. Phoenix offers a cut only for fields of a collection's first object, so the
 * order also puts a track with a pT first whenever there is one.
 */
export function thinTracks<T extends { readonly ptGeV: number | undefined }>(tracks: readonly T[], thinning: PhoenixThinning = {}): T[] {
  const minPt = thinning.minPt ?? 0;
  const kept = tracks.filter((t) => minPt <= 0 || (t.ptGeV !== undefined && t.ptGeV >= minPt));
  const key = (t: T) => t.ptGeV ?? -Infinity;
  const order = kept.map((_, i) => i).sort((a, b) => key(kept[b]) - key(kept[a]) || a - b);
  return order.slice(0, thinning.maxTracks ?? order.length).map((i) => kept[i]);
}

/**
 * An event in the JSON format of the HSF Phoenix event display, in Phoenix's units (mm, MeV): the
 * hits (split into track and noise hits when the truth is known, else into assigned and unassigned
 * hits when a reconstruction is given), the true tracks as polylines through their true hit
 * positions, and the reconstructed tracks as polylines through their measured hits, each ordered
 * along the flight (see `orderAlongFlight`); thinned as `PhoenixThinning` says. The result is
 * plain JSON: `JSON.stringify` it into a `.json` file and open that in Phoenix.
 */
export function toPhoenixEvent(event: TrackMLEvent, options: PhoenixExportOptions = {}): PhoenixEventFile {
  const hits = event.hits;
  const n = hits.hitId.length;
  checkOptions(options, n);
  const minHits = options.minHits ?? 4;

  const measured = (i: number): Vec3 => [round(hits.x[i]), round(hits.y[i]), round(hits.z[i])];
  const truthRow = truthRows(event);
  const truthLabels = options.truthLabels ?? (event.truth ? labelsFromTruth(event, truthRow) : undefined);

  const tracksOut: Record<string, PhoenixTrack[]> = {};
  const onKeptTrack = new Uint8Array(n);
  const keep = (name: string, candidates: Candidate[]) => {
    const kept = thinTracks(candidates, options);
    for (const c of kept) for (const i of c.rows) onKeptTrack[i] = 1;
    tracksOut[name] = kept.map((c) => c.track);
    return tracksOut[name];
  };
  if (truthLabels) keep(PHOENIX_COLLECTIONS.truthTracks, trueTracks(event, truthLabels, truthRow, minHits, options.truthFromVertex ?? true));
  if (options.reconstructed) {
    const candidates: Candidate[] = [];
    for (const [label, rows] of [...groupByLabel(options.reconstructed)].sort((a, b) => a[0] - b[0])) {
      if (rows.length < minHits) continue;
      const points = rows.map(measured);
      const pos = orderAlongFlight(points).map((k) => points[k]);
      const radius = options.bFieldTesla === undefined ? undefined : transverseRadius(points);
      const ptGeV = radius === undefined ? undefined : (MEV_PER_TESLA_MM * (options.bFieldTesla as number) * radius) / 1000;
      const track: PhoenixTrack = { pos, color: '', ...direction(pos[0], pos[pos.length - 1]), nhits: rows.length, label };
      if (ptGeV !== undefined) track.pT = mev(ptGeV);
      candidates.push({ track, rows, ptGeV });
    }
    // Colours by rank after thinning, so that neighbours in the list (and mostly in space) differ.
    keep(PHOENIX_COLLECTIONS.recoTracks, candidates).forEach((t, k) => (t.color = RECO_COLOURS[k % RECO_COLOURS.length]));
  }

  const selection = options.hits ?? 'all';
  const hitsOut: Record<string, PhoenixHit[]> = {};
  const split = (labels: Int32Array | undefined, onTrack: string, off: string) => {
    const names = labels ? [onTrack, off] : [PHOENIX_COLLECTIONS.hits];
    for (const name of names) hitsOut[name] = [];
    for (let i = 0; i < n; i++) {
      if (selection === 'tracks' && !onKeptTrack[i]) continue;
      hitsOut[labels ? (labels[i] >= 0 ? onTrack : off) : names[0]].push({ pos: measured(i), hitId: hits.hitId[i] });
    }
  };
  if (selection !== 'none') {
    if (truthLabels) split(truthLabels, PHOENIX_COLLECTIONS.trackHits, PHOENIX_COLLECTIONS.noiseHits);
    else split(options.reconstructed, PHOENIX_COLLECTIONS.assignedHits, PHOENIX_COLLECTIONS.unassignedHits);
  }

  const out: PhoenixEvent = { 'event number': event.eventId, 'run number': options.runNumber ?? 0, Hits: hitsOut, Tracks: tracksOut };
  return { [options.eventName ?? `Event ${event.eventId}`]: out };
}

function trueTracks(event: TrackMLEvent, labels: Int32Array, truthRow: Int32Array, minHits: number, fromVertex: boolean): Candidate[] {
  const { hits, particles, truth } = event;
  const list: Candidate[] = [];
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
    let ptGeV: number | undefined;
    if (known) {
      const [px, py, pz] = [particles.px[label], particles.py[label], particles.pz[label]];
      ptGeV = Math.hypot(px, py);
      track.pT = mev(ptGeV);
      track.mom = mev(Math.hypot(px, py, pz));
      track.particleId = particles.particleId[label].toString();
      track.charge = particles.q[label];
    }
    list.push({ track, rows, ptGeV });
  }
  return list;
}

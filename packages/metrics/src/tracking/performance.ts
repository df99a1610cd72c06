import { ConfigError } from '@hypertrack/core';
import { checkLength, inputError } from '../checks';
import { binomialError } from '../efficiency/intervals';
import type { ParticleKinematics } from '../efficiency/observables';
import type { DoubleMajorityResult } from '../majority/double-majority';

/**
 * The figures a tracking physicist reads first, from the double-majority matching of one event (or
 * summed over events): efficiency for target particles (reconstructable; pT above a cut; from the
 * beam line), efficiency per detector region, and the fake and duplicate rates of the
 * reconstructed tracks. Every figure keeps its counts, so "1 of 173" stays visible.
 */

/** A part of the detector, as the volume ids of its hits. */
export interface DetectorRegion {
  /** File-name-safe key, e.g. 'barrel'. */
  readonly key: string;
  readonly label: string;
  readonly volumes: readonly number[];
}

/**
 * The TrackML detector (and @hypertrack/detsim's copy of it): volumes 8, 13 and 17 are the pixel,
 * short-strip and long-strip barrels; 7, 12, 16 their end-caps at negative z and 9, 14, 18 those at
 * positive z.
 */
export const TRACKML_REGIONS: readonly DetectorRegion[] = Object.freeze([
  { key: 'barrel', label: 'barrel', volumes: [8, 13, 17] },
  { key: 'endcap-negative', label: 'end-cap z < 0', volumes: [7, 12, 16] },
  { key: 'endcap-positive', label: 'end-cap z > 0', volumes: [9, 14, 18] },
]);

/** Hits in none of the listed regions' volumes count for this region. */
export const OTHER_REGION: DetectorRegion = Object.freeze({ key: 'other', label: 'other volumes', volumes: [] });

/** k of n with the binomial standard error; `value` and `error` are NaN when n = 0. */
export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
  readonly value: number;
  readonly error: number;
}

export interface RegionEfficiency {
  readonly key: string;
  readonly label: string;
  readonly volumes: readonly number[];
  /** Matched over reconstructable particles whose hits lie mostly in this region. */
  readonly reconstructable: Fraction;
  /** The same for those above the pT cut. */
  readonly highPt: Fraction;
}

export interface TrackingPerformance {
  /** Events summed. */
  readonly events: number;
  /** Hits a particle needs to be reconstructable, and a reconstructed track to count (the DMS hitsMin). */
  readonly hitsMin: number;
  /** The pT cut of the target particles (GeV, strictly above). */
  readonly ptMin: number;
  /** The production radius r_xy of particles "from the beam line" (mm, at most). */
  readonly beamLineRadius: number;
  /** Double-majority matched particles over: */
  readonly efficiency: {
    /** particles with >= hitsMin hits, any vertex, any pT (the DMS efficiency's denominator); */
    readonly reconstructable: Fraction;
    /** those with pT > ptMin; */
    readonly highPt: Fraction;
    /** those with pT > ptMin produced within beamLineRadius of the beam line. */
    readonly highPtBeamLine: Fraction;
  };
  /** Per region (the listed ones, then 'other' when any particle falls there); empty without volume ids. */
  readonly regions: readonly RegionEfficiency[];
  /** Reconstructed tracks: clusters with >= hitsMin hits (the clusters purity counts). */
  readonly tracks: {
    readonly total: number;
    /** Double-majority matched. */
    readonly matched: number;
    /** No particle holds a strict majority of the track's hits (noise holding it included). */
    readonly fakes: number;
    /** Tracks beyond the first whose majority particle is the same: sum over particles of (tracks - 1). */
    readonly duplicates: number;
    /** Particles that are the majority particle of two or more tracks. */
    readonly duplicatedParticles: number;
  };
  /** fakes / tracks. */
  readonly fakeRate: Fraction;
  /** duplicates / tracks. */
  readonly duplicateRate: Fraction;
}

export interface TrackingOptions {
  /** pT cut of the target particles in GeV, strictly above (default 1). */
  readonly ptMin?: number;
  /** Production radius r_xy in mm up to which a particle comes "from the beam line" (default 10, as the r0_xy <= 10 mm efficiency category). */
  readonly beamLineRadius?: number;
  /** Detector regions by volume id (default TRACKML_REGIONS). */
  readonly regions?: readonly DetectorRegion[];
}

/** One event: the labels and double-majority result it was matched with, and its particles. */
export interface TrackingEvent {
  /** Per hit: truth track (the row of its particle in `particles`), -1 for noise; as given to doubleMajority. */
  readonly truthLabel: Int32Array;
  readonly match: Pick<DoubleMajorityResult, 'hitsMin' | 'truthSize' | 'clusterSize' | 'passed' | 'matchIndex' | 'majorityTrack'>;
  /** Per truth track: momentum (GeV) and production vertex (mm), e.g. the event's particles table. */
  readonly particles: Pick<ParticleKinematics, 'px' | 'py' | 'vx' | 'vy'>;
  /** Per hit: detector volume id. Without it, `regions` is empty. */
  readonly volumeId?: ArrayLike<number>;
}

export function fraction(numerator: number, denominator: number): Fraction {
  return { numerator, denominator, value: denominator > 0 ? numerator / denominator : NaN, error: binomialError(numerator, denominator) };
}

function checkOptions(options: TrackingOptions): Required<TrackingOptions> {
  const ptMin = options.ptMin ?? 1;
  const beamLineRadius = options.beamLineRadius ?? 10;
  const regions = options.regions ?? TRACKML_REGIONS;
  if (!(ptMin >= 0) || ptMin === Infinity) throw new ConfigError('ptMin', `must be a finite number >= 0 (GeV), got ${ptMin}`);
  if (!(beamLineRadius >= 0) || beamLineRadius === Infinity) throw new ConfigError('beamLineRadius', `must be a finite number >= 0 (mm), got ${beamLineRadius}`);
  const seen = new Map<number, string>();
  for (const region of regions) {
    if (region.key === OTHER_REGION.key) throw new ConfigError('regions', `'${OTHER_REGION.key}' is reserved for hits in none of the regions`);
    for (const v of region.volumes) {
      const earlier = seen.get(v);
      if (earlier !== undefined) throw new ConfigError('regions', `volume ${v} is in both '${earlier}' and '${region.key}'`);
      seen.set(v, region.key);
    }
  }
  return { ptMin, beamLineRadius, regions };
}

/**
 * The region of each truth track: the one holding most of its hits, ties going to the earlier
 * region in the list and 'other' (hits in no listed volume) last. -1 for tracks without hits.
 */
function regionOfTracks(truthLabel: Int32Array, volumeId: ArrayLike<number>, tracks: number, regions: readonly DetectorRegion[]): Int32Array {
  const other = regions.length;
  const regionOfVolume = new Map<number, number>();
  regions.forEach((region, r) => region.volumes.forEach((v) => regionOfVolume.set(v, r)));
  const slots = regions.length + 1;
  const counts = new Int32Array(tracks * slots);
  for (let i = 0; i < truthLabel.length; i++) {
    const t = truthLabel[i];
    if (t < 0) continue;
    if (t >= tracks) throw inputError('tracking', 'truthLabel', `label ${t} at row ${i} has no entry in the match's truthSize (${tracks} tracks): not the labels the event was matched with`);
    counts[t * slots + (regionOfVolume.get(volumeId[i]) ?? other)]++;
  }
  const out = new Int32Array(tracks).fill(-1);
  for (let t = 0; t < tracks; t++) {
    let best = 0;
    for (let r = 0; r < slots; r++) {
      if (counts[t * slots + r] > best) {
        best = counts[t * slots + r];
        out[t] = r;
      }
    }
  }
  return out;
}

/** Mutable counts, summed over events and turned into fractions at the end. */
interface Tally {
  events: number;
  hitsMin: number;
  eff: [number, number][];
  regions: { reco: [number, number]; high: [number, number] }[];
  tracks: { total: number; matched: number; fakes: number; duplicates: number; duplicatedParticles: number };
}

function emptyTally(hitsMin: number, regions: number): Tally {
  return {
    events: 0,
    hitsMin,
    eff: [
      [0, 0],
      [0, 0],
      [0, 0],
    ],
    regions: Array.from({ length: regions }, () => ({ reco: [0, 0] as [number, number], high: [0, 0] as [number, number] })),
    tracks: { total: 0, matched: 0, fakes: 0, duplicates: 0, duplicatedParticles: 0 },
  };
}

function finish(t: Tally, options: Required<TrackingOptions>, withRegions: boolean): TrackingPerformance {
  const all = [...options.regions, OTHER_REGION];
  const f = ([k, n]: [number, number]) => fraction(k, n);
  const regions: RegionEfficiency[] = [];
  if (withRegions) {
    t.regions.forEach((r, i) => {
      // 'other' only appears when a particle falls there.
      if (i === options.regions.length && r.reco[1] === 0 && r.high[1] === 0) return;
      regions.push({ key: all[i].key, label: all[i].label, volumes: [...all[i].volumes], reconstructable: f(r.reco), highPt: f(r.high) });
    });
  }
  return {
    events: t.events,
    hitsMin: t.hitsMin,
    ptMin: options.ptMin,
    beamLineRadius: options.beamLineRadius,
    efficiency: { reconstructable: f(t.eff[0]), highPt: f(t.eff[1]), highPtBeamLine: f(t.eff[2]) },
    regions,
    tracks: { ...t.tracks },
    fakeRate: fraction(t.tracks.fakes, t.tracks.total),
    duplicateRate: fraction(t.tracks.duplicates, t.tracks.total),
  };
}

function addEvent(tally: Tally, event: TrackingEvent, options: Required<TrackingOptions>): void {
  const { truthLabel, match, particles, volumeId } = event;
  const { truthSize, clusterSize, passed, matchIndex, majorityTrack, hitsMin } = match;
  const tracks = truthSize.length;
  if (volumeId !== undefined) checkLength('tracking', 'volumeId', volumeId.length, truthLabel.length, 'truthLabel');
  for (const column of ['px', 'py', 'vx', 'vy'] as const) {
    if (particles[column].length < tracks) {
      throw inputError('tracking', column, `has ${particles[column].length} particles but the truth labels go up to ${tracks - 1}`);
    }
  }
  const region = volumeId === undefined ? null : regionOfTracks(truthLabel, volumeId, tracks, options.regions);
  for (let t = 0; t < tracks; t++) {
    if (truthSize[t] < hitsMin) continue;
    const ok = passed[t] > 0 ? 1 : 0;
    const highPt = Math.hypot(particles.px[t], particles.py[t]) > options.ptMin;
    const beamLine = Math.hypot(particles.vx[t], particles.vy[t]) <= options.beamLineRadius;
    const count = (slot: [number, number]) => {
      slot[0] += ok;
      slot[1]++;
    };
    count(tally.eff[0]);
    if (highPt) count(tally.eff[1]);
    if (highPt && beamLine) count(tally.eff[2]);
    if (region !== null && region[t] >= 0) {
      count(tally.regions[region[t]].reco);
      if (highPt) count(tally.regions[region[t]].high);
    }
  }
  // Reconstructed tracks: tracks per majority particle give the duplicates.
  const perParticle = new Int32Array(tracks);
  for (let r = 0; r < clusterSize.length; r++) {
    if (clusterSize[r] < hitsMin) continue;
    tally.tracks.total++;
    if (matchIndex[r] >= 0) tally.tracks.matched++;
    const p = majorityTrack[r];
    if (p < 0) tally.tracks.fakes++;
    else if (++perParticle[p] > 1) {
      tally.tracks.duplicates++;
      if (perParticle[p] === 2) tally.tracks.duplicatedParticles++;
    }
  }
  tally.events++;
}

function sameSettings(a: TrackingPerformance, b: TrackingPerformance): void {
  for (const key of ['hitsMin', 'ptMin', 'beamLineRadius'] as const) {
    if (a[key] !== b[key]) throw new ConfigError(key, `cannot sum tracking figures made with different ${key} (${a[key]} and ${b[key]})`);
  }
}

const add = (a: Fraction, b: Fraction) => fraction(a.numerator + b.numerator, a.denominator + b.denominator);

/**
 * Sums per-event (or per-shard) figures made with the same settings: counts add up, fractions are
 * recomputed from them. Regions are merged by key, in order of first appearance.
 */
export function sumTrackingPerformance(parts: readonly TrackingPerformance[]): TrackingPerformance {
  if (parts.length === 0) return trackingPerformance([]);
  let out = parts[0];
  for (const part of parts.slice(1)) {
    sameSettings(out, part);
    const regions = out.regions.map((r) => {
      const other = part.regions.find((q) => q.key === r.key);
      return other === undefined ? r : { ...r, reconstructable: add(r.reconstructable, other.reconstructable), highPt: add(r.highPt, other.highPt) };
    });
    for (const r of part.regions) if (!regions.some((q) => q.key === r.key)) regions.push(r);
    const tracks = {
      total: out.tracks.total + part.tracks.total,
      matched: out.tracks.matched + part.tracks.matched,
      fakes: out.tracks.fakes + part.tracks.fakes,
      duplicates: out.tracks.duplicates + part.tracks.duplicates,
      duplicatedParticles: out.tracks.duplicatedParticles + part.tracks.duplicatedParticles,
    };
    out = {
      ...out,
      events: out.events + part.events,
      efficiency: {
        reconstructable: add(out.efficiency.reconstructable, part.efficiency.reconstructable),
        highPt: add(out.efficiency.highPt, part.efficiency.highPt),
        highPtBeamLine: add(out.efficiency.highPtBeamLine, part.efficiency.highPtBeamLine),
      },
      regions,
      tracks,
      fakeRate: fraction(tracks.fakes, tracks.total),
      duplicateRate: fraction(tracks.duplicates, tracks.total),
    };
  }
  return out;
}

/**
 * Efficiency for target particles and per detector region, fake and duplicate rates, summed over
 * the given events (see the package README for the definitions). Every event must have been matched
 * with the same hitsMin.
 */
export function trackingPerformance(events: TrackingEvent | readonly TrackingEvent[], options: TrackingOptions = {}): TrackingPerformance {
  const resolved = checkOptions(options);
  const list = Array.isArray(events) ? (events as readonly TrackingEvent[]) : [events as TrackingEvent];
  const hitsMin = list.length > 0 ? list[0].match.hitsMin : 4;
  const tally = emptyTally(hitsMin, resolved.regions.length + 1);
  for (const event of list) {
    if (event.match.hitsMin !== hitsMin) throw new ConfigError('hitsMin', `events were matched with different hitsMin (${hitsMin} and ${event.match.hitsMin})`);
    addEvent(tally, event, resolved);
  }
  return finish(tally, resolved, list.length > 0 && list.every((e) => e.volumeId !== undefined));
}

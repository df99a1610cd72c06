import { ConfigError } from '@hypertrack/core';
import { checkLength } from '../checks';
import type { DoubleMajorityResult } from '../majority/double-majority';
import { binOf, defaultObservables, type Observable, type TrackKinematics } from './bins';
import { binomialError, wilsonInterval } from './intervals';

/** The kinematics a truth track needs for the efficiency plots (a TrackML particles table fits). */
export interface ParticleKinematics {
  readonly vx: ArrayLike<number>;
  readonly vy: ArrayLike<number>;
  readonly vz: ArrayLike<number>;
  readonly px: ArrayLike<number>;
  readonly py: ArrayLike<number>;
  readonly pz: ArrayLike<number>;
}

/** One event's truth tracks (index = truth label) and their match outcome. */
export interface EfficiencyEvent extends ParticleKinematics {
  /** Hits of each truth track in the event (e.g. `DoubleMajorityResult.truthSize`). */
  readonly nhits: ArrayLike<number>;
  /** 1 when matched (`DoubleMajorityResult.passed`). */
  readonly passed: ArrayLike<number>;
  /** Per track, -1 when unmatched (`DoubleMajorityResult.hitPurity` / `hitEfficiency`). */
  readonly hitPurity?: ArrayLike<number>;
  readonly hitEfficiency?: ArrayLike<number>;
}

/**
 * The efficiency input of one event from its particles and its double-majority result, whose truth
 * labels are the particle rows (as io-arrow's particleIndexOfHits gives them). Particles beyond the
 * highest label have no hits: they get nhits 0 and are not matched.
 */
export function efficiencyEventOf(particles: ParticleKinematics, majority: Pick<DoubleMajorityResult, 'truthSize' | 'passed' | 'hitPurity' | 'hitEfficiency'>): EfficiencyEvent {
  const n = particles.vx.length;
  const padded = (values: ArrayLike<number>, fill: number) => {
    const out = new Float64Array(n).fill(fill);
    for (let t = 0; t < Math.min(n, values.length); t++) out[t] = values[t];
    return out;
  };
  const { vx, vy, vz, px, py, pz } = particles;
  return {
    vx,
    vy,
    vz,
    px,
    py,
    pz,
    nhits: padded(majority.truthSize, 0),
    passed: padded(majority.passed, 0),
    hitPurity: padded(majority.hitPurity, -1),
    hitEfficiency: padded(majority.hitEfficiency, -1),
  };
}

export interface ObservableEfficiency {
  readonly key: string;
  readonly label: string;
  readonly logX: boolean;
  readonly edges: Float64Array;
  /** Per bin: tracks with >= 1 hit, tracks with >= hitsMin hits (denominator), matched (numerator). */
  readonly all: Int32Array;
  readonly denominator: Int32Array;
  readonly numerator: Int32Array;
  /** numerator / denominator, NaN in empty bins. */
  readonly efficiency: Float64Array;
  /** Binomial standard error sqrt(e (1 - e) / n). */
  readonly error: Float64Array;
  /** Wilson 68.27% interval. */
  readonly wilsonLow: Float64Array;
  readonly wilsonHigh: Float64Array;
  /** Mean hit purity and hit efficiency of the matched tracks, NaN where none. */
  readonly meanHitPurity: Float64Array;
  readonly meanHitEfficiency: Float64Array;
  /** Denominator tracks outside the bin range (or with an undefined value). */
  readonly outside: number;
}

export type EfficiencyCategory = 'inclusive' | 'r0_xy_less_10mm' | 'r0_xy_more_10mm';

export interface EfficiencyReport {
  readonly hitsMin: number;
  readonly categories: Record<EfficiencyCategory, ObservableEfficiency[]>;
}

const CATEGORIES: readonly [EfficiencyCategory, (r0xy: number) => boolean][] = [
  ['inclusive', () => true],
  ['r0_xy_less_10mm', (r) => r <= 10],
  ['r0_xy_more_10mm', (r) => r > 10],
];

interface Accumulator {
  all: Int32Array;
  denominator: Int32Array;
  numerator: Int32Array;
  puritySum: Float64Array;
  effSum: Float64Array;
  outside: number;
}

/**
 * Efficiency versus pT, eta, phi, vertex position and hit count (reference 6.6), summed over the
 * given events, in three categories of the production radius r0xy (inclusive, <= 10 mm, > 10 mm).
 */
export function observableEfficiency(events: EfficiencyEvent | readonly EfficiencyEvent[], options: { hitsMin?: number } = {}): EfficiencyReport {
  const hitsMin = options.hitsMin ?? 4;
  if (!Number.isInteger(hitsMin) || hitsMin < 1) throw new ConfigError('hitsMin', `must be an integer >= 1, got ${hitsMin}`);
  const list = Array.isArray(events) ? (events as readonly EfficiencyEvent[]) : [events as EfficiencyEvent];
  const observables = defaultObservables();
  const acc = CATEGORIES.map(() => observables.map((o) => newAccumulator(o.edges.length - 1)));
  const k: TrackKinematics = { vx: 0, vy: 0, vz: 0, px: 0, py: 0, pz: 0, nhits: 0 };
  for (const event of list) {
    const n = event.passed.length;
    for (const column of ['vx', 'vy', 'vz', 'px', 'py', 'pz', 'nhits', 'hitPurity', 'hitEfficiency'] as const) {
      const values = event[column];
      if (values !== undefined) checkLength('efficiency', column, values.length, n, 'passed');
    }
    for (let t = 0; t < n; t++) {
      k.vx = event.vx[t];
      k.vy = event.vy[t];
      k.vz = event.vz[t];
      k.px = event.px[t];
      k.py = event.py[t];
      k.pz = event.pz[t];
      k.nhits = event.nhits[t];
      if (!(k.nhits > 0)) continue;
      const counted = k.nhits >= hitsMin;
      const matched = counted && event.passed[t] > 0;
      const r0xy = Math.hypot(k.vx, k.vy);
      for (let c = 0; c < CATEGORIES.length; c++) {
        if (!CATEGORIES[c][1](r0xy)) continue;
        for (let o = 0; o < observables.length; o++) {
          fill(acc[c][o], observables[o], k, counted, matched, event.hitPurity?.[t], event.hitEfficiency?.[t]);
        }
      }
    }
  }
  const categories = {} as Record<EfficiencyCategory, ObservableEfficiency[]>;
  CATEGORIES.forEach(([name], c) => (categories[name] = observables.map((o, i) => finish(o, acc[c][i]))));
  return { hitsMin, categories };
}

function newAccumulator(bins: number): Accumulator {
  return {
    all: new Int32Array(bins),
    denominator: new Int32Array(bins),
    numerator: new Int32Array(bins),
    puritySum: new Float64Array(bins),
    effSum: new Float64Array(bins),
    outside: 0,
  };
}

function fill(a: Accumulator, o: Observable, k: TrackKinematics, counted: boolean, matched: boolean, purity: number | undefined, eff: number | undefined): void {
  const b = binOf(o.edges, o.value(k));
  if (b < 0) {
    if (counted) a.outside++;
    return;
  }
  a.all[b]++;
  if (!counted) return;
  a.denominator[b]++;
  if (!matched) return;
  a.numerator[b]++;
  a.puritySum[b] += purity ?? NaN;
  a.effSum[b] += eff ?? NaN;
}

function finish(o: Observable, a: Accumulator): ObservableEfficiency {
  const bins = a.all.length;
  const efficiency = new Float64Array(bins);
  const error = new Float64Array(bins);
  const wilsonLow = new Float64Array(bins);
  const wilsonHigh = new Float64Array(bins);
  const meanHitPurity = new Float64Array(bins);
  const meanHitEfficiency = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    const num = a.numerator[b];
    const den = a.denominator[b];
    efficiency[b] = den > 0 ? num / den : NaN;
    error[b] = binomialError(num, den);
    const w = wilsonInterval(num, den);
    wilsonLow[b] = w.low;
    wilsonHigh[b] = w.high;
    meanHitPurity[b] = num > 0 ? a.puritySum[b] / num : NaN;
    meanHitEfficiency[b] = num > 0 ? a.effSum[b] / num : NaN;
  }
  return {
    key: o.key,
    label: o.label,
    logX: o.logX,
    edges: o.edges,
    all: a.all,
    denominator: a.denominator,
    numerator: a.numerator,
    efficiency,
    error,
    wilsonLow,
    wilsonHigh,
    meanHitPurity,
    meanHitEfficiency,
    outside: a.outside,
  };
}

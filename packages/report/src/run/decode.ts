import type { RunEventDisplayFile } from '../display/event-display';
import { InputError } from '@hypertrack/core';
import {
  fraction,
  RESULT_COLUMNS,
  type EfficiencyCategory,
  type EfficiencyReport,
  type EventResults,
  type Fraction,
  type HitMixing,
  type ObservableEfficiency,
  type RegionEfficiency,
  type ResultsSummary,
  type TrackingPerformance,
} from '@hypertrack/metrics';
import { describe, type JsonValue } from '../jsonl/parse';
import type { RocSeries } from '../plots/roc';
import type { RunGraphEvent, RunInferEvent, RunInfoFile, RunScoreEvent } from './files';

type JsonObject = { [key: string]: JsonValue };

/**
 * Checks a parsed JSON value against the shape of a run file and rebuilds the metrics types
 * (typed arrays, NaN for null). Errors name the file and the field:
 * `run/score/hit-mixing.json: field 'counts': expected an array of numbers, got a string ("x")`.
 */
class Fields {
  constructor(
    readonly file: string,
    readonly path = '',
    readonly line?: number,
  ) {}

  fail(reason: string, field = this.path): never {
    throw new InputError({ file: this.file, line: this.line }, field ? `field '${field}': ${reason}` : reason);
  }

  at(key: string | number): Fields {
    return new Fields(this.file, typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key, this.line);
  }

  object(value: JsonValue | undefined): JsonObject {
    if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) this.fail(`expected an object, got ${describe(value)}`);
    return value as JsonObject;
  }

  array(value: JsonValue | undefined): JsonValue[] {
    if (!Array.isArray(value)) this.fail(`expected an array, got ${describe(value)}`);
    return value as JsonValue[];
  }

  string(value: JsonValue | undefined): string {
    if (typeof value !== 'string') this.fail(`expected a string, got ${describe(value)}`);
    return value as string;
  }

  boolean(value: JsonValue | undefined): boolean {
    if (typeof value !== 'boolean') this.fail(`expected true or false, got ${describe(value)}`);
    return value as boolean;
  }

  /** A number; null (how JSON stores NaN and Infinity) reads as `ifNull`. */
  number(value: JsonValue | undefined, ifNull = NaN): number {
    if (value === null) return ifNull;
    if (typeof value !== 'number') this.fail(`expected a number, got ${describe(value)}`);
    return value as number;
  }

  integer(value: JsonValue | undefined): number {
    const n = this.number(value);
    if (!Number.isInteger(n)) this.fail(`expected an integer, got ${describe(value)}`);
    return n;
  }

  /**
   * A numeric array: a JSON array, or the `{"0": .., "1": ..}` object that plain JSON.stringify
   * makes of a typed array. Nulls read as `ifNull`.
   */
  numbers(value: JsonValue | undefined, ifNull = NaN): number[] {
    let items: JsonValue[];
    if (Array.isArray(value)) items = value;
    else if (value !== null && typeof value === 'object' && Object.keys(value).every((k, i) => k === String(i))) items = Object.values(value);
    else return this.fail(`expected an array of numbers, got ${describe(value)}`);
    return items.map((v, i) => {
      if (v === null) return ifNull;
      if (typeof v !== 'number') this.at(i).fail(`expected a number, got ${describe(v)}`);
      return v as number;
    });
  }

  float64(value: JsonValue | undefined, ifNull = NaN): Float64Array {
    return Float64Array.from(this.numbers(value, ifNull));
  }

  int32(value: JsonValue | undefined): Int32Array {
    const values = this.numbers(value);
    values.forEach((v, i) => Number.isInteger(v) || this.at(i).fail(`expected an integer, got ${describe(v)}`));
    return Int32Array.from(values);
  }

  sameLength(name: string, actual: number, expected: number, of: string): void {
    if (actual !== expected) this.at(name).fail(`has ${actual} entries, expected ${expected} (as many as ${of})`);
  }
}

export function decodeResults(value: JsonValue, file: string): ResultsSummary {
  const f = new Fields(file);
  const root = f.object(value);
  const specs = new Map(RESULT_COLUMNS.map((c) => [c.key as string, c]));
  const columns = f.at('columns');
  return {
    events: f.at('events').integer(root.events),
    // Files written before the timing warm-up was recorded left the first event out of every column.
    ...(root.timingWarmUp === undefined ? {} : { timingWarmUp: f.at('timingWarmUp').integer(root.timingWarmUp) }),
    columns: columns.array(root.columns).map((item, i) => {
      const c = columns.at(i);
      const o = c.object(item);
      const key = c.at('key').string(o.key);
      const spec = specs.get(key);
      if (spec === undefined) return c.at('key').fail(`unknown column '${key}'; expected one of ${[...specs.keys()].join(', ')}`);
      return {
        key: key as keyof EventResults,
        header: c.at('header').string(o.header),
        // Kind and unit are the column's (older files do not store them).
        kind: spec.kind,
        unit: spec.unit,
        mean: c.at('mean').number(o.mean),
        std: c.at('std').number(o.std),
        count: c.at('count').integer(o.count),
        text: c.at('text').string(o.text),
      };
    }),
  };
}

/** A number that may be null (NaN) in the file, as a number or null. */
function nullable(f: Fields, o: { [key: string]: JsonValue }, key: string): number | null {
  const v = f.at(key).number(o[key]);
  return Number.isFinite(v) ? v : null;
}

export function decodeInferEvent(value: JsonValue, file: string, line: number): RunInferEvent {
  const f = new Fields(file, '', line);
  const o = f.object(value);
  const row = {
    eventId: f.at('eventId').integer(o.eventId),
    hits: f.at('hits').integer(o.hits),
    edges: f.at('edges').integer(o.edges),
    clusters: f.at('clusters').integer(o.clusters),
  } as RunInferEvent;
  for (const { key } of RESULT_COLUMNS) row[key] = nullable(f, o, key);
  return row;
}

export function decodeGraphEvent(value: JsonValue, file: string, line: number): RunGraphEvent {
  const f = new Fields(file, '', line);
  const o = f.object(value);
  return {
    eventId: f.at('eventId').integer(o.eventId),
    hits: f.at('hits').integer(o.hits),
    edges: f.at('edges').integer(o.edges),
    edgesPerHit: nullable(f, o, 'edgesPerHit'),
    tpr: nullable(f, o, 'tpr'),
    fpr: nullable(f, o, 'fpr'),
    purity: nullable(f, o, 'purity'),
    assignMs: nullable(f, o, 'assignMs'),
    edgesMs: nullable(f, o, 'edgesMs'),
  };
}

function decodeFraction(f: Fields, value: JsonValue | undefined): Fraction {
  const o = f.object(value);
  const numerator = f.at('numerator').integer(o.numerator);
  const denominator = f.at('denominator').integer(o.denominator);
  if (numerator < 0 || numerator > denominator) f.fail(`numerator ${numerator} is not within 0..denominator (${denominator})`);
  // value and error follow from the counts, through the same metrics function that wrote them.
  return fraction(numerator, denominator);
}

export function decodeTracking(value: JsonValue, file: string): TrackingPerformance {
  const f = new Fields(file);
  const o = f.object(value);
  const e = f.at('efficiency');
  const eff = e.object(o.efficiency);
  const t = f.at('tracks');
  const tracks = t.object(o.tracks);
  const regions = f.at('regions');
  const count = (key: 'total' | 'matched' | 'fakes' | 'duplicates' | 'duplicatedParticles') => t.at(key).integer(tracks[key]);
  return {
    events: f.at('events').integer(o.events),
    hitsMin: f.at('hitsMin').integer(o.hitsMin),
    ptMin: f.at('ptMin').number(o.ptMin),
    beamLineRadius: f.at('beamLineRadius').number(o.beamLineRadius),
    efficiency: {
      reconstructable: decodeFraction(e.at('reconstructable'), eff.reconstructable),
      highPt: decodeFraction(e.at('highPt'), eff.highPt),
      highPtBeamLine: decodeFraction(e.at('highPtBeamLine'), eff.highPtBeamLine),
    },
    regions: regions.array(o.regions).map((item, i): RegionEfficiency => {
      const r = regions.at(i);
      const ro = r.object(item);
      return {
        key: r.at('key').string(ro.key),
        label: r.at('label').string(ro.label),
        volumes: r.at('volumes').numbers(ro.volumes),
        reconstructable: decodeFraction(r.at('reconstructable'), ro.reconstructable),
        highPt: decodeFraction(r.at('highPt'), ro.highPt),
      };
    }),
    tracks: { total: count('total'), matched: count('matched'), fakes: count('fakes'), duplicates: count('duplicates'), duplicatedParticles: count('duplicatedParticles') },
    fakeRate: decodeFraction(f.at('fakeRate'), o.fakeRate),
    duplicateRate: decodeFraction(f.at('duplicateRate'), o.duplicateRate),
  };
}

export function decodeScoreEvent(value: JsonValue, file: string, line: number): RunScoreEvent {
  const f = new Fields(file, '', line);
  const o = f.object(value);
  const score = (key: 'trackmlScore' | 'dms' | 'efficiency' | 'purity') => {
    const v = f.at(key).number(o[key]);
    return Number.isFinite(v) ? v : null;
  };
  return {
    eventId: f.at('eventId').integer(o.eventId),
    hits: f.at('hits').integer(o.hits),
    tracks: f.at('tracks').integer(o.tracks),
    trackmlScore: score('trackmlScore'),
    dms: score('dms'),
    efficiency: score('efficiency'),
    purity: score('purity'),
  };
}

const CATEGORIES: readonly EfficiencyCategory[] = ['inclusive', 'r0_xy_less_10mm', 'r0_xy_more_10mm'];

function decodeObservable(f: Fields, value: JsonValue): ObservableEfficiency {
  const o = f.object(value);
  const edges = f.at('edges').float64(o.edges);
  if (edges.length < 2) f.at('edges').fail(`needs at least 2 bin edges, got ${edges.length}`);
  const bins = edges.length - 1;
  const perBin = <T extends { length: number }>(name: string, array: T): T => {
    f.sameLength(name, array.length, bins, 'bins');
    return array;
  };
  const optional = (name: 'wilsonLow' | 'wilsonHigh' | 'meanHitPurity' | 'meanHitEfficiency') =>
    o[name] === undefined ? new Float64Array(bins).fill(NaN) : perBin(name, f.at(name).float64(o[name]));
  return {
    key: f.at('key').string(o.key),
    label: f.at('label').string(o.label),
    logX: o.logX === undefined ? false : f.at('logX').boolean(o.logX),
    edges,
    all: o.all === undefined ? new Int32Array(bins) : perBin('all', f.at('all').int32(o.all)),
    denominator: perBin('denominator', f.at('denominator').int32(o.denominator)),
    numerator: perBin('numerator', f.at('numerator').int32(o.numerator)),
    efficiency: perBin('efficiency', f.at('efficiency').float64(o.efficiency)),
    error: perBin('error', f.at('error').float64(o.error)),
    wilsonLow: optional('wilsonLow'),
    wilsonHigh: optional('wilsonHigh'),
    meanHitPurity: optional('meanHitPurity'),
    meanHitEfficiency: optional('meanHitEfficiency'),
    outside: o.outside === undefined ? 0 : f.at('outside').integer(o.outside),
  };
}

export function decodeEfficiency(value: JsonValue, file: string): EfficiencyReport {
  const f = new Fields(file);
  const root = f.object(value);
  const c = f.at('categories');
  const categories = c.object(root.categories);
  const out = {} as Record<EfficiencyCategory, ObservableEfficiency[]>;
  for (const name of CATEGORIES) {
    const list = categories[name];
    out[name] = list === undefined ? [] : c.at(name).array(list).map((item, i) => decodeObservable(c.at(name).at(i), item));
  }
  return { hitsMin: root.hitsMin === undefined ? 4 : f.at('hitsMin').integer(root.hitsMin), categories: out };
}

export function decodeHitMixing(value: JsonValue, file: string): HitMixing {
  const f = new Fields(file);
  const o = f.object(value);
  const size = f.at('size').integer(o.size);
  if (size < 1) f.at('size').fail(`must be >= 1, got ${size}`);
  const counts = f.at('counts').int32(o.counts);
  f.sameLength('counts', counts.length, size * size, 'size x size');
  const columnPercent = f.at('columnPercent').float64(o.columnPercent, 0);
  f.sameLength('columnPercent', columnPercent.length, size * size, 'size x size');
  return { size, counts, columnPercent, outside: o.outside === undefined ? 0 : f.at('outside').integer(o.outside) };
}

export function decodeRocFile(value: JsonValue, file: string): RocSeries {
  const f = new Fields(file);
  const o = f.object(value);
  const c = f.at('curve');
  const curve = c.object(o.curve);
  // Scores are never NaN (metrics rejects them), so a null threshold is the +Infinity of point 0.
  const thresholds = c.at('thresholds').float64(curve.thresholds, Infinity);
  const tpr = c.at('tpr').float64(curve.tpr);
  const fpr = c.at('fpr').float64(curve.fpr);
  c.sameLength('tpr', tpr.length, thresholds.length, 'thresholds');
  c.sameLength('fpr', fpr.length, thresholds.length, 'thresholds');
  if (thresholds.length === 0) c.at('thresholds').fail('is empty');
  return { name: f.at('name').string(o.name), curve: { thresholds, tpr, fpr, auc: c.at('auc').number(curve.auc) } };
}

export function decodeInfo(value: JsonValue, file: string): RunInfoFile {
  const f = new Fields(file);
  const o = f.object(value);
  const out: RunInfoFile = {};
  for (const [key, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object') f.at(key).fail(`expected a string, number, boolean or null, got ${describe(v)}`);
    out[key] = v as string | number | boolean | null;
  }
  return out;
}

export function decodeEventDisplay(value: JsonValue, file: string): RunEventDisplayFile {
  const f = new Fields(file);
  const o = f.object(value);
  const x = f.at('x').numbers(o.x);
  const out: RunEventDisplayFile = {
    eventId: f.at('eventId').integer(o.eventId),
    colouredBy: f.at('colouredBy').string(o.colouredBy),
    hits: f.at('hits').integer(o.hits),
    tracks: f.at('tracks').integer(o.tracks),
    keptTracks: f.at('keptTracks').integer(o.keptTracks),
    x,
    y: f.at('y').numbers(o.y),
    z: f.at('z').numbers(o.z),
    label: f.at('label').numbers(o.label),
  };
  for (const key of ['y', 'z', 'label'] as const) f.sameLength(key, out[key].length, x.length, 'x');
  if (out.x.some((v, i) => !Number.isFinite(v) || !Number.isFinite(out.y[i]) || !Number.isFinite(out.z[i]))) f.fail('a hit has no finite x, y or z', 'x');
  return out;
}

import type { EfficiencyReport, EventResults, HitMixing, ResultsSummary, RocCurve, TrackingPerformance } from '@hypertrack/metrics';

/**
 * The files of a run directory that the report reads. Every one is optional, but a report needs at
 * least one. JSON has no typed arrays, NaN or Infinity: writers store typed arrays as plain arrays
 * and non-finite numbers as null (`toRunJson` does both), which is what `Jsonified<T>` describes.
 */
export const RUN_FILES = {
  /** `RunInfoFile`: free-form run metadata shown at the top of the report. */
  info: 'run.json',
  /** `RunResultsFile`: the paper's results row (metrics `summarizeResults`). */
  results: 'results.json',
  /** The results row as printed, then as a LaTeX table row. */
  resultsText: 'results.log',
  /** One line per reconstructed event: its results-table row (pipeline `EventResultRow`). */
  inferEvents: 'infer/events.jsonl',
  /** One line per event of `infer --pre-only`: the graph constructor's figures. */
  graphEvents: 'vd/events.jsonl',
  /** One `RunScoreEvent` per line. */
  events: 'score/events.jsonl',
  /** `RunEfficiencyFile` (metrics `observableEfficiency`). */
  efficiency: 'score/efficiency.json',
  /** `RunHitMixingFile` (metrics `hitMixing`). */
  hitMixing: 'score/hit-mixing.json',
  /** `RunTrackingFile` (metrics `trackingPerformance`): target-particle and per-region efficiency, fake and duplicate rates. */
  tracking: 'score/tracking.json',
  /** Folder of `RunRocFile`s, one curve per `*.json`, plotted together in file-name order. */
  roc: 'roc',
  /** One `RunMetricsRecord` per line: the training log. */
  metrics: 'metrics.jsonl',
  /** `RunEventDisplayFile`: one event's hits, thinned, for the report's event display (infer, score). */
  eventDisplay: 'event-display.json',
  /** Voxel-Dynamics figures (`pretrain-voxdyn --plots --out <run folder>`): `<model>-voronoi-xy.svg`, `-cmatrix.svg`, ...; also read from `figs/` beside the VD model that `run.json`'s `vdModel` names. */
  voxdynFigures: 'figs',
  /** The resolved configuration of a training run. */
  config: 'config.json',
} as const;

/** What a value becomes in JSON: typed arrays become arrays, and any number may be null (NaN, ±Infinity). */
export type Jsonified<T> = T extends number
  ? number | null
  : T extends ArrayLike<number> & { readonly buffer: ArrayBufferLike }
    ? (number | null)[]
    : T extends readonly (infer U)[]
      ? Jsonified<U>[]
      : T extends object
        ? { -readonly [K in keyof T]: Jsonified<T[K]> }
        : T;

export type RunResultsFile = Jsonified<ResultsSummary>;
export type RunEfficiencyFile = Jsonified<EfficiencyReport>;
export type RunHitMixingFile = Jsonified<HitMixing>;
export type RunTrackingFile = Jsonified<TrackingPerformance>;

/**
 * One line of `infer/events.jsonl`: an event's results-table row (rates as fractions, `time*` in
 * ms, null where undefined) with its sizes.
 */
export type RunInferEvent = Jsonified<EventResults> & { eventId: number; hits: number; edges: number; clusters: number };

/** One line of `vd/events.jsonl` (`infer --pre-only`): the graph constructor's figures, times in ms. */
export interface RunGraphEvent {
  eventId: number;
  hits: number;
  edges: number;
  edgesPerHit: number | null;
  tpr: number | null;
  fpr: number | null;
  purity: number | null;
  assignMs: number | null;
  edgesMs: number | null;
}

/** `roc/<name>.json`. Write a thinned curve (`rocCurve(..., { maxPoints: 2000 })`): the exact one can hold millions of points. */
export interface RunRocFile {
  /** Legend name, e.g. "VD" or "GNN". */
  name: string;
  /** `thresholds[0]` (+Infinity) is stored as null. */
  curve: Jsonified<RocCurve>;
}

/** One line of `score/events.jsonl`: one event's scores (null where undefined, e.g. no true tracks). */
export interface RunScoreEvent {
  eventId: number;
  /** Hits and reconstructed tracks of the event. */
  hits: number;
  tracks: number;
  trackmlScore: number | null;
  dms: number | null;
  efficiency: number | null;
  purity: number | null;
}

/**
 * One line of `metrics.jsonl`, e.g. `{"iteration":1,"loss":0.7,"lr":0.001,"phase":"train"}`. The
 * measurements among the other numeric keys are plotted against `iteration` (see `trainingGroup`):
 * losses, the learning rate, times (`*_ms`) and metrics (AUC, DMS, efficiency, purity, gradient
 * norm, ...); counters and ids (hits, edges, event, tensors, ...) are not. A string `phase` (train,
 * validate, ...) splits each key into one line per phase; other strings, booleans and nulls are
 * ignored.
 */
export interface RunMetricsRecord {
  iteration: number;
  phase?: string;
  [key: string]: number | string | boolean | null | undefined;
}

/** `run.json`: shown as the report's metadata table, in key order (e.g. tag, command, seed, git commit). */
export type RunInfoFile = Record<string, string | number | boolean | null>;

/** JSON with typed arrays as plain arrays and non-finite numbers as null, as the run files store them. */
export function toRunJson(value: unknown, indent = 1): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    indent,
  );
}

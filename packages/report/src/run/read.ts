import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { InputError } from '@hypertrack/core';
import type { EfficiencyReport, HitMixing, ResultsSummary, TrackingPerformance } from '@hypertrack/metrics';
import { parseMetricsLog } from '../jsonl/metrics-log';
import { parseJsonLines, type JsonValue } from '../jsonl/parse';
import type { RocSeries } from '../plots/roc';
import type { RunEventDisplayFile } from '../display/event-display';
import { decodeEfficiency, decodeEventDisplay, decodeGraphEvent, decodeHitMixing, decodeInferEvent, decodeInfo, decodeResults, decodeRocFile, decodeScoreEvent, decodeTracking } from './decode';
import { RUN_FILES, type RunGraphEvent, type RunInferEvent, type RunInfoFile, type RunMetricsRecord, type RunScoreEvent } from './files';

/** The contents of a run directory, each part present only when its file is. */
export interface RunData {
  /** The directory as given. */
  readonly dir: string;
  /** Files read, relative to `dir`, in the order of `RUN_FILES`. */
  readonly files: readonly string[];
  readonly info?: RunInfoFile;
  readonly results?: ResultsSummary;
  readonly events?: readonly RunScoreEvent[];
  /** `infer/events.jsonl`: each reconstructed event's results row, with the time of each stage (ms). */
  readonly inferEvents?: readonly RunInferEvent[];
  /** `vd/events.jsonl`: the graph constructor's figures per event (`infer --pre-only`). */
  readonly graphEvents?: readonly RunGraphEvent[];
  readonly efficiency?: EfficiencyReport;
  readonly hitMixing?: HitMixing;
  readonly tracking?: TrackingPerformance;
  readonly roc?: readonly RocSeries[];
  readonly training?: readonly RunMetricsRecord[];
  /** `event-display.json`: one event's thinned hits. */
  readonly eventDisplay?: RunEventDisplayFile;
  /** Voxel-Dynamics figures (SVG) of the run's `figs/` folder, or beside the VD model its `run.json` names. */
  readonly voxdynFigures?: readonly VoxdynFigure[];
}

/** A figure `voxdynPlots` drew, as `pretrain-voxdyn --plots` wrote it. */
export interface VoxdynFigure {
  /** The file read. */
  readonly path: string;
  /** The model's file stem, e.g. `vdm-hyper-ncell-4096`. */
  readonly model: string;
  /** `voronoi-xy`, `voronoi-zy`, `voronoi-zx`, `cmatrix` or `cmatrix-degree`. */
  readonly kind: string;
  readonly svg: string;
}

const VOXDYN_KINDS = ['voronoi-xy', 'voronoi-zy', 'voronoi-zx', 'cmatrix', 'cmatrix-degree'];

/** The voxdyn figures in `folder` (of models starting with `stem`, when given), by model, then in `VOXDYN_KINDS` order. */
async function voxdynFiguresIn(folder: string, stem?: string): Promise<VoxdynFigure[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => n.endsWith('.svg')).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new InputError({ file: folder }, `cannot read: ${reason(error)}`);
  }
  const out: VoxdynFigure[] = [];
  for (const name of names) {
    const kind = VOXDYN_KINDS.slice().reverse().find((k) => name.endsWith(`-${k}.svg`));
    if (kind === undefined) continue;
    const model = name.slice(0, -`-${kind}.svg`.length);
    if (stem !== undefined && model !== stem) continue;
    const path = join(folder, name);
    const svg = await readFile(path, 'utf8');
    if (!svg.includes('<svg')) throw new InputError({ file: path }, 'is not an SVG figure');
    out.push({ path, model, kind, svg });
  }
  return out.sort((a, b) => a.model.localeCompare(b.model) || VOXDYN_KINDS.indexOf(a.kind) - VOXDYN_KINDS.indexOf(b.kind));
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder, expected a file';
  if (code === 'ENOTDIR') return 'is not a folder';
  return code ?? (error as Error).message;
}

/** A file's text, or undefined when it does not exist. */
async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError({ file: path }, `cannot read: ${reason(error)}`);
  }
}

function parseJson(text: string, file: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new InputError({ file }, text.trim() === '' ? 'is empty, expected JSON' : 'not valid JSON');
  }
}

async function rocFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new InputError({ file: dir }, `cannot read: ${reason(error)}`);
  }
}

/** The data files; a report needs at least one of them (`run.json` alone describes nothing). */
const DATA_FILES = [
  RUN_FILES.results,
  RUN_FILES.inferEvents,
  RUN_FILES.graphEvents,
  RUN_FILES.events,
  RUN_FILES.efficiency,
  RUN_FILES.hitMixing,
  RUN_FILES.tracking,
  `${RUN_FILES.roc}/*.json`,
  RUN_FILES.metrics,
  RUN_FILES.eventDisplay,
  `${RUN_FILES.voxdynFigures}/<model>-voronoi-xy.svg, -cmatrix.svg, ... (Voxel-Dynamics figures)`,
];

/**
 * Reads the known files of a run directory (`RUN_FILES`). Missing files are skipped; a malformed
 * one, an unreadable or missing directory, or a directory with none of the data files is an
 * `InputError` naming the path.
 */
export async function readRunDirectory(dir: string): Promise<RunData> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new InputError({ file: dir }, 'is not a folder (expected a run directory)');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ file: dir }, `cannot read the run directory: ${reason(error)}`);
  }
  const files: string[] = [];
  const text = async (relative: string) => {
    const content = await readOptional(join(dir, relative));
    if (content !== undefined) files.push(relative);
    return content;
  };
  const json = async <T>(relative: string, decode: (value: JsonValue, file: string) => T): Promise<T | undefined> => {
    const content = await text(relative);
    const path = join(dir, relative);
    return content === undefined ? undefined : decode(parseJson(content, path), path);
  };

  const info = await json(RUN_FILES.info, decodeInfo);
  const results = await json(RUN_FILES.results, decodeResults);
  const jsonLines = async <T>(relative: string, decode: (value: JsonValue, file: string, line: number) => T): Promise<T[] | undefined> => {
    const content = await text(relative);
    const path = join(dir, relative);
    return content === undefined ? undefined : parseJsonLines(content, path).map(({ line, value }) => decode(value, path, line));
  };
  const inferEvents = await jsonLines(RUN_FILES.inferEvents, decodeInferEvent);
  const graphEvents = await jsonLines(RUN_FILES.graphEvents, decodeGraphEvent);
  const events = await jsonLines(RUN_FILES.events, decodeScoreEvent);
  const efficiency = await json(RUN_FILES.efficiency, decodeEfficiency);
  const hitMixing = await json(RUN_FILES.hitMixing, decodeHitMixing);
  const tracking = await json(RUN_FILES.tracking, decodeTracking);
  const roc: RocSeries[] = [];
  for (const name of await rocFiles(join(dir, RUN_FILES.roc))) {
    const series = await json(`${RUN_FILES.roc}/${name}`, decodeRocFile);
    if (series) roc.push(series);
  }
  const metricsText = await text(RUN_FILES.metrics);
  const training = metricsText === undefined ? undefined : parseMetricsLog(metricsText, join(dir, RUN_FILES.metrics));

  const eventDisplay = await json(RUN_FILES.eventDisplay, decodeEventDisplay);
  // pretrain-voxdyn's figures in this folder, else those beside the VD model an infer run used.
  let voxdynFigures = await voxdynFiguresIn(join(dir, RUN_FILES.voxdynFigures));
  const vdModel = info?.vdModel;
  if (voxdynFigures.length === 0 && typeof vdModel === 'string') {
    for (const model of [vdModel, join(dir, vdModel)]) {
      voxdynFigures = await voxdynFiguresIn(join(dirname(model), RUN_FILES.voxdynFigures), basename(model).replace(/\.vdm$/, ''));
      if (voxdynFigures.length > 0) break;
    }
  }
  for (const figure of voxdynFigures) files.push(relative(dir, figure.path));

  if (files.every((f) => f === RUN_FILES.info)) {
    throw new InputError({ file: dir }, `holds none of the report's input files: ${DATA_FILES.join(', ')}`);
  }
  return {
    dir,
    files,
    ...(info && { info }),
    ...(results && { results }),
    ...(events && { events }),
    ...(inferEvents && { inferEvents }),
    ...(graphEvents && { graphEvents }),
    ...(efficiency && { efficiency }),
    ...(hitMixing && { hitMixing }),
    ...(tracking && { tracking }),
    ...(roc.length > 0 && { roc }),
    ...(training && { training }),
    ...(eventDisplay && { eventDisplay }),
    ...(voxdynFigures.length > 0 && { voxdynFigures }),
  };
}

import type { TopLevelSpec } from 'vega-lite';
import type { RunMetricsRecord } from '../run/files';
import { renderSpec } from '../vega/render';
import { HEIGHT, PALETTE, WIDTH } from '../vega/theme';
import type { NamedPlot } from './named';
import { bucketMeans } from './sampling';

export interface TrainingPlotOptions {
  /** Points per line before averaging consecutive points (default 1500). */
  readonly maxPoints?: number;
}

/** Which plot a key of the training log belongs to; null: not a measurement (a counter, an id, a flag). */
export type TrainingGroup = 'loss' | 'lr' | 'timing' | 'metric';

/** Keys that are bookkeeping, never a curve (the x axis, clocks). */
const NOT_CURVES = new Set(['iteration', 'epoch', 'step', 'time', 'timestamp', 'wall_time', 'walltime', 'seconds']);

/** Words of the keys that are measurements of quality: AUC, DMS, efficiency, purity, rates, the gradient norm. */
const METRIC_WORDS = /(^|_)(auc|dms|majority_score|efficiency|eff|purity|pur|tpr|fpr|accuracy|precision|recall|score|grad_norm|f1)($|_)/;

/**
 * The plot of a numeric key of metrics.jsonl: losses, the learning rate, times in ms (`*_ms`) and
 * metrics (AUC, DMS, efficiency, purity, TPR/FPR, gradient norm, ...). Anything else is a counter,
 * an id or a flag (hits, edges, event, val_event, tensors, tensor_mb, skipped, clusters, ...) and
 * gets no curve (null).
 */
export function trainingGroup(key: string): TrainingGroup | null {
  const k = key.toLowerCase();
  if (NOT_CURVES.has(k)) return null;
  if (k.includes('loss')) return 'loss';
  if (k === 'lr' || k.startsWith('lr_') || k.endsWith('_lr') || k.includes('learning_rate') || k.includes('learningrate')) return 'lr';
  if (k.endsWith('_ms')) return 'timing';
  if (METRIC_WORDS.test(k)) return 'metric';
  return null;
}

interface Point {
  series: string;
  key: string;
  iteration: number;
  value: number;
}

/** The numeric keys of a training log that are not plotted (counters, ids, flags), in order of appearance. */
export function unplottedKeys(records: readonly RunMetricsRecord[]): string[] {
  const out = new Set<string>();
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) if (key !== 'iteration' && typeof value === 'number' && trainingGroup(key) === null) out.add(key);
  }
  return [...out];
}

/** One line per (key, phase), thinned to `maxPoints` by averaging, in order of first appearance. */
export function trainingSeries(records: readonly RunMetricsRecord[], maxPoints = 1500): Map<TrainingGroup, Point[]> {
  const lines = new Map<string, { key: string; x: number[]; y: number[] }>();
  for (const record of records) {
    const phase = typeof record.phase === 'string' ? record.phase : undefined;
    for (const [key, value] of Object.entries(record)) {
      if (trainingGroup(key) === null || typeof value !== 'number' || !Number.isFinite(value)) continue;
      const series = phase === undefined ? key : `${key} (${phase})`;
      let line = lines.get(series);
      if (!line) lines.set(series, (line = { key, x: [], y: [] }));
      line.x.push(record.iteration);
      line.y.push(value);
    }
  }
  const groups = new Map<TrainingGroup, Point[]>();
  for (const [series, line] of lines) {
    const group = trainingGroup(line.key) as TrainingGroup;
    const { x, y } = bucketMeans(line.x, line.y, maxPoints);
    const points = groups.get(group) ?? [];
    for (let i = 0; i < x.length; i++) points.push({ series, key: line.key, iteration: x[i], value: y[i] });
    groups.set(group, points);
  }
  return groups;
}

function lineSpec(points: readonly Point[], title: string, yTitle: string, log: boolean, subtitle: string): TopLevelSpec {
  const series = [...new Set(points.map((p) => p.series))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: HEIGHT,
    title: { text: title, subtitle },
    data: { values: points },
    mark: { type: 'line', strokeWidth: 1.5, clip: true },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: log ? { type: 'log' } : { zero: false } },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: series, range: series.map((_, i) => PALETTE[i % PALETTE.length]) },
        legend: { orient: 'top-right', fillColor: 'white', padding: 4, strokeColor: '#cccccc' },
      },
    },
  } as TopLevelSpec;
}

function metricSpec(points: readonly Point[], unplotted: readonly string[]): TopLevelSpec {
  const keys = [...new Set(points.map((p) => p.key))];
  const series = [...new Set(points.map((p) => p.series))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Training metrics',
      subtitle: [
        'AUC, DMS, efficiency, purity, gradient norm ... of metrics.jsonl, one panel per key',
        ...(unplotted.length > 0 ? [`not plotted (counters, ids, flags): ${unplotted.join(', ')}`] : []),
      ],
    },
    data: { values: points },
    facet: { field: 'key', type: 'nominal', title: null, sort: keys, header: { labelFontWeight: 'normal', labelFontSize: 12 } },
    // Each panel draws its own x axis: a shared one would also stand under the empty place of an odd last row.
    columns: Math.min(2, keys.length),
    resolve: { scale: { y: 'independent' }, axis: { x: 'independent' } },
    spec: {
      width: 250,
      height: 150,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'iteration', type: 'quantitative', title: 'iteration' },
        y: { field: 'value', type: 'quantitative', title: 'value', scale: { zero: false } },
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: series, range: series.map((_, i) => PALETTE[i % PALETTE.length]) } },
      },
    },
  } as TopLevelSpec;
}

const allPositive = (points: readonly Point[]) => points.every((p) => p.value > 0);

export function trainingSpecs(records: readonly RunMetricsRecord[], options: TrainingPlotOptions = {}): { name: string; title: string; spec: TopLevelSpec }[] {
  const groups = trainingSeries(records, options.maxPoints ?? 1500);
  const out: { name: string; title: string; spec: TopLevelSpec }[] = [];
  const averaged = records.length > (options.maxPoints ?? 1500) ? '; long runs are shown as means of consecutive iterations' : '';
  const loss = groups.get('loss');
  if (loss) {
    const log = allPositive(loss);
    out.push({ name: 'training-loss', title: 'Training loss', spec: lineSpec(loss, 'Loss', log ? 'loss (log scale)' : 'loss', log, `${log ? 'log' : 'linear (some values ≤ 0)'} y-axis${averaged}`) });
  }
  const lr = groups.get('lr');
  if (lr) {
    const log = allPositive(lr);
    out.push({ name: 'training-lr', title: 'Learning rate', spec: lineSpec(lr, 'Learning rate', log ? 'learning rate (log scale)' : 'learning rate', log, `${log ? 'log' : 'linear'} y-axis${averaged}`) });
  }
  const timing = groups.get('timing');
  if (timing) out.push({ name: 'training-timing', title: 'Time per training step (ms)', spec: lineSpec(timing, 'Time per step', 'time (ms)', false, `*_ms keys of metrics.jsonl, in milliseconds${averaged}`) });
  const metric = groups.get('metric');
  if (metric) out.push({ name: 'training-metrics', title: 'Training metrics', spec: metricSpec(metric, unplottedKeys(records)) });
  return out;
}

/** Loss (log y), learning rate, step times (ms) and metrics against iteration; only the plots with data. */
export async function trainingPlots(records: readonly RunMetricsRecord[], options: TrainingPlotOptions = {}): Promise<NamedPlot[]> {
  const out: NamedPlot[] = [];
  for (const { name, title, spec } of trainingSpecs(records, options)) out.push({ name, title, svg: (await renderSpec(spec)).svg });
  return out;
}

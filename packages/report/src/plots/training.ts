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

/** Which plot a key of the training log belongs to. */
export type TrainingGroup = 'loss' | 'lr' | 'metric';

/** Keys that are bookkeeping, never a curve. */
const NOT_CURVES = new Set(['iteration', 'epoch', 'step', 'time', 'timestamp', 'wall_time', 'walltime', 'seconds', 'eventId', 'event']);

export function trainingGroup(key: string): TrainingGroup {
  const k = key.toLowerCase();
  if (k.includes('loss')) return 'loss';
  if (k === 'lr' || k.startsWith('lr_') || k.endsWith('_lr') || k.includes('learning_rate') || k.includes('learningrate')) return 'lr';
  return 'metric';
}

interface Point {
  series: string;
  key: string;
  iteration: number;
  value: number;
}

/** One line per (key, phase), thinned to `maxPoints` by averaging, in order of first appearance. */
export function trainingSeries(records: readonly RunMetricsRecord[], maxPoints = 1500): Map<TrainingGroup, Point[]> {
  const lines = new Map<string, { key: string; x: number[]; y: number[] }>();
  for (const record of records) {
    const phase = typeof record.phase === 'string' ? record.phase : undefined;
    for (const [key, value] of Object.entries(record)) {
      if (NOT_CURVES.has(key) || typeof value !== 'number' || !Number.isFinite(value)) continue;
      const series = phase === undefined ? key : `${key} (${phase})`;
      let line = lines.get(series);
      if (!line) lines.set(series, (line = { key, x: [], y: [] }));
      line.x.push(record.iteration);
      line.y.push(value);
    }
  }
  const groups = new Map<TrainingGroup, Point[]>();
  for (const [series, line] of lines) {
    const group = trainingGroup(line.key);
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

function metricSpec(points: readonly Point[]): TopLevelSpec {
  const keys = [...new Set(points.map((p) => p.key))];
  const series = [...new Set(points.map((p) => p.series))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Training metrics', subtitle: 'every other numeric key of metrics.jsonl, one panel per key' },
    data: { values: points },
    facet: { field: 'key', type: 'nominal', title: null, sort: keys, header: { labelFontWeight: 'normal', labelFontSize: 12 } },
    columns: 2,
    resolve: { scale: { y: 'independent' } },
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
  const metric = groups.get('metric');
  if (metric) out.push({ name: 'training-metrics', title: 'Training metrics', spec: metricSpec(metric) });
  return out;
}

/** Loss (log y), learning rate and other logged metrics against iteration; only the plots with data. */
export async function trainingPlots(records: readonly RunMetricsRecord[], options: TrainingPlotOptions = {}): Promise<NamedPlot[]> {
  const out: NamedPlot[] = [];
  for (const { name, title, spec } of trainingSpecs(records, options)) out.push({ name, title, svg: (await renderSpec(spec)).svg });
  return out;
}

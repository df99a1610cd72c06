import type { RocCurve } from '@hypertrack/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { renderSpec, type Plot } from '../vega/render';
import { COLOURS, HEIGHT, PALETTE, WIDTH } from '../vega/theme';
import { formatSignificant } from './format';
import { thinPolyline } from './sampling';

/** One named curve, e.g. the Voxel-Dynamics graph or the GNN edge scores. */
export interface RocSeries {
  readonly name: string;
  readonly curve: Pick<RocCurve, 'thresholds' | 'tpr' | 'fpr' | 'auc'>;
}

export interface RocPlotOptions {
  /** FPR axis: 'linear' (default) or 'log', where points with FPR = 0 cannot be drawn. */
  readonly scale?: 'linear' | 'log';
  /** Mark the score threshold where each curve first reaches these TPRs (default 0.5, 0.8, 0.9, 0.95). */
  readonly thresholdTprs?: readonly number[];
  readonly title?: string;
  /** Drawing tolerance as a fraction of each axis (default 0.001): long curves are thinned to it. */
  readonly tolerance?: number;
}

const DEFAULT_TPRS = [0.5, 0.8, 0.9, 0.95];

interface CurvePoint {
  series: string;
  order: number;
  fpr: number;
  tpr: number;
}

interface Annotation {
  series: string;
  fpr: number;
  tpr: number;
  label: string;
}

/** The legend label: name and AUC to 4 decimals. */
export function rocLabel(series: RocSeries): string {
  const auc = series.curve.auc;
  return `${series.name}  (AUC ${Number.isFinite(auc) ? auc.toFixed(4) : 'n/a'})`;
}

function curvePoints(series: RocSeries, label: string, log: boolean, tolerance: number): CurvePoint[] {
  const { fpr, tpr } = series.curve;
  const rows: number[] = [];
  for (let k = 0; k < fpr.length; k++) if (Number.isFinite(fpr[k]) && Number.isFinite(tpr[k]) && (!log || fpr[k] > 0)) rows.push(k);
  const x = rows.map((k) => (log ? Math.log10(fpr[k]) : fpr[k]));
  const y = rows.map((k) => tpr[k]);
  return thinPolyline(x, y, tolerance).map((i, order) => ({ series: label, order, fpr: fpr[rows[i]], tpr: tpr[rows[i]] }));
}

/** Where each curve first reaches each TPR level, labelled with the score threshold there. */
function annotations(series: RocSeries, label: string, levels: readonly number[], log: boolean): Annotation[] {
  const { fpr, tpr, thresholds } = series.curve;
  const points = new Set<number>();
  for (const level of levels) {
    let k = 0;
    while (k < tpr.length && !(tpr[k] >= level)) k++;
    // Two levels reached at one point (a step in the curve) share one mark.
    if (k < tpr.length && Number.isFinite(thresholds[k]) && (!log || fpr[k] > 0)) points.add(k);
  }
  return [...points].map((k) => ({ series: label, fpr: fpr[k], tpr: tpr[k], label: formatSignificant(thresholds[k]) }));
}

function diagonal(log: boolean, minFpr: number): { fpr: number; tpr: number }[] {
  if (!log) return [
    { fpr: 0, tpr: 0 },
    { fpr: 1, tpr: 1 },
  ];
  const lo = Math.log10(minFpr);
  return Array.from({ length: 41 }, (_, i) => {
    const v = 10 ** (lo + (-lo * i) / 40);
    return { fpr: v, tpr: v };
  });
}

/** 10^k from `from` up to 1. */
function decades(from: number): number[] {
  const out: number[] = [];
  for (let k = Math.round(Math.log10(from)); k <= 0; k++) out.push(10 ** k);
  return out;
}

export function rocSpec(series: readonly RocSeries[], options: RocPlotOptions = {}): TopLevelSpec {
  const log = options.scale === 'log';
  const tolerance = options.tolerance ?? 0.001;
  const labels = series.map(rocLabel);
  const points = series.flatMap((s, i) => curvePoints(s, labels[i], log, tolerance));
  const marks = series.flatMap((s, i) => annotations(s, labels[i], options.thresholdTprs ?? DEFAULT_TPRS, log));
  let minFpr = 1;
  for (const p of points) if (p.fpr > 0 && p.fpr < minFpr) minFpr = p.fpr;
  // Whole decades, so that the log axis starts at a labelled tick.
  const xMin = log ? 10 ** Math.floor(Math.log10(minFpr) - 1e-9) : 0;
  const x = {
    field: 'fpr',
    type: 'quantitative' as const,
    title: log ? 'false positive rate (FPR), log scale' : 'false positive rate (FPR)',
    scale: log ? { type: 'log' as const, domain: [xMin, 1] } : { domain: [0, 1] },
    axis: log ? { format: '~g', values: decades(xMin) } : { labelFlush: false },
  };
  const y = { field: 'tpr', type: 'quantitative' as const, title: 'true positive rate (TPR)', scale: { domain: [0, 1] } };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: labels, range: labels.map((_, i) => PALETTE[i % PALETTE.length]) },
    legend: { orient: 'bottom-right' as const, fillColor: 'white', padding: 6, strokeColor: '#cccccc' },
  };
  const levels = (options.thresholdTprs ?? DEFAULT_TPRS).map((v) => formatSignificant(v)).join(', ');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: HEIGHT,
    title: {
      text: options.title ?? (log ? 'Edge ROC (log FPR)' : 'Edge ROC'),
      subtitle: `open circles: score threshold where TPR first reaches ${levels}; dashed: random classifier`,
    },
    layer: [
      {
        data: { values: diagonal(log, xMin) },
        mark: { type: 'line', strokeDash: [4, 4], color: COLOURS.reference, strokeWidth: 1 },
        encoding: { x, y },
      },
      {
        data: { values: points },
        mark: { type: 'line', strokeWidth: 2, clip: true },
        encoding: { x, y, color, order: { field: 'order', type: 'quantitative' } },
      },
      ...series.map((_, i) => {
        // Every curve is marked at the same TPR levels, so labels go above-right for even series and
        // below-right for odd ones: labels of two curves then never share a line.
        const text = { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, fontSize: 10, dx: 5, dy: i % 2 === 0 ? -9 : 9 };
        // A fixed colour rather than the colour encoding: a second legend-less use of the series
        // scale makes vega-lite warn about conflicting legends.
        const colour = PALETTE[i % PALETTE.length];
        const encoding = { x, y, text: { field: 'label', type: 'nominal' as const } };
        return {
          data: { values: marks.filter((m) => m.series === labels[i]) },
          layer: [
            { mark: { type: 'point', filled: false, size: 40, strokeWidth: 1.5, color: colour }, encoding: { x, y } },
            { mark: { ...text, stroke: 'white', strokeWidth: 3, strokeOpacity: 0.9 }, encoding },
            { mark: { ...text, color: colour }, encoding },
          ],
        };
      }),
    ],
  } as TopLevelSpec;
}

/** ROC curves of several edge classifiers on one plot, with AUCs and threshold annotations. */
export async function rocPlot(series: readonly RocSeries[], options: RocPlotOptions = {}): Promise<Plot> {
  const { svg } = await renderSpec(rocSpec(series, options));
  return { svg };
}

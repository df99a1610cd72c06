import type { EfficiencyCategory, EfficiencyReport, ObservableEfficiency } from '@hypertrack/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { renderSpec, type Plot } from '../vega/render';
import { COLOURS, WIDTH } from '../vega/theme';
import { formatSignificant } from './format';
import type { NamedPlot } from './named';

/** Axis titles with units for the metrics package's observable keys; its own label otherwise. */
const AXIS_TITLES: Record<string, string> = {
  r0mod: 'production vertex |v| (mm)',
  r0xy_1: 'production vertex r_xy (mm)',
  r0xy_2: 'production vertex r_xy (mm)',
  r0xy_3: 'production vertex r_xy (mm)',
  r0xy_4: 'production vertex r_xy (mm)',
  r0z: 'production vertex |v_z| (mm)',
  p3mod: 'momentum |p| (GeV)',
  pt_low: 'transverse momentum pT (GeV)',
  pt_high_log: 'transverse momentum pT (GeV), log scale',
  eta: 'pseudorapidity η',
  phi: 'azimuth φ (rad)',
  nhits: 'hits per true track',
};

export const CATEGORY_TITLES: Record<EfficiencyCategory, string> = {
  inclusive: 'all tracks',
  r0_xy_less_10mm: 'tracks with r0_xy ≤ 10 mm',
  r0_xy_more_10mm: 'tracks with r0_xy > 10 mm',
};

export interface EfficiencyPlotOptions {
  /** Hits a true track needs to count (the report's `hitsMin`, default 4); used in the legend. */
  readonly hitsMin?: number;
  /** Shown in the subtitle (default 'inclusive'). */
  readonly category?: EfficiencyCategory;
  readonly title?: string;
}

interface BinRow {
  lo: number;
  hi: number;
  center: number;
  count: number;
  series: string;
}

export interface EfficiencyRow {
  lo: number;
  hi: number;
  center: number;
  efficiency: number;
  low: number;
  high: number;
  matched: number;
  tracks: number;
}

export function axisTitle(observable: Pick<ObservableEfficiency, 'key' | 'label'>): string {
  return AXIS_TITLES[observable.key] ?? observable.label;
}

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** Tick values 1, 2, 5 x 10^k inside [lo, hi]: a log axis's own ticks crowd into each other. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** k).toPrecision(1));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** The bins with tracks, each with its efficiency and binomial error bar cut to [0, 1]. */
export function efficiencyRows(observable: ObservableEfficiency): EfficiencyRow[] {
  const { edges, denominator, numerator, efficiency, error, logX } = observable;
  const rows: EfficiencyRow[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    if (!(denominator[b] > 0) || !Number.isFinite(efficiency[b])) continue;
    const lo = edges[b];
    const hi = edges[b + 1];
    const e = efficiency[b];
    const err = Number.isFinite(error[b]) ? error[b] : 0;
    rows.push({ lo, hi, center: logX ? Math.sqrt(lo * hi) : (lo + hi) / 2, efficiency: e, low: Math.max(0, e - err), high: Math.min(1, e + err), matched: numerator[b], tracks: denominator[b] });
  }
  return rows;
}

export function efficiencySpec(observable: ObservableEfficiency, options: EfficiencyPlotOptions = {}): TopLevelSpec {
  const { edges, denominator, numerator, logX } = observable;
  const truthLabel = `true tracks (≥ ${options.hitsMin ?? 4} hits)`;
  const matchedLabel = 'matched (double majority)';
  const counts: BinRow[] = [];
  for (let b = 0; b + 1 < edges.length; b++) {
    const lo = edges[b];
    const hi = edges[b + 1];
    const center = logX ? Math.sqrt(lo * hi) : (lo + hi) / 2;
    if (denominator[b] > 0) counts.push({ lo, hi, center, count: denominator[b], series: truthLabel });
    if (numerator[b] > 0) counts.push({ lo, hi, center, count: numerator[b], series: matchedLabel });
  }
  const ratio = efficiencyRows(observable);
  const domain = [edges[0], edges[edges.length - 1]];
  const scale = logX ? { type: 'log' as const, domain } : { domain, nice: false, zero: false };
  const xTitle = axisTitle(observable);
  const x = (field: string) => ({ field, type: 'quantitative' as const, scale, title: xTitle, axis: logX ? { format: '~g', values: logTicks(domain[0], domain[1]) } : { labelFlush: false } });
  // One y definition for every layer of the ratio panel: vega-lite merges their axes.
  const y = (field: string) => ({
    field,
    type: 'quantitative' as const,
    title: 'efficiency',
    scale: { domain: [0, 1.1], nice: false },
    axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
  });
  const totalTracks = sum(denominator);
  const totalMatched = sum(numerator);
  const overall = totalTracks > 0 ? (totalMatched / totalTracks).toFixed(4) : 'n/a';
  const category = CATEGORY_TITLES[options.category ?? 'inclusive'];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? `Efficiency vs ${xTitle.replace(/, log scale$/, '')}`,
      subtitle:
        totalTracks > 0
          ? `${category}: ${totalMatched} of ${totalTracks} matched (${overall}); ${observable.outside} outside the axis range`
          : `${category}: no true track in this range (${observable.outside} outside it)`,
    },
    spacing: 6,
    resolve: { scale: { x: 'shared' } },
    vconcat: [
      {
        width: WIDTH,
        height: 190,
        data: { values: counts },
        mark: { type: 'bar', clip: true },
        encoding: {
          x: { ...x('lo'), axis: { ...x('lo').axis, labels: false, title: null, ticks: false } },
          x2: { field: 'hi' },
          // An empty histogram still gets a sensible axis (vega would label a zero-width domain 0.000000).
          y: { field: 'count', type: 'quantitative', stack: null, title: 'tracks per bin', scale: counts.length > 0 ? {} : { domain: [0, 1] }, axis: { tickMinStep: 1 } },
          y2: { datum: 0 },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: [truthLabel, matchedLabel], range: [COLOURS.truth, COLOURS.matched] },
            legend: { orient: 'top', direction: 'horizontal', offset: 6 },
          },
          order: { field: 'series', sort: 'descending' },
        },
      },
      {
        width: WIDTH,
        height: 140,
        layer: [
          {
            data: { values: [{ y: 1 }] },
            mark: { type: 'rule', strokeDash: [4, 4], color: COLOURS.reference },
            encoding: { y: y('y') },
          },
          {
            data: { values: ratio },
            layer: [
              { mark: { type: 'rule', color: COLOURS.efficiency, clip: true }, encoding: { x: x('center'), y: y('low'), y2: { field: 'high' } } },
              { mark: { type: 'rule', color: COLOURS.efficiency, clip: true }, encoding: { x: x('lo'), x2: { field: 'hi' }, y: y('efficiency') } },
              {
                mark: { type: 'point', filled: true, size: 18, color: COLOURS.efficiency, clip: true },
                encoding: { x: x('center'), y: y('efficiency') },
              },
            ],
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

/** Counts of true and matched tracks per bin over a ratio panel of the efficiency with binomial errors. */
export async function efficiencyPlot(observable: ObservableEfficiency, options: EfficiencyPlotOptions = {}): Promise<Plot> {
  const { svg } = await renderSpec(efficiencySpec(observable, options));
  return { svg };
}

/** Every observable of every category of a report, named `efficiency-<category>-<key>`. */
export async function efficiencyPlots(report: EfficiencyReport, categories: readonly EfficiencyCategory[] = ['inclusive', 'r0_xy_less_10mm', 'r0_xy_more_10mm']): Promise<NamedPlot[]> {
  const out: NamedPlot[] = [];
  for (const category of categories) {
    for (const observable of report.categories[category] ?? []) {
      const { svg } = await efficiencyPlot(observable, { hitsMin: report.hitsMin, category });
      const range = `${formatSignificant(observable.edges[0])} to ${formatSignificant(observable.edges[observable.edges.length - 1])}`;
      out.push({ name: `efficiency-${category}-${observable.key}`, title: `${CATEGORY_TITLES[category]}: efficiency vs ${axisTitle(observable)}, ${range}`, svg });
    }
  }
  return out;
}

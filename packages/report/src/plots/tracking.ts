import type { Fraction, TrackingPerformance } from '@hypertrack/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { renderSpec, type Plot } from '../vega/render';
import { COLOURS } from '../vega/theme';
import { formatSignificant } from './format';

export interface TrackingRegionPlotOptions {
  readonly title?: string;
}

interface RegionRow {
  region: string;
  selection: string;
  efficiency: number;
  low: number;
  high: number;
  /** "112 / 160": the counts behind the bar. */
  label: string;
  /** Where the label sits: above the error bar, or at 0 when there is no bar. */
  labelY: number;
}

/** Names of the two particle selections, as the legend and the report's tables write them. */
export function selectionLabels(t: Pick<TrackingPerformance, 'hitsMin' | 'ptMin'>): { reconstructable: string; highPt: string } {
  return { reconstructable: `reconstructable (≥ ${t.hitsMin} hits)`, highPt: `reconstructable, pT > ${formatSignificant(t.ptMin)} GeV` };
}

function row(region: string, selection: string, f: Fraction): RegionRow {
  const has = f.denominator > 0;
  const e = has ? f.value : 0;
  const err = has && Number.isFinite(f.error) ? f.error : 0;
  const high = Math.min(1, e + err);
  return { region, selection, efficiency: e, low: Math.max(0, e - err), high, label: `${f.numerator} / ${f.denominator}`, labelY: has ? high : 0 };
}

export function trackingRegionSpec(t: TrackingPerformance, options: TrackingRegionPlotOptions = {}): TopLevelSpec {
  const names = selectionLabels(t);
  const rows = t.regions.flatMap((r) => [row(r.label, names.reconstructable, r.reconstructable), row(r.label, names.highPt, r.highPt)]);
  const regions = t.regions.map((r) => r.label);
  const selections = [names.reconstructable, names.highPt];
  const x = { field: 'region', type: 'nominal' as const, title: 'detector region (where most of a particle’s hits are)', sort: regions, axis: { labelAngle: 0 } };
  const xOffset = { field: 'selection', type: 'nominal' as const, sort: selections, scale: { paddingOuter: 0.1 } };
  const y = (field: string) => ({ field, type: 'quantitative' as const, title: 'efficiency', scale: { domain: [0, 1.15], nice: false }, axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 190 * Math.max(2, regions.length),
    height: 260,
    title: {
      text: options.title ?? 'Efficiency by detector region',
      subtitle: [
        `double-majority matched over reconstructable particles, ${t.events} event${t.events === 1 ? '' : 's'}; labels give matched / particles`,
        `error bars: binomial standard error; a particle belongs to the region holding most of its hits`,
      ],
    },
    data: { values: rows },
    encoding: { x, xOffset },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: y('efficiency'),
          color: { field: 'selection', type: 'nominal', title: null, scale: { domain: selections, range: [COLOURS.truth, COLOURS.matched] }, legend: { orient: 'top', direction: 'horizontal' } },
        },
      },
      { mark: { type: 'rule', color: COLOURS.efficiency }, encoding: { y: y('low'), y2: { field: 'high' } } },
      { mark: { type: 'text', dy: -7, fontSize: 10, color: COLOURS.annotation }, encoding: { y: y('labelY'), text: { field: 'label', type: 'nominal' } } },
    ],
  } as TopLevelSpec;
}

/**
 * Efficiency per detector region (barrel, end-caps, ...) for reconstructable particles and those
 * above the pT cut, each bar labelled with its counts so that "1 / 173" shows at a glance.
 */
export async function trackingRegionPlot(t: TrackingPerformance, options: TrackingRegionPlotOptions = {}): Promise<Plot> {
  const { svg } = await renderSpec(trackingRegionSpec(t, options));
  return { svg };
}

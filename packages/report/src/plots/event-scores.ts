import { formatMeanStd, meanStd } from '@hypertrack/metrics';
import type { TopLevelSpec } from 'vega-lite';
import type { RunScoreEvent } from '../run/files';
import { renderSpec, type Plot } from '../vega/render';
import { COLOURS } from '../vega/theme';

/** The per-event scores that are histogrammed, in panel order. */
export const SCORE_KEYS = [
  { key: 'trackmlScore', title: 'TrackML score' },
  { key: 'dms', title: 'double-majority score (DMS)' },
  { key: 'efficiency', title: 'efficiency' },
  { key: 'purity', title: 'purity' },
] as const;

export interface EventScorePlotOptions {
  /** Bins between the lower edge and 1 (default 20). */
  readonly bins?: number;
  readonly title?: string;
}

interface BinRow {
  panel: string;
  lo: number;
  hi: number;
  events: number;
}

/**
 * Lower edge of the histograms: 0.5 as in the original (scores of a working reconstruction lie
 * above it), lowered in steps of 0.1 to take in every finite score.
 */
export function histogramLow(values: readonly number[]): number {
  let min = 0.5;
  for (const v of values) if (v < min) min = v;
  return Math.max(0, Math.floor(min * 10 + 1e-9) / 10);
}

function histogram(values: readonly number[], lo: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (1 - lo) / bins;
  for (const v of values) {
    if (!(v >= lo && v <= 1)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width + 1e-9))]++;
  }
  return counts;
}

/** The panel title: mean(std) over events as the results table writes it (the mean alone from one event). */
function panelTitle(title: string, values: readonly number[]): string {
  return `${title}: ${formatMeanStd(meanStd(values))}`;
}

/** Panels of the scores that have a value in some event; a score no event has (inference has no TrackML score) gets none. */
export function eventScorePanels(events: readonly RunScoreEvent[]): { key: (typeof SCORE_KEYS)[number]['key']; title: string; values: number[] }[] {
  return SCORE_KEYS.map(({ key, title }) => {
    const values = events.map((e) => e[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return { key, title: panelTitle(title, values), values };
  }).filter((p) => p.values.length > 0);
}

export function eventScoreSpec(events: readonly RunScoreEvent[], options: EventScorePlotOptions = {}): TopLevelSpec {
  const bins = options.bins ?? 20;
  const panels = eventScorePanels(events);
  const missing = SCORE_KEYS.filter(({ key }) => !panels.some((p) => p.key === key)).map((k) => k.title);
  const lo = histogramLow(panels.flatMap((p) => p.values));
  const width = (1 - lo) / bins;
  const rows: BinRow[] = panels.flatMap(({ title, values }) =>
    histogram(values, lo, bins).flatMap((events, b) => (events > 0 ? [{ panel: title, lo: lo + b * width, hi: lo + (b + 1) * width, events }] : [])),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? 'Scores per event',
      subtitle: [
        `${events.length} event${events.length === 1 ? '' : 's'}, all of them; panel titles give mean(standard deviation) over events, as the results table`,
        ...(missing.length > 0 ? [`no value in any event, so no panel: ${missing.join(', ')}`] : []),
      ],
    },
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', title: null, sort: panels.map((p) => p.title), header: { labelFontWeight: 'normal', labelFontSize: 12 } },
    // Every panel in a full row (4 as 2 x 2): a row with an empty place would show a bare axis there.
    columns: panels.length === 4 ? 2 : Math.max(1, panels.length),
    spacing: { row: 16, column: 24 },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 250,
      height: 150,
      mark: { type: 'bar', color: COLOURS.matched, stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'lo', type: 'quantitative', title: 'value per event', scale: { domain: [lo, 1], nice: false, zero: false }, axis: { labelFlush: false } },
        x2: { field: 'hi' },
        y: { field: 'events', type: 'quantitative', title: 'events', scale: { zero: true }, axis: { tickMinStep: 1, format: 'd' } },
        y2: { datum: 0 },
      },
    },
  } as TopLevelSpec;
}

/**
 * Histograms over events of the TrackML score, DMS, efficiency and purity (2 x 2 panels); a score
 * without any value (inference runs have no TrackML score) has no panel, the others sit in one row.
 */
export async function eventScorePlot(events: readonly RunScoreEvent[], options: EventScorePlotOptions = {}): Promise<Plot> {
  const { svg } = await renderSpec(eventScoreSpec(events, options));
  return { svg };
}

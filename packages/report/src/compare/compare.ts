import { basename, join, resolve } from 'node:path';
import { InputError, writeFileAtomic } from '@hypertrack/core';
import { formatValueUncertainty, type ObservableEfficiency, type ResultsColumn } from '@hypertrack/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml, inlineSvg } from '../html/escape';
import { htmlPage } from '../html/page';
import { formatFraction } from '../html/tables';
import { axisTitle, efficiencyRows, type EfficiencyRow } from '../plots/efficiency';
import type { NamedPlot } from '../plots/named';
import { readRunDirectory, type RunData } from '../run/read';
import { renderSpec } from '../vega/render';
import { PALETTE, WIDTH } from '../vega/theme';

/** One compared quantity: each run's value and uncertainty, their difference and its combined uncertainty. */
export interface ComparedRow {
  readonly name: string;
  /** The quantity's unit ('' for fractions). */
  readonly unit: string;
  readonly kind: 'physics' | 'timing' | 'tracking';
  readonly a: { value: number; sigma: number; text: string; count: number } | null;
  readonly b: { value: number; sigma: number; text: string; count: number } | null;
  /** b − a; NaN when one run has no value. */
  readonly difference: number;
  /** sqrt(σa² + σb²) of the two values' uncertainties (standard errors of the means, binomial errors of pooled fractions). */
  readonly sigma: number;
  /** |b − a| > sigma. */
  readonly exceeds: boolean;
}

const measured = (c: ResultsColumn) => c.count > 0 && Number.isFinite(c.mean);
const SCORE_KEYS = [
  ['trackmlScore', 'TrackML score'],
  ['dms', 'DMS'],
  ['efficiency', 'efficiency'],
  ['purity', 'purity'],
] as const;

/** Whether a run holds anything a comparison shows. */
export function comparable(data: RunData): boolean {
  return (data.results?.columns.some(measured) ?? false) || (data.tracking !== undefined) || (data.events?.length ?? 0) > 0 || data.efficiency !== undefined;
}

function row(name: string, unit: string, kind: ComparedRow['kind'], a: ComparedRow['a'], b: ComparedRow['b']): ComparedRow {
  const difference = a && b ? b.value - a.value : NaN;
  const sigma = a && b ? Math.hypot(a.sigma, b.sigma) : NaN;
  return { name, unit, kind, a, b, difference, sigma, exceeds: Number.isFinite(difference) && Math.abs(difference) > sigma };
}

/**
 * The two runs' results side by side: every results column either run measured (the uncertainty of
 * a mean is its standard error, std / sqrt(events)), then the pooled tracking fractions (binomial
 * errors) where both runs have `score/tracking.json`.
 */
export function compareResults(a: RunData, b: RunData): ComparedRow[] {
  const rows: ComparedRow[] = [];
  const columnOf = (d: RunData, header: string) => d.results?.columns.find((c) => c.header === header && measured(c));
  const headers = [...new Set([...(a.results?.columns ?? []), ...(b.results?.columns ?? [])].filter(measured).map((c) => c.header))];
  const side = (c: ResultsColumn | undefined) => (c === undefined ? null : { value: c.mean, sigma: c.count > 1 ? c.std / Math.sqrt(c.count) : 0, text: c.text, count: c.count });
  for (const header of headers) {
    const ca = columnOf(a, header);
    const cb = columnOf(b, header);
    const c = (ca ?? cb) as ResultsColumn;
    rows.push(row(header, c.unit, c.kind === 'timing' ? 'timing' : 'physics', side(ca), side(cb)));
  }
  if (a.tracking && b.tracking) {
    const fractions = [
      ['efficiency, reconstructable particles', (t: NonNullable<RunData['tracking']>) => t.efficiency.reconstructable],
      [`efficiency, pT > ${a.tracking.ptMin} GeV`, (t: NonNullable<RunData['tracking']>) => t.efficiency.highPt],
      ['fake rate', (t: NonNullable<RunData['tracking']>) => t.fakeRate],
      ['duplicate rate', (t: NonNullable<RunData['tracking']>) => t.duplicateRate],
    ] as const;
    for (const [name, pick] of fractions) {
      const fa = pick(a.tracking);
      const fb = pick(b.tracking);
      const side = (f: typeof fa) => (f.denominator > 0 ? { value: f.value, sigma: f.error, text: `${formatFraction(f)} (${f.numerator} / ${f.denominator})`, count: f.denominator } : null);
      rows.push(row(name, '', 'tracking', side(fa), side(fb)));
    }
  }
  return rows;
}

const signed = (x: number) => (x > 0 ? '+' : x < 0 ? '−' : '');
function differenceText(r: ComparedRow): string {
  if (!Number.isFinite(r.difference)) return '–';
  if (r.sigma > 0) return `${signed(r.difference)}${formatValueUncertainty(Math.abs(r.difference), r.sigma)}`;
  return `${signed(r.difference)}${Number(Math.abs(r.difference).toPrecision(4))}`;
}

function comparisonTable(rows: readonly ComparedRow[], id: string, caption: string, names: readonly [string, string]): string {
  const unit = (r: ComparedRow) => (r.unit === '' ? r.name : `${r.name} (${r.unit})`);
  const verdict = (r: ComparedRow) => (!Number.isFinite(r.difference) ? '–' : r.exceeds ? `yes (${(Math.abs(r.difference) / r.sigma).toFixed(1)} σ)` : r.sigma > 0 ? `no (${(Math.abs(r.difference) / r.sigma).toFixed(1)} σ)` : 'no uncertainty');
  return [
    `<div class="fit"><table class="results compare" id="${id}">`,
    `<caption>${escapeHtml(caption)}</caption>`,
    `<tr><th class="key">quantity</th><th>${escapeHtml(names[0])}</th><th>${escapeHtml(names[1])}</th><th>difference (${escapeHtml(names[1])} − ${escapeHtml(names[0])})</th><th>exceeds combined σ</th></tr>`,
    ...rows.map((r) => `<tr class="${r.exceeds ? 'differs' : 'same'}"><th class="key">${escapeHtml(unit(r))}</th><td>${escapeHtml(r.a?.text ?? '–')}</td><td>${escapeHtml(r.b?.text ?? '–')}</td><td class="value">${escapeHtml(differenceText(r))}</td><td>${verdict(r)}</td></tr>`),
    '</table></div>',
  ].join('\n');
}

/** One run's efficiency bins, labelled with the run for the overlay. */
function efficiencyPoints(run: string, o: ObservableEfficiency): Array<EfficiencyRow & { run: string }> {
  return efficiencyRows(o).map((row) => ({ run, ...row }));
}

/** Efficiency per bin of one observable for both runs, overlaid, with binomial error bars. */
export async function efficiencyOverlayPlot(names: readonly [string, string], a: ObservableEfficiency, b: ObservableEfficiency): Promise<NamedPlot> {
  const values = [...efficiencyPoints(names[0], a), ...efficiencyPoints(names[1], b)];
  const x = { field: 'center', type: 'quantitative', title: axisTitle(a), scale: a.logX ? { type: 'log' } : { zero: false } } as const;
  const colour = { field: 'run', type: 'nominal', title: 'run', scale: { domain: [...names], range: PALETTE.slice(0, 2) }, legend: { orient: 'bottom' } } as const;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: 260,
    title: { text: `Efficiency vs ${axisTitle(a)}`, subtitle: `all tracks; ${names[0]}: ${sum(a.numerator)} / ${sum(a.denominator)}, ${names[1]}: ${sum(b.numerator)} / ${sum(b.denominator)} matched` },
    data: { values },
    encoding: { color: colour },
    layer: [
      { mark: { type: 'rule' }, encoding: { x, y: { field: 'low', type: 'quantitative', title: 'efficiency', scale: { domain: [0, 1.1] } }, y2: { field: 'high' } } },
      { mark: { type: 'rule' }, encoding: { x: { ...x, field: 'lo' }, x2: { field: 'hi' }, y: { field: 'efficiency', type: 'quantitative' } } },
      { mark: { type: 'point', filled: true, size: 30 }, encoding: { x, y: { field: 'efficiency', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
  return { name: `compare-efficiency-${a.key}`, title: `Efficiency vs ${axisTitle(a)}, both runs`, svg: (await renderSpec(spec)).svg };
}

const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0);

/** Each event's scores of both runs side by side, one dot per event, a bar at each run's mean. */
export async function eventScoreOverlayPlot(names: readonly [string, string], a: RunData, b: RunData): Promise<NamedPlot | null> {
  const values: { run: string; score: string; value: number }[] = [];
  for (const [run, data] of [
    [names[0], a],
    [names[1], b],
  ] as const) {
    for (const e of data.events ?? []) for (const [key, label] of SCORE_KEYS) if (e[key] !== null && Number.isFinite(e[key])) values.push({ run, score: label, value: e[key] as number });
  }
  const scores: string[] = SCORE_KEYS.map(([, label]) => label).filter((label) => values.some((v) => v.score === label && v.run === names[0]) && values.some((v) => v.score === label && v.run === names[1]));
  const kept = values.filter((v) => scores.includes(v.score));
  if (kept.length === 0) return null;
  const colour = { field: 'run', type: 'nominal', title: 'run', scale: { domain: [...names], range: PALETTE.slice(0, 2) }, legend: { orient: 'bottom' } } as const;
  const x = { field: 'score', type: 'nominal', title: 'score', sort: scores, axis: { labelAngle: 0 } } as const;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: 260,
    title: { text: 'Per-event scores of both runs', subtitle: `dots: events (${names[0]}: ${a.events?.length ?? 0}, ${names[1]}: ${b.events?.length ?? 0}); bars: means` },
    data: { values: kept },
    encoding: { x, xOffset: { field: 'run', type: 'nominal', scale: { domain: [...names] } }, color: colour },
    layer: [
      { mark: { type: 'point', opacity: 0.6, size: 20 }, encoding: { y: { field: 'value', type: 'quantitative', title: 'score per event', scale: { zero: false } } } },
      { mark: { type: 'tick', thickness: 2, size: 18 }, encoding: { y: { aggregate: 'mean', field: 'value', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
  return { name: 'compare-event-scores', title: `${scores.join(', ')} per event, both runs`, svg: (await renderSpec(spec)).svg };
}

export interface ComparisonOptions {
  /** The runs' names in the page (default: their folder names; the same names get "(1)", "(2)"). */
  readonly names?: readonly [string, string];
  readonly title?: string;
  /** Footer timestamp (default now). */
  readonly generated?: string;
}

function runNames(a: RunData, b: RunData, names?: readonly [string, string]): [string, string] {
  if (names) return [names[0], names[1]];
  const na = basename(resolve(a.dir));
  const nb = basename(resolve(b.dir));
  return na === nb ? [`${na} (1)`, `${nb} (2)`] : [na, nb];
}

/**
 * One self-contained HTML page comparing two runs: their results side by side (physics and
 * latencies with units, the difference and whether it exceeds the combined uncertainty, the pooled
 * tracking fractions), and overlays of their efficiency curves and per-event scores where both
 * runs have them. Every figure is titled and drawn only when it has marks.
 */
export async function renderComparison(a: RunData, b: RunData, options: ComparisonOptions = {}): Promise<{ html: string; plots: NamedPlot[] }> {
  const names = runNames(a, b, options.names);
  const rows = compareResults(a, b);
  const plots: NamedPlot[] = [];
  const scores = await eventScoreOverlayPlot(names, a, b);
  if (scores) plots.push(scores);
  const ea = a.efficiency?.categories.inclusive ?? [];
  const eb = b.efficiency?.categories.inclusive ?? [];
  for (const oa of ea) {
    const ob = eb.find((o) => o.key === oa.key);
    if (ob === undefined || !oa.denominator.some((n) => n > 0) || !ob.denominator.some((n) => n > 0)) continue;
    plots.push(await efficiencyOverlayPlot(names, oa, ob));
  }
  const title = options.title ?? `HyperTrack comparison: ${names[0]} vs ${names[1]}`;
  const sections: string[] = [];
  const runsTable = [
    '<table class="meta">',
    ...[
      [names[0], a],
      [names[1], b],
    ].map(([n, d]) => `<tr><th class="key">${escapeHtml(n as string)}</th><td>${escapeHtml(resolve((d as RunData).dir))}; ${escapeHtml(String((d as RunData).info?.command ?? ''))} ${(d as RunData).results ? `${(d as RunData).results?.events} events in results` : ''}</td></tr>`),
    '</table>',
  ].join('\n');
  sections.push(`<section id="runs">\n<h2>Runs</h2>\n${runsTable}\n</section>`);
  const note =
    '<p class="note">Each value as mean(uncertainty): for a results column the standard error of the mean over events (std / √events), for a pooled tracking fraction its binomial error. The difference carries the combined uncertainty √(σ₁² + σ₂²); a difference that exceeds it is marked (with |Δ| / σ). Latencies are in milliseconds; fractions have no unit.</p>';
  const tables: string[] = [note];
  for (const [kind, caption] of [
    ['physics', 'Physics (fractions)'],
    ['timing', 'Latency per event (ms)'],
    ['tracking', 'Tracking performance, counts pooled over events'],
  ] as const) {
    const mine = rows.filter((r) => r.kind === kind);
    if (mine.length > 0) tables.push(comparisonTable(mine, `compare-${kind}`, caption, names));
  }
  if (rows.length > 0) sections.push(`<section id="results">\n<h2>Results side by side</h2>\n${tables.join('\n')}\n</section>`);
  if (plots.length > 0) {
    const figures = plots.map((p, i) => `<figure id="plot-${escapeHtml(p.name)}"><figcaption>${escapeHtml(p.title)}</figcaption>${inlineSvg(p.svg, `c${i}-`)}</figure>`);
    sections.push(`<section id="overlays">\n<h2>Overlays</h2>\n<div class="plots">${figures.join('\n')}</div>\n</section>`);
  }
  const html = htmlPage(title, sections, { generated: options.generated, extraStyle: 'tr.differs td.value{font-weight:bold}' });
  return { html, plots };
}

/**
 * Reads two run folders and writes their comparison (`renderComparison`) atomically to `out`
 * (default `<runDir>/compare-<other folder name>.html`). A folder with nothing to compare (no
 * results row, tracking, per-event scores or efficiency) is an `InputError` naming it.
 */
export async function writeRunComparison(runDir: string, otherDir: string, options: ComparisonOptions & { out?: string } = {}): Promise<{ html: string; plots: number }> {
  const read = async (dir: string) => {
    const data = await readRunDirectory(dir);
    if (!comparable(data)) throw new InputError({ file: dir }, 'has nothing to compare: no results.json, score/tracking.json, score/events.jsonl or score/efficiency.json');
    return data;
  };
  const a = await read(runDir);
  const b = await read(otherDir);
  const { html, plots } = await renderComparison(a, b, options);
  const out = options.out ?? join(runDir, `compare-${basename(resolve(otherDir))}.html`);
  await writeFileAtomic(out, html);
  return { html: out, plots: plots.length };
}

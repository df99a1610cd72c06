import type { ResultsSummary } from '@hypertrack/metrics';
import type { NamedPlot } from '../plots/named';
import type { RunScoreEvent } from '../run/files';
import { escapeHtml, inlineSvg } from './escape';
import { STYLE } from './style';

/** Where a plot goes in the report. */
export type ReportSection = 'events' | 'roc' | 'efficiency' | 'hit-mixing' | 'training';

export interface ReportPlot extends NamedPlot {
  readonly section: ReportSection;
  /** Plots of one group (e.g. an efficiency category) sit together under a collapsible heading. */
  readonly group?: string;
  /** Whether the group starts expanded (default: only the first group of a section). */
  readonly open?: boolean;
}

export interface ReportInput {
  readonly title?: string;
  /** The metadata table, in key order (run folder, tag, seed, ...). */
  readonly metadata?: Readonly<Record<string, string | number | boolean | null>>;
  readonly results?: ResultsSummary;
  readonly events?: readonly RunScoreEvent[];
  readonly plots?: readonly ReportPlot[];
  /** Footer timestamp (default: now, ISO 8601). */
  readonly generated?: string;
}

const SECTIONS: readonly { id: ReportSection | 'run' | 'results'; title: string }[] = [
  { id: 'run', title: 'Run' },
  { id: 'results', title: 'Results' },
  { id: 'events', title: 'Per-event scores' },
  { id: 'roc', title: 'Edge classification (ROC)' },
  { id: 'efficiency', title: 'Tracking efficiency' },
  { id: 'hit-mixing', title: 'Hit mixing' },
  { id: 'training', title: 'Training' },
];

function metadataTable(metadata: Readonly<Record<string, string | number | boolean | null>>): string {
  const rows = Object.entries(metadata).map(([k, v]) => `<tr><th class="key">${escapeHtml(k)}</th><td>${escapeHtml(v === null ? '–' : String(v))}</td></tr>`);
  return `<table class="meta">${rows.join('')}</table>`;
}

/** Latency columns of the results row are in milliseconds (as infer measures and prints them). */
const isTime = (key: string) => key.startsWith('time');

function resultsTable(results: ResultsSummary): string {
  const cells = results.columns.map((c) => (c.count > 0 && Number.isFinite(c.mean) ? escapeHtml(c.text) : '–'));
  const headers = results.columns.map((c) => `<th>${escapeHtml(c.header)}${isTime(c.key) ? ' (ms)' : ''}</th>`);
  const counts = results.columns.map((c) => `<td>${c.count}</td>`);
  return [
    `<p class="note">Mean over ${results.events} event${results.events === 1 ? '' : 's'}, with the standard deviation over events in value(uncertainty) notation: 0.9712(34) means 0.9712 ± 0.0034. – marks a column with no finite value.</p>`,
    '<div class="wide"><table>',
    `<tr><th class="key"></th>${headers.join('')}</tr>`,
    `<tr><th class="key">mean(std)</th>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`,
    `<tr><th class="key">events used</th>${counts.join('')}</tr>`,
    '</table></div>',
  ].join('\n');
}

const rate = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(4));

function eventsTable(events: readonly RunScoreEvent[]): string {
  const rows = events.map(
    (e) =>
      `<tr><td class="key">${e.eventId}</td><td>${e.hits}</td><td>${e.tracks}</td><td>${rate(e.trackmlScore)}</td><td>${rate(e.dms)}</td><td>${rate(e.efficiency)}</td><td>${rate(e.purity)}</td></tr>`,
  );
  return [
    '<div class="scroll"><table>',
    '<tr><th class="key">event</th><th>hits</th><th>tracks</th><th>TrackML score</th><th>DMS</th><th>efficiency</th><th>purity</th></tr>',
    ...rows,
    '</table></div>',
  ].join('\n');
}

function figure(plot: ReportPlot, index: number): string {
  return `<figure id="plot-${escapeHtml(plot.name)}">${inlineSvg(plot.svg, `p${index}-`)}<figcaption>${escapeHtml(plot.title)}</figcaption></figure>`;
}

function plotsHtml(plots: readonly { plot: ReportPlot; index: number }[]): string {
  const groups = new Map<string | undefined, { plot: ReportPlot; index: number }[]>();
  for (const entry of plots) {
    const list = groups.get(entry.plot.group) ?? [];
    list.push(entry);
    groups.set(entry.plot.group, list);
  }
  let first = true;
  const out: string[] = [];
  for (const [group, list] of groups) {
    const body = `<div class="plots">${list.map(({ plot, index }) => figure(plot, index)).join('\n')}</div>`;
    if (group === undefined) out.push(body);
    else {
      const open = list[0].plot.open ?? first;
      out.push(`<details${open ? ' open=""' : ''}><summary>${escapeHtml(group)} (${list.length} plot${list.length === 1 ? '' : 's'})</summary>${body}</details>`);
    }
    first = false;
  }
  return out.join('\n');
}

/**
 * One self-contained HTML page: metadata, results table, per-event table and every plot inlined
 * as SVG, with an inline stylesheet and no scripts, fonts or links to anything outside. A section
 * appears only when its data is in `input`.
 */
export function renderReport(input: ReportInput): string {
  const title = input.title ?? 'HyperTrack run report';
  const plots = (input.plots ?? []).map((plot, index) => ({ plot, index }));
  const bodies = new Map<string, string>();
  if (input.metadata && Object.keys(input.metadata).length > 0) bodies.set('run', metadataTable(input.metadata));
  if (input.results) bodies.set('results', resultsTable(input.results));
  const eventParts: string[] = [];
  if (input.events && input.events.length > 0) eventParts.push(eventsTable(input.events));
  for (const section of ['events', 'roc', 'efficiency', 'hit-mixing', 'training'] as const) {
    const mine = plots.filter(({ plot }) => plot.section === section);
    const parts = section === 'events' ? [...eventParts] : [];
    if (mine.length > 0) parts.push(plotsHtml(mine));
    if (parts.length > 0) bodies.set(section, parts.join('\n'));
  }
  const present = SECTIONS.filter((s) => bodies.has(s.id));
  const nav = `<nav><ul>${present.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('')}</ul></nav>`;
  const sections = present.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${bodies.get(s.id)}\n</section>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    // Void elements closed XML-style, as HTML allows, so the page also parses as XML.
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    present.length > 0 ? nav : '<p class="lead">This run has nothing to report yet.</p>',
    ...sections,
    `<footer>Generated by @hypertrack/report on ${escapeHtml(input.generated ?? new Date().toISOString())}. Plots are SVG; this file needs no network access.</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

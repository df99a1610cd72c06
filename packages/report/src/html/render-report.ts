import type { ResultsSummary, TrackingPerformance } from '@hypertrack/metrics';
import type { NamedPlot } from '../plots/named';
import type { RunScoreEvent } from '../run/files';
import { escapeHtml, inlineSvg } from './escape';
import { htmlPage } from './page';
import { eventsTable, resultsTables, trackingTables } from './tables';

/** Where a plot goes in the report. */
export type ReportSection = 'tracking' | 'events' | 'display' | 'efficiency' | 'roc' | 'hit-mixing' | 'timing' | 'voxdyn' | 'training';

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
  /** Efficiency for target particles and per detector region, fake and duplicate rates. */
  readonly tracking?: TrackingPerformance;
  readonly events?: readonly RunScoreEvent[];
  readonly plots?: readonly ReportPlot[];
  /** Per section, sentences about what is not drawn and why (e.g. an empty histogram left out). */
  readonly notes?: Partial<Record<ReportSection, readonly string[]>>;
  /** Footer timestamp (default: now, ISO 8601). */
  readonly generated?: string;
}

const SECTIONS: readonly { id: ReportSection | 'run' | 'results'; title: string }[] = [
  { id: 'run', title: 'Run' },
  { id: 'results', title: 'Results' },
  { id: 'tracking', title: 'Tracking performance' },
  { id: 'events', title: 'Per-event scores' },
  { id: 'display', title: 'Event display' },
  { id: 'efficiency', title: 'Efficiency per observable' },
  { id: 'roc', title: 'Edge classification (ROC)' },
  { id: 'hit-mixing', title: 'Hit mixing' },
  { id: 'timing', title: 'Timing' },
  { id: 'voxdyn', title: 'Voxel-Dynamics model' },
  { id: 'training', title: 'Training' },
];

const PLOT_SECTIONS: readonly ReportSection[] = ['tracking', 'events', 'display', 'efficiency', 'roc', 'hit-mixing', 'timing', 'voxdyn', 'training'];

function metadataTable(metadata: Readonly<Record<string, string | number | boolean | null>>): string {
  const rows = Object.entries(metadata).map(([k, v]) => `<tr><th class="key">${escapeHtml(k)}</th><td>${escapeHtml(v === null ? '–' : String(v))}</td></tr>`);
  return `<table class="meta">${rows.join('')}</table>`;
}

function figure(plot: ReportPlot, index: number): string {
  return `<figure id="plot-${escapeHtml(plot.name)}"><figcaption>${escapeHtml(plot.title)}</figcaption>${inlineSvg(plot.svg, `p${index}-`)}</figure>`;
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
 * One self-contained HTML page: metadata, results tables, tracking performance, per-event table and
 * every plot inlined as SVG under its title, with an inline stylesheet and no scripts, fonts or
 * links to anything outside. A section appears only when its data is in `input`.
 */
export function renderReport(input: ReportInput): string {
  const title = input.title ?? 'HyperTrack run report';
  const plots = (input.plots ?? []).map((plot, index) => ({ plot, index }));
  const bodies = new Map<string, string>();
  if (input.metadata && Object.keys(input.metadata).length > 0) bodies.set('run', metadataTable(input.metadata));
  if (input.results) bodies.set('results', resultsTables(input.results, input.events?.length));
  const head: Partial<Record<ReportSection, string[]>> = {};
  if (input.tracking) head.tracking = [trackingTables(input.tracking)];
  if (input.events && input.events.length > 0) head.events = [eventsTable(input.events)];
  for (const section of PLOT_SECTIONS) {
    const mine = plots.filter(({ plot }) => plot.section === section);
    const parts = [...(head[section] ?? [])];
    if (mine.length > 0) parts.push(plotsHtml(mine));
    for (const note of input.notes?.[section] ?? []) parts.push(`<p class="note">${escapeHtml(note)}</p>`);
    if (parts.length > 0) bodies.set(section, parts.join('\n'));
  }
  const present = SECTIONS.filter((s) => bodies.has(s.id));
  const nav = `<nav><ul>${present.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.title)}</a></li>`).join('')}</ul></nav>`;
  const sections = present.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${bodies.get(s.id)}\n</section>`);
  return htmlPage(title, [present.length > 0 ? nav : '<p class="lead">This run has nothing to report yet.</p>', ...sections], { generated: input.generated });
}

import type { EfficiencyCategory } from '@hypertrack/metrics';
import type { ReportPlot, ReportSection } from '../html/render-report';
import { axisTitle, CATEGORY_TITLES, efficiencyPlot } from '../plots/efficiency';
import { eventScorePanels, eventScorePlot } from '../plots/event-scores';
import { formatSignificant } from '../plots/format';
import { hitMixingPlot } from '../plots/hit-mixing';
import { rocPlot } from '../plots/roc';
import { graphStageTimes, inferStageTimes, stageTimingPlot } from '../plots/stage-timing';
import { trackingRegionPlot } from '../plots/tracking';
import { trainingPlots } from '../plots/training';
import { eventDisplayPlot } from '../display/event-display';
import type { RunData } from './read';

/** The plots of a run and what the page should say about plots it left out. */
export interface ReportContent {
  readonly plots: ReportPlot[];
  /** Per section, sentences about what is not drawn and why. */
  readonly notes: Partial<Record<ReportSection, string[]>>;
}

type PlotData = Omit<RunData, 'dir' | 'files'>;

const VOXDYN_TITLES: Record<string, string> = {
  'voronoi-xy': 'Voronoi cell centres, xy projection',
  'voronoi-zy': 'Voronoi cell centres, zy projection',
  'voronoi-zx': 'Voronoi cell centres, zx projection',
  cmatrix: 'C-matrix: connected cell pairs',
  'cmatrix-degree': 'Cells connected per cell (C-matrix row sizes)',
};

const SCORE_NAMES = { trackmlScore: 'TrackML score', dms: 'DMS', efficiency: 'efficiency', purity: 'purity' } as const;

/**
 * Events at the start of `infer/events.jsonl` that the results row leaves out of its latencies:
 * `timingWarmUp` as recorded, or, in files from before it was, the events the row is short of.
 */
export function timingWarmUpOf(data: Pick<PlotData, 'results' | 'inferEvents'>): number {
  if (data.results === undefined) return 0;
  if (data.results.timingWarmUp !== undefined) return data.results.timingWarmUp;
  return Math.max(0, (data.inferEvents?.length ?? data.results.events) - data.results.events);
}

async function efficiencyContent(data: PlotData, out: ReportPlot[], notes: string[]): Promise<void> {
  const report = data.efficiency;
  if (report === undefined) return;
  const categories: EfficiencyCategory[] = ['inclusive', 'r0_xy_less_10mm', 'r0_xy_more_10mm'];
  for (const category of categories) {
    const empty: string[] = [];
    const observables = report.categories[category] ?? [];
    for (const observable of observables) {
      const range = `${formatSignificant(observable.edges[0])} to ${formatSignificant(observable.edges[observable.edges.length - 1])}`;
      // An empty histogram is an empty panel: it is named in a note instead.
      if (observable.denominator.every((n) => n === 0)) {
        empty.push(`${observable.key} (${range})`);
        continue;
      }
      const { svg } = await efficiencyPlot(observable, { hitsMin: report.hitsMin, category });
      out.push({
        section: 'efficiency',
        group: CATEGORY_TITLES[category],
        name: `efficiency-${category}-${observable.key}`,
        title: `${CATEGORY_TITLES[category]}: efficiency vs ${axisTitle(observable)}, ${range}`,
        svg,
      });
    }
    if (empty.length === observables.length && empty.length > 0) notes.push(`${CATEGORY_TITLES[category]}: no true track with ≥ ${report.hitsMin} hits in this run, so no plot.`);
    else if (empty.length > 0) notes.push(`${CATEGORY_TITLES[category]}: no true track with ≥ ${report.hitsMin} hits in the range of ${empty.join(', ')}, so no plot of ${empty.length === 1 ? 'it' : 'them'}.`);
  }
}

/**
 * Every plot the run's data allows, in report order, each titled and non-empty (a plot with
 * nothing to draw is left out and named in `notes`): tracking performance by detector region,
 * per-event score histograms, the event display, efficiency per observable for each r0_xy category,
 * ROC (linear and log FPR), hit mixing, time per stage, the Voxel-Dynamics figures, training curves.
 */
export async function reportContent(data: PlotData): Promise<ReportContent> {
  const out: ReportPlot[] = [];
  const notes: Partial<Record<ReportSection, string[]>> = {};
  const note = (section: ReportSection, text: string) => (notes[section] ??= []).push(text);
  if (data.tracking && data.tracking.regions.length > 0) {
    out.push({ section: 'tracking', name: 'tracking-regions', title: 'Efficiency by detector region, with matched / reconstructable particles', svg: (await trackingRegionPlot(data.tracking)).svg });
  }
  const panels = data.events ? eventScorePanels(data.events).map((p) => SCORE_NAMES[p.key]) : [];
  if (data.events && panels.length > 0) {
    out.push({ section: 'events', name: 'event-scores', title: `${panels.join(', ')} over events`, svg: (await eventScorePlot(data.events)).svg });
  }
  if (data.eventDisplay && data.eventDisplay.x.length > 0) out.push({ section: 'display', ...(await eventDisplayPlot(data.eventDisplay)) });
  const efficiencyNotes: string[] = [];
  await efficiencyContent(data, out, efficiencyNotes);
  for (const text of efficiencyNotes) note('efficiency', text);
  if (data.roc && data.roc.length > 0) {
    const names = data.roc.map((s) => s.name).join(', ');
    out.push({ section: 'roc', name: 'roc-linear', title: `Edge ROC of ${names}`, svg: (await rocPlot(data.roc)).svg });
    out.push({ section: 'roc', name: 'roc-log', title: `Edge ROC of ${names}, log FPR`, svg: (await rocPlot(data.roc, { scale: 'log' })).svg });
  }
  if (data.hitMixing) {
    if (data.hitMixing.counts.some((c) => c > 0)) out.push({ section: 'hit-mixing', name: 'hit-mixing', title: 'True versus reconstructed hits of matched pairs', svg: (await hitMixingPlot(data.hitMixing)).svg });
    else note('hit-mixing', 'No matched track-cluster pair, so no hit-mixing plot.');
  }
  if (data.inferEvents && data.inferEvents.length > 0) {
    const warmUp = Math.min(timingWarmUpOf(data), data.inferEvents.length - 1);
    out.push({ section: 'timing', name: 'timing-stages', title: 'Time per event of each reconstruction stage (ms)', svg: (await stageTimingPlot(inferStageTimes(data.inferEvents), { warmUp })).svg });
  } else if (data.graphEvents && data.graphEvents.length > 0) {
    out.push({ section: 'timing', name: 'timing-stages', title: 'Time per event of the graph constructor (ms)', svg: (await stageTimingPlot(graphStageTimes(data.graphEvents), { title: 'Time per event of the Voxel-Dynamics graph' })).svg });
  }
  for (const f of data.voxdynFigures ?? []) {
    out.push({ section: 'voxdyn', group: `model ${f.model}`, name: `${f.model}-${f.kind}`, title: `${VOXDYN_TITLES[f.kind] ?? f.kind}, model ${f.model}`, svg: f.svg });
  }
  if (data.training && data.training.length > 0) for (const plot of await trainingPlots(data.training)) out.push({ ...plot, section: 'training' });
  return { plots: out, notes };
}

/** The plots of `reportContent`. */
export async function reportPlots(data: PlotData): Promise<ReportPlot[]> {
  return (await reportContent(data)).plots;
}

import type { ReportPlot } from '../html/render-report';
import { CATEGORY_TITLES, efficiencyPlots } from '../plots/efficiency';
import { eventScorePlot } from '../plots/event-scores';
import { hitMixingPlot } from '../plots/hit-mixing';
import { rocPlot } from '../plots/roc';
import { trainingPlots } from '../plots/training';
import type { RunData } from './read';

/**
 * Every plot the run's data allows, in report order: per-event score histograms, ROC (linear and
 * log FPR), efficiency per observable for each r0_xy category, hit mixing, training curves.
 */
export async function reportPlots(data: Omit<RunData, 'dir' | 'files'>): Promise<ReportPlot[]> {
  const out: ReportPlot[] = [];
  if (data.events && data.events.length > 0) {
    out.push({ section: 'events', name: 'event-scores', title: 'TrackML score, DMS, efficiency and purity over events', svg: (await eventScorePlot(data.events)).svg });
  }
  if (data.roc && data.roc.length > 0) {
    const names = data.roc.map((s) => s.name).join(', ');
    out.push({ section: 'roc', name: 'roc-linear', title: `Edge ROC of ${names}`, svg: (await rocPlot(data.roc)).svg });
    out.push({ section: 'roc', name: 'roc-log', title: `Edge ROC of ${names}, log FPR`, svg: (await rocPlot(data.roc, { scale: 'log' })).svg });
  }
  if (data.efficiency) {
    for (const plot of await efficiencyPlots(data.efficiency)) {
      const category = (Object.keys(CATEGORY_TITLES) as (keyof typeof CATEGORY_TITLES)[]).find((c) => plot.name.startsWith(`efficiency-${c}-`));
      out.push({ ...plot, section: 'efficiency', group: category ? CATEGORY_TITLES[category] : undefined });
    }
  }
  if (data.hitMixing) out.push({ section: 'hit-mixing', name: 'hit-mixing', title: 'True versus reconstructed hits of matched pairs', svg: (await hitMixingPlot(data.hitMixing)).svg });
  if (data.training && data.training.length > 0) for (const plot of await trainingPlots(data.training)) out.push({ ...plot, section: 'training' });
  return out;
}

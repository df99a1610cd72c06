import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from '@hypertrack/core';
import { renderReport } from '../html/render-report';
import { toPng } from '../png/to-png';
import { readRunDirectory, type RunData } from './read';
import { reportContent } from './report-plots';

export interface RunReportOptions {
  /** Page title (default: "HyperTrack report: <folder name>"). */
  readonly title?: string;
  /** Also write `plots/<name>.png` next to each SVG (default true). */
  readonly png?: boolean;
}

export interface RunReportFiles {
  /** Path of `report.html`. */
  readonly html: string;
  /** Paths of the plot files written, SVG then PNG for each plot. */
  readonly plots: string[];
}

function metadata(data: RunData, runDir: string): Record<string, string | number | boolean | null> {
  return {
    'run folder': basename(resolve(runDir)),
    ...(data.info ?? {}),
    ...(data.results ? { 'events in results': data.results.events } : {}),
    ...(data.results?.timingWarmUp ? { 'warm-up events left out of the latencies': data.results.timingWarmUp } : {}),
    ...(data.events ? { 'events scored': data.events.length } : {}),
    'files read': data.files.join(', '),
  };
}

/**
 * Reads a run directory (`readRunDirectory`), renders every plot its files allow, and writes
 * `plots/<name>.svg` (and `.png`) and then `report.html` into it, each file atomically (written
 * under a temporary name, then renamed). Plot files of earlier reports that this one does not
 * produce are left alone.
 */
export async function writeRunReport(runDir: string, options: RunReportOptions = {}): Promise<RunReportFiles> {
  const data = await readRunDirectory(runDir);
  const { plots, notes } = await reportContent(data);
  const written: string[] = [];
  for (const plot of plots) {
    const svgPath = join(runDir, 'plots', `${plot.name}.svg`);
    await writeFileAtomic(svgPath, plot.svg);
    written.push(svgPath);
    if (options.png ?? true) {
      const pngPath = join(runDir, 'plots', `${plot.name}.png`);
      await writeFileAtomic(pngPath, toPng(plot.svg));
      written.push(pngPath);
    }
  }
  const html = renderReport({
    title: options.title ?? `HyperTrack report: ${basename(resolve(runDir))}`,
    metadata: metadata(data, runDir),
    results: data.results,
    tracking: data.tracking,
    events: data.events,
    plots,
    notes,
  });
  const htmlPath = join(runDir, 'report.html');
  await writeFileAtomic(htmlPath, html);
  return { html: htmlPath, plots: written };
}

import { ConfigError } from '@hypertrack/core';
import { formatMeanStd, meanStd, type UncertaintyDigits } from './value-uncertainty';

/**
 * One event's entries of the paper's results row: rates as fractions, latencies in milliseconds
 * (as @hypertrack/pipeline measures them with performance.now()).
 */
export interface EventResults {
  readonly vdTpr: number;
  readonly vdFpr: number;
  readonly gnnTpr: number;
  readonly gnnFpr: number;
  readonly gnnAuc: number;
  /** The GNN's AUC over the edges between two different hits (self-loops left out). */
  readonly gnnAucNoSelf: number;
  readonly dms: number;
  readonly efficiency: number;
  readonly purity: number;
  readonly timeVd: number;
  readonly timeGnn: number;
  readonly timeCc: number;
  readonly timeCluster: number;
}

/** What a column holds: a physics figure (a fraction) or a latency (ms). */
export type ResultKind = 'physics' | 'timing';

export interface ResultColumnSpec {
  readonly key: keyof EventResults;
  readonly header: string;
  readonly kind: ResultKind;
  /** Unit of the column's values: '' for fractions, 'ms' for latencies. */
  readonly unit: '' | 'ms';
}

/** Column order and headers of the original results.log row, with each column's kind and unit. */
export const RESULT_COLUMNS: readonly ResultColumnSpec[] = [
  { key: 'vdTpr', header: 'VD(TPR)', kind: 'physics', unit: '' },
  { key: 'vdFpr', header: 'VD(FPR)', kind: 'physics', unit: '' },
  { key: 'gnnTpr', header: 'GNN(TPR)', kind: 'physics', unit: '' },
  { key: 'gnnFpr', header: 'GNN(FPR)', kind: 'physics', unit: '' },
  { key: 'gnnAuc', header: 'GNN(AUC)', kind: 'physics', unit: '' },
  { key: 'gnnAucNoSelf', header: 'AUC(noself)', kind: 'physics', unit: '' },
  { key: 'dms', header: 'DMS', kind: 'physics', unit: '' },
  { key: 'efficiency', header: 'EFF', kind: 'physics', unit: '' },
  { key: 'purity', header: 'PUR', kind: 'physics', unit: '' },
  { key: 'timeVd', header: 'time_VD', kind: 'timing', unit: 'ms' },
  { key: 'timeGnn', header: 'time_GNN', kind: 'timing', unit: 'ms' },
  { key: 'timeCc', header: 'time_CC', kind: 'timing', unit: 'ms' },
  { key: 'timeCluster', header: 'time_cluster', kind: 'timing', unit: 'ms' },
];

export interface ResultsColumn extends ResultColumnSpec {
  readonly mean: number;
  readonly std: number;
  /** Events with a finite value in this column (after the warm-up, for latencies). */
  readonly count: number;
  /**
   * mean(std) in value(uncertainty) notation; the mean alone (4 significant digits) when only one
   * value was used, since one value has no spread; 'n/a' when none.
   */
  readonly text: string;
}

export interface ResultsSummary {
  /** Events summarised (all given, less the first with `skipFirst`). */
  readonly events: number;
  /** Events at the start left out of the latency columns only (`timingWarmUp`); 0 (or absent, in older files): none. */
  readonly timingWarmUp?: number;
  readonly columns: readonly ResultsColumn[];
}

export interface SummaryOptions {
  /** Digits of the uncertainty (default 'pdg'; 1 reproduces the original). */
  readonly digits?: UncertaintyDigits;
  /** 0 (default, numpy's np.std) or 1. */
  readonly ddof?: 0 | 1;
  /**
   * Leave out the first event from every column (the original's JIT warm-up). Default false. Prefer
   * `timingWarmUp`: a warm-up slows the first event down, it does not change its physics.
   */
  readonly skipFirst?: boolean;
  /**
   * Leave out this many events at the start from the latency columns only (default 0): the
   * backend's warm-up. The physics columns use every event.
   */
  readonly timingWarmUp?: number;
}

/** Mean and standard deviation over events of every column of the results row; JSON-ready. */
export function summarizeResults(events: readonly EventResults[], options: SummaryOptions = {}): ResultsSummary {
  const ddof = options.ddof ?? 0;
  if (ddof !== 0 && ddof !== 1) throw new ConfigError('ddof', `must be 0 or 1, got ${String(ddof)}`);
  const warmUp = options.timingWarmUp ?? 0;
  if (!Number.isInteger(warmUp) || warmUp < 0) throw new ConfigError('timingWarmUp', `must be an integer >= 0, got ${String(warmUp)}`);
  const used = options.skipFirst ? events.slice(1) : events;
  const timed = used.slice(warmUp);
  const columns = RESULT_COLUMNS.map(({ key, header, kind, unit }) => {
    const stats = meanStd(
      (kind === 'timing' ? timed : used).map((e) => e[key]),
      ddof,
    );
    return { key, header, kind, unit, mean: stats.mean, std: stats.std, count: stats.count, text: formatMeanStd(stats, options.digits ?? 'pdg') };
  });
  return { events: used.length, timingWarmUp: Math.min(warmUp, used.length), columns };
}

/** A two-line text table (headers over values), columns padded to align. */
export function formatResultsTable(summary: ResultsSummary): string {
  const widths = summary.columns.map((c) => Math.max(c.header.length, c.text.length));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return `${line(summary.columns.map((c) => c.header))}\n${line(summary.columns.map((c) => c.text))}\n`;
}

/** The original's LaTeX-style row: entries joined by " & ". */
export function formatResultsLatexRow(summary: ResultsSummary): string {
  return summary.columns.map((c) => c.text).join(' & ');
}

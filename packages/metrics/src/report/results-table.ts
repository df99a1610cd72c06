import { ConfigError } from '@hypertrack/core';
import { formatValueUncertainty, meanStd, type UncertaintyDigits } from './value-uncertainty';

/** One event's entries of the paper's results row (rates as fractions, latencies in seconds). */
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

/** Column order and headers of the original results.log row. */
export const RESULT_COLUMNS: readonly { readonly key: keyof EventResults; readonly header: string }[] = [
  { key: 'vdTpr', header: 'VD(TPR)' },
  { key: 'vdFpr', header: 'VD(FPR)' },
  { key: 'gnnTpr', header: 'GNN(TPR)' },
  { key: 'gnnFpr', header: 'GNN(FPR)' },
  { key: 'gnnAuc', header: 'GNN(AUC)' },
  { key: 'gnnAucNoSelf', header: 'AUC(noself)' },
  { key: 'dms', header: 'DMS' },
  { key: 'efficiency', header: 'EFF' },
  { key: 'purity', header: 'PUR' },
  { key: 'timeVd', header: 'time_VD' },
  { key: 'timeGnn', header: 'time_GNN' },
  { key: 'timeCc', header: 'time_CC' },
  { key: 'timeCluster', header: 'time_cluster' },
];

export interface ResultsColumn {
  readonly key: keyof EventResults;
  readonly header: string;
  readonly mean: number;
  readonly std: number;
  /** Events with a finite value in this column. */
  readonly count: number;
  /** mean(std) in value(uncertainty) notation. */
  readonly text: string;
}

export interface ResultsSummary {
  readonly events: number;
  readonly columns: readonly ResultsColumn[];
}

export interface SummaryOptions {
  /** Digits of the uncertainty (default 'pdg'; 1 reproduces the original). */
  readonly digits?: UncertaintyDigits;
  /** 0 (default, numpy's np.std) or 1. */
  readonly ddof?: 0 | 1;
  /** Leave out the first event (the original's JIT warm-up). Default false: the caller decides. */
  readonly skipFirst?: boolean;
}

/** Mean and standard deviation over events of every column of the results row; JSON-ready. */
export function summarizeResults(events: readonly EventResults[], options: SummaryOptions = {}): ResultsSummary {
  const ddof = options.ddof ?? 0;
  if (ddof !== 0 && ddof !== 1) throw new ConfigError('ddof', `must be 0 or 1, got ${String(ddof)}`);
  const used = options.skipFirst ? events.slice(1) : events;
  const columns = RESULT_COLUMNS.map(({ key, header }) => {
    const { mean, std, count } = meanStd(
      used.map((e) => e[key]),
      ddof,
    );
    return { key, header, mean, std, count, text: formatValueUncertainty(mean, std, options.digits ?? 'pdg') };
  });
  return { events: used.length, columns };
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

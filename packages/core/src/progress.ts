/**
 * Progress for long work: a redrawn bar with rate and ETA on a terminal, plain lines otherwise
 * (CI logs, pipes), throttled so logs stay short.
 */

export interface ProgressSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  /** What is being counted, e.g. "events". */
  unit?: string;
  /** Where to draw; defaults to process.stderr so stdout stays clean for data. */
  sink?: ProgressSink;
  /** Suppress all output. */
  silent?: boolean;
  /** Minimum seconds between two plain (non-TTY) lines. */
  plainIntervalSeconds?: number;
  /** Clock in milliseconds, replaceable in tests. */
  now?: () => number;
  /**
   * Wall-time budget of the work in seconds (a run stopped by a time limit): the bar fills with
   * the elapsed share of it, and the ETA is the budget's end unless the count finishes sooner.
   * With `total` 0 the count has no end of its own and only the budget sets bar and ETA.
   */
  timeBudgetSeconds?: number;
}

export interface Progress {
  /** Advance by `n` units (default 1). */
  tick(n?: number): void;
  /** Final line: total count, elapsed time and mean rate. */
  done(): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  if (m < 60) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

function formatRate(perSecond: number, unit: string): string {
  const value = perSecond >= 100 ? perSecond.toFixed(0) : perSecond >= 10 ? perSecond.toFixed(1) : perSecond.toFixed(2);
  return `${value} ${unit}/s`;
}

export function createProgress(label: string, total: number, options: ProgressOptions = {}): Progress {
  const unit = options.unit ?? 'items';
  const sink: ProgressSink = options.sink ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const interactive = sink.isTTY === true;
  const plainInterval = (options.plainIntervalSeconds ?? 5) * 1000;
  const start = now();
  let count = 0;
  let lastDraw = -Infinity;
  let lastPercentDecile = -1;

  const budget = options.timeBudgetSeconds !== undefined && options.timeBudgetSeconds > 0 ? options.timeBudgetSeconds : undefined;

  /** Share of the work done, 0..1: the larger of the count's and the time budget's. */
  const fraction = (elapsed: number): number => {
    let share = total > 0 ? count / total : budget === undefined ? 1 : 0;
    if (budget !== undefined) share = Math.max(share, elapsed / budget);
    return Math.min(1, share);
  };

  const status = (): string => {
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? count / elapsed : 0;
    let eta = total > 0 && rate > 0 ? (total - count) / rate : Infinity;
    if (budget !== undefined) eta = Math.min(eta, Math.max(0, budget - elapsed));
    const counted = total > 0 ? `${count}/${total}` : `${count}`;
    const limit = budget !== undefined ? ` of ${formatDuration(budget)}` : '';
    return `${counted} ${unit}, ${formatRate(rate, unit)}, elapsed ${formatDuration(elapsed)}${limit}, ETA ${formatDuration(eta)}`;
  };

  const draw = (): void => {
    if (options.silent) return;
    const t = now();
    if (interactive) {
      // Redraw at most every 100 ms, except for the last tick of a counted run.
      if (t - lastDraw < 100 && !(total > 0 && count >= total)) return;
      lastDraw = t;
      const width = Math.max(10, Math.min(40, (sink.columns ?? 80) - 70));
      const filled = Math.round(width * fraction((t - start) / 1000));
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      sink.write(`\r${label} ${bar} ${status()}\u001b[K`);
      return;
    }
    const decile = Math.floor(10 * fraction((t - start) / 1000));
    if (decile > lastPercentDecile || t - lastDraw >= plainInterval) {
      lastPercentDecile = decile;
      lastDraw = t;
      sink.write(`${label}: ${status()}\n`);
    }
  };

  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    done() {
      if (options.silent) return;
      const elapsed = (now() - start) / 1000;
      const summary = `${label}: ${count} ${unit} in ${formatDuration(elapsed)} (${formatRate(elapsed > 0 ? count / elapsed : 0, unit)})`;
      sink.write(interactive ? `\r${summary}\u001b[K\n` : `${summary}\n`);
    },
  };
}

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

  const status = (): string => {
    const elapsed = (now() - start) / 1000;
    const rate = elapsed > 0 ? count / elapsed : 0;
    const eta = rate > 0 ? (total - count) / rate : Infinity;
    return `${count}/${total} ${unit}, ${formatRate(rate, unit)}, elapsed ${formatDuration(elapsed)}, ETA ${formatDuration(eta)}`;
  };

  const draw = (): void => {
    if (options.silent) return;
    const t = now();
    if (interactive) {
      if (t - lastDraw < 100 && count < total) return;
      lastDraw = t;
      const width = Math.max(10, Math.min(40, (sink.columns ?? 80) - 70));
      const filled = total > 0 ? Math.round((width * count) / total) : width;
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      sink.write(`\r${label} ${bar} ${status()}\u001b[K`);
      return;
    }
    const decile = total > 0 ? Math.floor((10 * count) / total) : 10;
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

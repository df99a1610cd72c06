/**
 * A training profile as a Chrome trace (the Trace Event Format that Perfetto and chrome://tracing
 * open): per iteration a span on the main thread with its stages laid end to end (data, graph,
 * train step with gradients, reduce and optimizer inside, validation), each event's own stages
 * (prepare, forward, edge losses, transformer, backward, auc) on a lane of its own, and the
 * memory as counters.
 */
export interface TraceEvent {
  readonly name: string;
  readonly cat?: string;
  /** X: a complete span; C: a counter; M: metadata (process and thread names). */
  readonly ph: 'X' | 'C' | 'M';
  /** Microseconds. */
  readonly ts: number;
  readonly dur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: Readonly<Record<string, unknown>>;
}

export interface ProfiledIteration {
  readonly step: number;
  /** performance.now() at its start, and its wall time. */
  readonly startMs: number;
  readonly totalMs: number;
  /** Its stages in order; 'train step' is split by `trainStep`. */
  readonly stages: ReadonlyArray<{ readonly name: string; readonly ms: number }>;
  readonly trainStep: { readonly gradientsMs: number; readonly reduceMs: number; readonly optimizerMs: number; readonly events: ReadonlyArray<Readonly<Record<string, number>>> };
  /** True when the events ran at once on worker threads, false when one after the other. */
  readonly parallelEvents: boolean;
  readonly memory: { readonly tensorMiB: number; readonly rssMiB: number };
}

const PID = 1;
const MAIN = 0;

export class TrainingProfile {
  private readonly events: TraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid: PID, tid: MAIN, args: { name: 'hypertrack train' } },
    { name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: MAIN, args: { name: 'main' } },
  ];
  private readonly lanes = new Set<number>();
  private readonly totals = new Map<string, number>();
  private iterationsMs = 0;
  private iterations = 0;

  add(iteration: ProfiledIteration): void {
    const us = (ms: number) => Math.round(ms * 1000);
    const span = (name: string, startMs: number, ms: number, tid: number, cat: string, args?: Record<string, unknown>) => {
      this.events.push({ name, cat, ph: 'X', ts: us(startMs), dur: us(ms), pid: PID, tid, ...(args ? { args } : {}) });
      if (cat !== 'iteration') this.totals.set(name, (this.totals.get(name) ?? 0) + ms);
    };
    span(`iteration ${iteration.step}`, iteration.startMs, iteration.totalMs, MAIN, 'iteration', { step: iteration.step });
    this.iterationsMs += iteration.totalMs;
    this.iterations++;
    let at = iteration.startMs;
    for (const stage of iteration.stages) {
      span(stage.name, at, stage.ms, MAIN, 'stage');
      if (stage.name === 'train step') {
        const { gradientsMs, reduceMs, optimizerMs, events } = iteration.trainStep;
        span('gradients', at, gradientsMs, MAIN, 'train step');
        span('reduce', at + gradientsMs, reduceMs, MAIN, 'train step');
        span('optimizer', at + gradientsMs + reduceMs, optimizerMs, MAIN, 'train step');
        let eventStart = at;
        events.forEach((stages, b) => {
          const lane = 1 + b;
          this.lane(lane, iteration.parallelEvents ? `worker ${b}` : `event ${b} (main thread)`);
          let t = iteration.parallelEvents ? at : eventStart;
          for (const [name, ms] of Object.entries(stages)) {
            span(name, t, ms, lane, 'event');
            t += ms;
          }
          eventStart = t;
        });
      }
      at += stage.ms;
    }
    this.events.push({ name: 'memory (MiB)', ph: 'C', ts: us(iteration.startMs + iteration.totalMs), pid: PID, tid: MAIN, args: { tensors: iteration.memory.tensorMiB, rss: iteration.memory.rssMiB } });
  }

  private lane(tid: number, name: string): void {
    if (this.lanes.has(tid)) return;
    this.lanes.add(tid);
    this.events.push({ name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid, args: { name } });
  }

  /** The trace file's object: `{ traceEvents, displayTimeUnit }`. */
  toJSON(): { traceEvents: readonly TraceEvent[]; displayTimeUnit: 'ms' } {
    return { traceEvents: this.events, displayTimeUnit: 'ms' };
  }

  /** The `top` stages by total time: name, total and mean ms per iteration, share of the iterations' time. */
  summary(top = 10): string[] {
    if (this.iterations === 0) return [];
    const rows = [...this.totals].sort((a, b) => b[1] - a[1]).slice(0, top);
    const width = Math.max(...rows.map(([name]) => name.length));
    return [
      `profile over ${this.iterations} iteration${this.iterations === 1 ? '' : 's'} (${(this.iterationsMs / this.iterations).toFixed(1)} ms each):`,
      ...rows.map(([name, ms]) => `  ${name.padEnd(width)}  ${(ms / this.iterations).toFixed(1).padStart(8)} ms/iteration  ${((100 * ms) / this.iterationsMs).toFixed(1).padStart(5)}%`),
    ];
  }
}

/** The problems of a trace against the Trace Event Format's rules for the events used here (none: an empty list). */
export function traceProblems(trace: unknown): string[] {
  const problems: string[] = [];
  if (trace === null || typeof trace !== 'object' || !Array.isArray((trace as { traceEvents?: unknown }).traceEvents)) return ['no traceEvents array'];
  (trace as { traceEvents: unknown[] }).traceEvents.forEach((event, k) => {
    const e = event as Record<string, unknown>;
    const bad = (why: string) => problems.push(`traceEvents[${k}]: ${why}`);
    if (typeof e.name !== 'string' || e.name === '') bad('name must be a non-empty string');
    if (!['X', 'C', 'M'].includes(e.ph as string)) bad(`ph '${String(e.ph)}' is not X, C or M`);
    if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) bad('ts must be a number of microseconds >= 0');
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) bad('pid and tid must be integers');
    if (e.ph === 'X' && (typeof e.dur !== 'number' || !(e.dur >= 0))) bad('a complete event (X) needs dur >= 0');
    if (e.ph === 'C' && (typeof e.args !== 'object' || Object.values(e.args as object).some((v) => typeof v !== 'number'))) bad('a counter (C) needs numeric args');
    if (e.ph === 'M' && (typeof e.args !== 'object' || typeof (e.args as { name?: unknown }).name !== 'string')) bad('metadata (M) needs args.name');
  });
  return problems;
}

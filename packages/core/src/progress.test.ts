import { createProgress, formatDuration } from './progress';

function fakeSink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, sink: { isTTY, columns: 120, write: (c: string) => chunks.push(c) } };
}

describe('progress', () => {
  it('prints plain lines at each tenth and a summary when not on a terminal', () => {
    let clock = 0;
    const { chunks, sink } = fakeSink(false);
    const p = createProgress('simulate', 20, { unit: 'events', sink, now: () => clock });
    for (let i = 0; i < 20; i++) {
      clock += 500;
      p.tick();
    }
    p.done();
    expect(chunks.every((c) => c.endsWith('\n') && !c.includes('\r'))).toBe(true);
    expect(chunks.length).toBe(12); // 10%..100% (10 lines) plus the first tick's line plus the summary
    expect(chunks[chunks.length - 2]).toBe('simulate: 20/20 events, 2.00 events/s, elapsed 10s, ETA 0.0s\n');
    expect(chunks[chunks.length - 1]).toBe('simulate: 20 events in 10s (2.00 events/s)\n');
  });

  it('redraws one bar line with rate and ETA on a terminal', () => {
    let clock = 0;
    const { chunks, sink } = fakeSink(true);
    const p = createProgress('train', 4, { unit: 'it', sink, now: () => clock });
    clock = 1000;
    p.tick();
    expect(chunks[0].startsWith('\rtrain ')).toBe(true);
    expect(chunks[0]).toContain('1/4 it, 1.00 it/s');
    expect(chunks[0]).toContain('ETA 3.0s');
    p.done();
    expect(chunks[chunks.length - 1].endsWith('\n')).toBe(true);
  });

  it('fills the bar with the time budget when the count has no end (a time-limited run)', () => {
    let clock = 0;
    const { chunks, sink } = fakeSink(true);
    const p = createProgress('train', 0, { unit: 'steps', sink, now: () => clock, timeBudgetSeconds: 100 });
    clock = 25_000;
    p.tick(5);
    expect(chunks[0]).toContain('5 steps, 0.20 steps/s, elapsed 25s of 1m40s, ETA 1m15s');
    // 40 columns wide at 120 columns: a quarter of the budget is 10 filled cells.
    expect(chunks[0]).toContain(`${'█'.repeat(10)}${'░'.repeat(30)}`);
    clock = 99_000;
    p.tick();
    expect(chunks[chunks.length - 1]).toContain('ETA 1.0s');
  });

  it('ends at the earlier of the count and the time budget', () => {
    let clock = 0;
    const { chunks, sink } = fakeSink(false);
    const p = createProgress('train', 10, { unit: 'steps', sink, now: () => clock, timeBudgetSeconds: 1000 });
    clock = 10_000;
    p.tick();
    expect(chunks[0]).toBe('train: 1/10 steps, 0.10 steps/s, elapsed 10s of 16m40s, ETA 1m30s\n');
    clock = 990_000;
    p.tick();
    expect(chunks[1]).toBe('train: 2/10 steps, 0.00 steps/s, elapsed 16m30s of 16m40s, ETA 10s\n');
  });

  it('stays silent when asked', () => {
    const { chunks, sink } = fakeSink(false);
    const p = createProgress('x', 3, { sink, silent: true });
    p.tick(3);
    p.done();
    expect(chunks).toEqual([]);
  });

  it('formats durations', () => {
    expect(formatDuration(3.21)).toBe('3.2s');
    expect(formatDuration(75)).toBe('1m15s');
    expect(formatDuration(7260)).toBe('2h01m');
    expect(formatDuration(Infinity)).toBe('--');
  });
});

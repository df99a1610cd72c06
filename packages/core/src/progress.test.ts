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

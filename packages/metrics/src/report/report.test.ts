import { formatResultsLatexRow, formatResultsTable, summarizeResults, type EventResults } from './results-table';
import { throughputScore } from './throughput';
import { formatMeanStd, formatValueUncertainty, meanStd } from './value-uncertainty';

describe('formatValueUncertainty', () => {
  it('follows the PDG rule by default', () => {
    expect(formatValueUncertainty(0.97123, 0.0034)).toBe('0.9712(34)'); // leading digits 340: two
    expect(formatValueUncertainty(0.97123, 0.0062)).toBe('0.971(6)'); // 620: one
    expect(formatValueUncertainty(0.97123, 0.00096)).toBe('0.9712(10)'); // 960: rounds up to two digits
  });

  it("prints the original's single digit on request, carrying rounding into the next place", () => {
    expect(formatValueUncertainty(0.97123, 0.0034, 1)).toBe('0.971(3)');
    expect(formatValueUncertainty(0.97123, 0.096, 1)).toBe('1.0(1)');
    expect(formatValueUncertainty(0.97123, 0.0034, 2)).toBe('0.9712(34)');
  });

  it('handles uncertainties above 1, zero and undefined values', () => {
    expect(formatValueUncertainty(1234.5, 23, 1)).toBe('1230(20)');
    expect(formatValueUncertainty(12.345, 2.3, 2)).toBe('12.3(23)');
    expect(formatValueUncertainty(0.5, 0)).toBe('0.5(0)');
    expect(formatValueUncertainty(NaN, 0.1)).toBe('n/a');
    expect(formatValueUncertainty(0.5, NaN)).toBe('0.5(?)');
  });
});

describe('formatMeanStd', () => {
  it('prints no uncertainty from a single value: one event has no spread, not a spread of 0', () => {
    expect(formatMeanStd(meanStd([0.4312]))).toBe('0.4312');
    expect(formatMeanStd(meanStd([311.105223]))).toBe('311.1');
    expect(formatMeanStd(meanStd([NaN]))).toBe('n/a');
    // Two values: (0.42 + 0.44) / 2 = 0.43, std 0.01 -> leading digits 100: two digits.
    expect(formatMeanStd(meanStd([0.42, 0.44]))).toBe('0.430(10)');
    // Equal values: a spread of 0 is not an uncertainty of 0.
    expect(formatMeanStd(meanStd([0.43, 0.43]))).toBe('0.43');
    expect(formatMeanStd(meanStd([0.43, 0.43]), 1)).toBe('0.43');
  });
});

describe('meanStd', () => {
  it('skips non-finite values and uses ddof 0 unless asked', () => {
    expect(meanStd([1, 2, 3, NaN])).toEqual({ mean: 2, std: Math.sqrt(2 / 3), count: 3 });
    expect(meanStd([1, 2, 3], 1).std).toBe(1);
    expect(meanStd([NaN]).mean).toBeNaN();
    expect(meanStd([0.998, 0.998, 0.998])).toEqual({ mean: 0.998, std: 0, count: 3 });
  });
});

describe('results row', () => {
  const event = (dms: number, timeGnn: number): EventResults => ({
    vdTpr: 0.99,
    vdFpr: 0.01,
    gnnTpr: 0.95,
    gnnFpr: 0.001,
    gnnAuc: 0.998,
    gnnAucNoSelf: 0.99,
    dms,
    efficiency: 0.9,
    purity: 0.8,
    timeVd: 0.1,
    timeGnn,
    timeCc: 0.02,
    timeCluster: 0.5,
  });
  // DMS over events 0.96, 0.97, 0.98: mean 0.97, std sqrt(2/3) * 0.01 = 0.0082 -> one digit (816).
  const events = [event(0.96, 0.2), event(0.97, 0.3), event(0.98, 0.4)];

  it('gives mean and std per column in value(uncertainty) notation', () => {
    const s = summarizeResults(events);
    expect(s.events).toBe(3);
    const dms = s.columns.find((c) => c.key === 'dms')!;
    expect(dms.mean).toBeCloseTo(0.97, 12);
    expect(dms.std).toBeCloseTo(0.01 * Math.sqrt(2 / 3), 12);
    expect(dms.text).toBe('0.970(8)');
    // Three equal AUCs: no spread, printed without an uncertainty.
    expect(s.columns.find((c) => c.key === 'gnnAuc')!.text).toBe('0.998');
    expect(s.columns.map((c) => c.header)).toEqual(['VD(TPR)', 'VD(FPR)', 'GNN(TPR)', 'GNN(FPR)', 'GNN(AUC)', 'AUC(noself)', 'DMS', 'EFF', 'PUR', 'time_VD', 'time_GNN', 'time_CC', 'time_cluster']);
    expect(JSON.parse(JSON.stringify(s)).columns[6].text).toBe('0.970(8)');
  });

  it('can skip the warm-up event and prints a text table and the LaTeX row', () => {
    const s = summarizeResults(events, { skipFirst: true, digits: 1 });
    expect(s.events).toBe(2);
    expect(s.columns.find((c) => c.key === 'timeGnn')!.text).toBe('0.35(5)');
    const lines = formatResultsTable(s).split('\n');
    expect(lines[0].startsWith('VD(TPR)  VD(FPR)')).toBe(true);
    expect(lines[1].split(/\s+/)[6]).toBe('0.975(5)');
    expect(formatResultsLatexRow(s).split(' & ')).toHaveLength(13);
  });

  it('leaves a timing warm-up out of the latency columns only: physics uses every event', () => {
    const s = summarizeResults(events, { timingWarmUp: 1 });
    expect([s.events, s.timingWarmUp]).toEqual([3, 1]);
    const column = (key: string) => s.columns.find((c) => c.key === key)!;
    // DMS over all three events (0.970(8) as above); time_GNN over 0.3 and 0.4: 0.35 +- 0.05.
    expect([column('dms').text, column('dms').count]).toEqual(['0.970(8)', 3]);
    expect([column('timeGnn').text, column('timeGnn').count]).toEqual(['0.35(5)', 2]);
    expect(s.columns.map((c) => c.unit)).toEqual(['', '', '', '', '', '', '', '', '', 'ms', 'ms', 'ms', 'ms']);
    expect(s.columns.filter((c) => c.kind === 'timing').map((c) => c.key)).toEqual(['timeVd', 'timeGnn', 'timeCc', 'timeCluster']);
    expect(summarizeResults(events).timingWarmUp).toBe(0);
    expect(() => summarizeResults(events, { timingWarmUp: -1 })).toThrow('timingWarmUp: must be an integer >= 0, got -1');
  });

  it('two events with one left out as warm-up: the latencies show the one value, not "(0)"', () => {
    const s = summarizeResults(events.slice(0, 2), { timingWarmUp: 1 });
    const column = (key: string) => s.columns.find((c) => c.key === key)!;
    expect([column('timeGnn').text, column('timeGnn').count]).toEqual(['0.3', 1]);
    // DMS over 0.96 and 0.97: 0.965 +- 0.005.
    expect([column('dms').text, column('dms').count]).toEqual(['0.965(5)', 2]);
    expect(formatResultsTable(s)).not.toContain('(0)');
  });
});

describe('throughputScore', () => {
  it('is (A - 0.5) sqrt(ln(1 + 600 / t)), 0 below A = 0.5', () => {
    expect(throughputScore(1, 600)).toBe(0.5 * Math.sqrt(Math.log(2)));
    expect(throughputScore(0.9, 1)).toBeCloseTo(0.4 * Math.sqrt(Math.log(601)), 14);
    expect(throughputScore(0.4, 1)).toBe(0);
  });

  it('rejects times outside (0, 600] and accuracies outside [0, 1]', () => {
    expect(() => throughputScore(0.9, 0)).toThrow('throughputScore: seconds per event must be in (0, 600], got 0');
    expect(() => throughputScore(0.9, 601)).toThrow('throughputScore: seconds per event must be in (0, 600], got 601');
    expect(() => throughputScore(1.5, 1)).toThrow('throughputScore: accuracy must be in [0, 1], got 1.5');
  });
});

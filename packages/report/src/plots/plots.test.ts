import type { HitMixing, ObservableEfficiency } from '@hypertrack/metrics';
import { markItems, parseSvg, texts } from '../testing/svg';
import { PNG_SIGNATURE, toPng } from '../png/to-png';
import { renderSpec } from '../vega/render';
import { efficiencyPlot, efficiencySpec, logTicks } from './efficiency';
import { eventScorePlot, eventScoreSpec, histogramLow } from './event-scores';
import { hitMixingPlot, hitMixingSpec } from './hit-mixing';
import { rocPlot, rocSpec, type RocSeries } from './roc';
import { trainingPlots, trainingSpecs } from './training';
import type { RunScoreEvent } from '../run/files';

const f64 = (values: number[]) => Float64Array.from(values);

// A reaches TPR 0.5 and 0.8 at point 2 and 0.9 and 0.95 at point 3: 2 marks. B: points 1, 2, 3.
const A: RocSeries = { name: 'A', curve: { thresholds: f64([Infinity, 0.9, 0.7, 0.4, 0.1]), tpr: f64([0, 0.4, 0.8, 0.95, 1]), fpr: f64([0, 0, 0.1, 0.3, 1]), auc: 0.9 } };
const B: RocSeries = { name: 'B', curve: { thresholds: f64([Infinity, 0.8, 0.5, 0.2]), tpr: f64([0, 0.6, 0.9, 1]), fpr: f64([0, 0.05, 0.2, 1]), auc: 0.93 } };

describe('ROC plot', () => {
  test('linear: two curves and the diagonal, AUCs in the legend, threshold marks', async () => {
    const svg = parseSvg((await rocPlot([A, B])).svg);
    const labels = texts(svg);
    expect(labels).toEqual(expect.arrayContaining(['false positive rate (FPR)', 'true positive rate (TPR)', 'A  (AUC 0.9000)', 'B  (AUC 0.9300)']));
    expect(markItems(svg, 'line')).toHaveLength(3);
    expect(markItems(svg, 'symbol')).toHaveLength(5);
    // Each threshold label is drawn twice: a white halo, then the text.
    const marks = markItems(svg, 'text').map((t) => t.text);
    expect(marks.sort()).toEqual(['0.2', '0.2', '0.5', '0.5', '0.4', '0.4', '0.7', '0.7', '0.8', '0.8'].sort());
  });

  test('log FPR: points at FPR 0 are left out; the axis says so', async () => {
    const svg = parseSvg((await rocPlot([A, B], { scale: 'log' })).svg);
    expect(texts(svg)).toContain('false positive rate (FPR), log scale');
    expect(markItems(svg, 'symbol')).toHaveLength(5);
    const spec = JSON.stringify(rocSpec([A], { scale: 'log' }));
    expect(spec).not.toContain('"fpr":0,');
  });

  test('no TPR level reached at FPR 0 is marked on the log plot', async () => {
    const step: RocSeries = { name: 'S', curve: { thresholds: f64([Infinity, 0.9, 0.2]), tpr: f64([0, 0.96, 1]), fpr: f64([0, 0, 1]), auc: 0.98 } };
    expect(markItems(parseSvg((await rocPlot([step])).svg), 'symbol')).toHaveLength(1);
    expect(markItems(parseSvg((await rocPlot([step], { scale: 'log' })).svg), 'symbol')).toHaveLength(0);
  });

  test('a missing AUC reads n/a', async () => {
    const svg = parseSvg((await rocPlot([{ ...A, curve: { ...A.curve, auc: NaN } }])).svg);
    expect(texts(svg)).toContain('A  (AUC n/a)');
  });
});

const observable: ObservableEfficiency = {
  key: 'pt_low',
  label: 'pT (GeV)',
  logX: false,
  edges: f64([0, 1, 2, 3, 4]),
  all: Int32Array.from([3, 0, 3, 1]),
  denominator: Int32Array.from([2, 0, 3, 1]),
  numerator: Int32Array.from([1, 0, 3, 0]),
  efficiency: f64([0.5, NaN, 1, 0]),
  error: f64([Math.sqrt(0.125), NaN, 0, 0]),
  wilsonLow: f64([0, NaN, 0, 0]),
  wilsonHigh: f64([1, NaN, 1, 1]),
  meanHitPurity: f64([1, NaN, 1, NaN]),
  meanHitEfficiency: f64([1, NaN, 1, NaN]),
  outside: 2,
};

describe('efficiency plot', () => {
  test('count bars over a ratio panel with error bars', async () => {
    const svg = parseSvg((await efficiencyPlot(observable, { hitsMin: 4 })).svg);
    const labels = texts(svg);
    expect(labels).toEqual(expect.arrayContaining(['transverse momentum pT (GeV)', 'tracks per bin', 'efficiency', 'true tracks (≥ 4 hits)', 'matched (double majority)']));
    expect(labels.some((t) => t.includes('4 of 6 matched (0.6667); 2 outside'))).toBe(true);
    // Bars: 3 bins with true tracks + 2 with matched ones; points: the 3 bins with a denominator.
    expect(markItems(svg, 'rect')).toHaveLength(5);
    expect(markItems(svg, 'symbol')).toHaveLength(3);
    // 3 vertical error bars, 3 bin-width bars and the dashed line at 1.
    expect(markItems(svg, 'rule')).toHaveLength(7);
  });

  test('the ratio panel spans 0 to 1.1 and error bars stay inside [0, 1]', () => {
    const spec = JSON.stringify(efficiencySpec(observable));
    expect(spec).toContain('"domain":[0,1.1]');
    const high = [...spec.matchAll(/"high":([\d.e-]+)/g)].map((m) => Number(m[1]));
    expect(high).toHaveLength(3);
    expect(Math.max(...high)).toBeLessThanOrEqual(1);
  });

  test('log axes get 1-2-5 ticks', () => {
    expect(logTicks(0.1, 20)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10, 20]);
  });
});

describe('hit-mixing plot', () => {
  test('one cell per occupied (true, reco) pair, labelled with its column percentage', async () => {
    const size = 6;
    const counts = new Int32Array(size * size);
    const columnPercent = new Float64Array(size * size);
    const set = (t: number, r: number, c: number, p: number) => ((counts[t * size + r] = c), (columnPercent[t * size + r] = p));
    set(4, 4, 3, 75);
    set(5, 4, 1, 25);
    set(5, 5, 2, 100);
    const m: HitMixing = { size, counts, columnPercent, outside: 1 };
    const svg = parseSvg((await hitMixingPlot(m)).svg);
    expect(texts(svg)).toEqual(expect.arrayContaining(['hits in the reconstructed cluster', 'hits of the true track', '4', '5']));
    expect(texts(svg)).not.toContain('3');
    expect(markItems(svg, 'rect')).toHaveLength(3);
    expect(markItems(svg, 'text').map((t) => t.text).sort()).toEqual(['100', '25', '75']);
  });
});

describe('per-event score histograms', () => {
  const events: RunScoreEvent[] = [
    { eventId: 1, hits: 10, tracks: 2, trackmlScore: 0.9, dms: 0.9, efficiency: 0.9, purity: 0.9 },
    { eventId: 2, hits: 10, tracks: 2, trackmlScore: 0.91, dms: 0.91, efficiency: 0.91, purity: 0.91 },
    { eventId: 3, hits: 10, tracks: 2, trackmlScore: 0.95, dms: 0.95, efficiency: 0.95, purity: null },
  ];

  test('four panels titled with mean ± std; one bar per occupied bin', async () => {
    const svg = parseSvg((await eventScorePlot(events)).svg);
    const labels = texts(svg);
    expect(labels).toEqual(expect.arrayContaining(['TrackML score: 0.9200 ± 0.0216', 'purity: 0.9050 ± 0.0050', 'value per event', 'events']));
    // 0.9 and 0.91 share the bin [0.9, 0.925); 0.95 has its own; purity lacks event 3.
    expect(markItems(svg, 'rect')).toHaveLength(7);
  });

  test('the range starts at 0.5 unless a score is lower', () => {
    expect(histogramLow([0.7, 0.99])).toBe(0.5);
    expect(histogramLow([0.31, 0.99])).toBe(0.3);
    expect(histogramLow([-0.2])).toBe(0);
    expect(JSON.stringify(eventScoreSpec(events))).toContain('"domain":[0.5,1]');
  });
});

describe('training curves', () => {
  test('loss, learning rate and other metrics each get a plot; loss on a log axis', async () => {
    const plots = await trainingPlots([
      { iteration: 1, phase: 'train', loss: 0.5, lr: 0.001, auc: 0.8 },
      { iteration: 2, phase: 'train', loss: 0.4, lr: 0.0009, auc: 0.85, note: 'x' },
      { iteration: 2, phase: 'validate', loss: 0.45 },
    ]);
    expect(plots.map((p) => p.name)).toEqual(['training-loss', 'training-lr', 'training-metrics']);
    const loss = parseSvg(plots[0].svg);
    expect(texts(loss)).toEqual(expect.arrayContaining(['loss (log scale)', 'iteration', 'loss (train)', 'loss (validate)']));
    expect(markItems(loss, 'line')).toHaveLength(2);
    expect(texts(parseSvg(plots[1].svg))).toContain('learning rate (log scale)');
  });

  test('a loss that is not positive everywhere stays on a linear axis; absent groups make no plot', () => {
    const specs = trainingSpecs([
      { iteration: 1, loss: 0.2 },
      { iteration: 2, loss: -0.1 },
    ]);
    expect(specs.map((s) => s.name)).toEqual(['training-loss']);
    expect(JSON.stringify(specs[0].spec)).not.toContain('"type":"log"');
  });

  test('long logs are averaged down to maxPoints per line', () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({ iteration: i + 1, loss: 1 }));
    const spec = trainingSpecs(records, { maxPoints: 100 })[0].spec as { data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(100);
  });
});

describe('every plot compiles without vega-lite or vega warnings', () => {
  test.each([
    ['roc', () => rocSpec([A, B])],
    ['roc log', () => rocSpec([A, B], { scale: 'log' })],
    ['efficiency', () => efficiencySpec(observable)],
    ['efficiency log', () => efficiencySpec({ ...observable, key: 'pt_high_log', logX: true, edges: f64([0.1, 1, 2, 5, 20]) })],
    ['event scores', () => eventScoreSpec([{ eventId: 1, hits: 1, tracks: 1, trackmlScore: 0.8, dms: 0.8, efficiency: 1, purity: 1 }])],
    ['training', () => trainingSpecs([{ iteration: 1, loss: 1, lr: 1, auc: 1 }])[2].spec],
  ])('%s', async (_name, spec) => {
    expect((await renderSpec(spec())).warnings).toEqual([]);
  });

  test('hit mixing', async () => {
    const m: HitMixing = { size: 3, counts: Int32Array.from([0, 0, 0, 0, 1, 0, 0, 0, 1]), columnPercent: f64([0, 0, 0, 0, 100, 0, 0, 0, 100]), outside: 0 };
    expect((await renderSpec(hitMixingSpec(m))).warnings).toEqual([]);
  });
});

describe('PNG', () => {
  test('has the PNG signature, and text is drawn with the loaded fonts', async () => {
    const { svg } = await rocPlot([A]);
    const png = toPng(svg);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // Without fonts resvg drops all text, so the two images differ only if text was drawn.
    const noText = toPng(svg, { fontFiles: [] });
    expect(noText.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.equals(noText)).toBe(false);
    expect(png.length).toBeGreaterThan(noText.length);
  });

  test('scale sets the pixel size', async () => {
    const { svg } = await hitMixingPlot({ size: 2, counts: Int32Array.from([1, 0, 0, 1]), columnPercent: f64([100, 0, 0, 100]), outside: 0 });
    const width = (png: Buffer) => png.readUInt32BE(16);
    const svgWidth = Number(/width="(\d+)"/.exec(svg)?.[1]);
    expect(width(toPng(svg, { scale: 1 }))).toBe(svgWidth);
    expect(width(toPng(svg))).toBe(2 * svgWidth);
  });
});

describe('an empty efficiency histogram', () => {
  test('still has a readable count axis and says why it is empty', async () => {
    const zero = new Int32Array(4);
    const empty: ObservableEfficiency = { ...observable, all: zero, denominator: zero, numerator: zero, efficiency: f64([NaN, NaN, NaN, NaN]), error: f64([NaN, NaN, NaN, NaN]), outside: 9 };
    const svg = parseSvg((await efficiencyPlot(empty)).svg);
    const labels = texts(svg);
    expect(labels).toContain('all tracks: no true track in this range (9 outside it)');
    expect(labels).toEqual(expect.arrayContaining(['0', '1']));
    expect(labels.some((t) => /0\.0000/.test(t))).toBe(false);
    expect(markItems(svg, 'rect')).toHaveLength(0);
    expect(markItems(svg, 'symbol')).toHaveLength(0);
  });
});

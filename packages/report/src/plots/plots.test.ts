import { doubleMajority, trackingPerformance, type HitMixing, type ObservableEfficiency } from '@hypertrack/metrics';
import { markItems, parseSvg, textLines, texts } from '../testing/svg';
import { PNG_SIGNATURE, toPng } from '../png/to-png';
import { renderSpec } from '../vega/render';
import { efficiencyPlot, efficiencySpec, logTicks } from './efficiency';
import { eventScorePlot, eventScoreSpec, histogramLow } from './event-scores';
import { hitMixingPlot, hitMixingSpec } from './hit-mixing';
import { rocPlot, rocSpec, type RocSeries } from './roc';
import { stageTimingPlot, stageTimingSpec, type StageTimes } from './stage-timing';
import { trackingRegionPlot, trackingRegionSpec } from './tracking';
import { trainingGroup, trainingPlots, trainingSpecs, unplottedKeys } from './training';
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

  test('four panels titled with mean(std) as the results table writes it; one bar per occupied bin', async () => {
    const svg = parseSvg((await eventScorePlot(events)).svg);
    const labels = texts(svg);
    // TrackML: mean 0.92, std sqrt(((0.02)^2 + (0.01)^2 + (0.03)^2) / 3) = 0.0216 -> (22); purity: 0.905 +- 0.005.
    expect(labels).toEqual(expect.arrayContaining(['TrackML score: 0.920(22)', 'purity: 0.905(5)', 'value per event', 'events']));
    // 0.9 and 0.91 share the bin [0.9, 0.925); 0.95 has its own; purity lacks event 3.
    expect(markItems(svg, 'rect')).toHaveLength(7);
    expect(JSON.stringify(eventScoreSpec(events))).toContain('"columns":2');
  });

  test('a score without values (inference: no TrackML score) has no panel; the rest share one row', async () => {
    const inference = events.map((e) => ({ ...e, trackmlScore: null }));
    const svg = parseSvg((await eventScorePlot(inference)).svg);
    const labels = textLines(svg);
    expect(labels.some((t) => t.startsWith('TrackML score:'))).toBe(false);
    expect(labels).toContain('no value in any event, so no panel: TrackML score');
    expect(labels.filter((t) => /^(double-majority score \(DMS\)|efficiency|purity): /.test(t))).toHaveLength(3);
    // One row of three: no place without a panel (whose bare axis showed as an untitled fourth panel).
    expect(JSON.stringify(eventScoreSpec(inference))).toContain('"columns":3');
    expect(labels.filter((t) => t === 'value per event')).toHaveLength(3);
  });

  test('one event: its value without an uncertainty, never "(0)"', async () => {
    const labels = texts(parseSvg((await eventScorePlot(events.slice(0, 1))).svg));
    expect(labels).toContain('TrackML score: 0.9');
    expect(labels.some((t) => t.includes('(0)'))).toBe(false);
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

  test('only measurements are plotted: counters and ids are named as left out; step times get a plot in ms', async () => {
    const records = [
      { iteration: 0, loss: 0.5, lr: 0.002, grad_norm: 3.4, trn_edge_auc: 0.58, hits: 1874, edges: 34920, step_ms: 1414, vd_ms: 28, event: 23, tensors: 367, tensor_mb: 1.88, val_loss: 0.6, val_edge_auc: 0.5, val_event: 109, skipped: 0 },
      { iteration: 1, loss: 0.4, lr: 0.002, grad_norm: 1.0, trn_edge_auc: 0.71, hits: 2222, edges: 48244, step_ms: 1056, vd_ms: 32, event: 58, tensors: 367, tensor_mb: 1.88, skipped: 0 },
    ];
    expect(['hits', 'edges', 'event', 'val_event', 'tensors', 'tensor_mb', 'skipped', 'clusters', 'trials'].map(trainingGroup)).toEqual(Array(9).fill(null));
    expect(['loss', 'val_loss', 'lr', 'step_ms', 'vd_ms', 'trn_edge_auc', 'val_edge_auc_noself', 'grad_norm', 'val_majority_score', 'efficiency', 'val_purity'].map(trainingGroup)).toEqual([
      'loss',
      'loss',
      'lr',
      'timing',
      'timing',
      'metric',
      'metric',
      'metric',
      'metric',
      'metric',
      'metric',
    ]);
    expect(unplottedKeys(records)).toEqual(['hits', 'edges', 'event', 'tensors', 'tensor_mb', 'val_event', 'skipped']);
    const plots = await trainingPlots(records);
    expect(plots.map((p) => p.name)).toEqual(['training-loss', 'training-lr', 'training-timing', 'training-metrics']);
    const timing = texts(parseSvg(plots[2].svg));
    expect(timing).toEqual(expect.arrayContaining(['time (ms)', 'step_ms', 'vd_ms']));
    const metrics = textLines(parseSvg(plots[3].svg));
    expect(metrics).toEqual(expect.arrayContaining(['grad_norm', 'trn_edge_auc', 'val_edge_auc', 'not plotted (counters, ids, flags): hits, edges, event, tensors, tensor_mb, val_event, skipped']));
    for (const counter of ['hits', 'tensors', 'val_event', 'edges']) expect(metrics).not.toContain(counter);
    // Three panels in two columns: each panel has its own x axis, none stands under the empty place.
    expect(metrics.filter((t) => t === 'iteration')).toHaveLength(3);
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

// Tracking toy: P0 (2 GeV, barrel, 4 hits) matched by C0; P1 (0.5 GeV, end-cap z > 0, 4 hits) split in
// two halves (no match); C2 is 4 noise hits (a fake).
const toyTracking = (() => {
  const truthLabel = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1]);
  const recoLabel = Int32Array.from([0, 0, 0, 0, 1, 1, 3, 3, 2, 2, 2, 2]);
  const volumeId = Int32Array.from([8, 8, 13, 17, 9, 9, 14, 14, 8, 8, 8, 8]);
  return { truthLabel, match: doubleMajority(truthLabel, recoLabel), particles: { px: [2, 0.5], py: [0, 0], vx: [0, 0], vy: [0, 0] }, volumeId };
})();

describe('tracking performance by region', () => {
  test('one bar per region and selection, labelled with matched / particles', async () => {
    const t = trackingPerformance(toyTracking);
    const svg = parseSvg((await trackingRegionPlot(t)).svg);
    const labels = textLines(svg);
    expect(labels).toEqual(expect.arrayContaining(['Efficiency by detector region', 'efficiency', 'barrel', 'end-cap z < 0', 'end-cap z > 0', 'reconstructable (≥ 4 hits)', 'reconstructable, pT > 1 GeV']));
    // barrel: 1 / 1 twice (P0 has 2 GeV); end-cap z < 0: 0 / 0 twice; end-cap z > 0: 0 / 1 and 0 / 0.
    expect(markItems(svg, 'text').map((m) => m.text)).toEqual(['1 / 1', '1 / 1', '0 / 0', '0 / 0', '0 / 1', '0 / 0']);
    // Bars of zero height are still items; the ones with height are the barrel's two.
    expect(markItems(svg, 'rect').filter((r) => Number(r.attrs.height ?? /[Vv]\s*([\d.]+)/.exec(r.attrs.d ?? '')?.[1] ?? 0) > 0).length).toBeGreaterThanOrEqual(2);
  });
});

const STAGES: StageTimes[] = [
  { stage: 'graph (VD cells + edges)', ms: [40, 10, 20] },
  { stage: 'GNN edge scores', ms: [300, 100, 140] },
  { stage: 'clustering (rest)', ms: [null, null, null] },
];

describe('time per stage', () => {
  test('mean bars over the events after the warm-up, a dot per event, axis in ms', async () => {
    const svg = parseSvg((await stageTimingPlot(STAGES, { warmUp: 1 })).svg);
    const labels = textLines(svg);
    expect(labels).toEqual(expect.arrayContaining(['time per event (ms)', 'graph (VD cells + edges)', 'GNN edge scores', 'warm-up event (not in the mean)', 'each event']));
    expect(labels).toContain("bars: mean over 2 events, the first one left out as the backend's warm-up; whiskers: standard deviation");
    // Means without the warm-up: (10 + 20) / 2 = 15 and (100 + 140) / 2 = 120; a stage never measured has no bar.
    expect(markItems(svg, 'text').map((m) => m.text)).toEqual(['15 ms', '120 ms']);
    expect(markItems(svg, 'rect')).toHaveLength(2);
    expect(markItems(svg, 'symbol')).toHaveLength(6);
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
    ['training timing', () => trainingSpecs([{ iteration: 1, step_ms: 1 }])[0].spec],
    ['tracking regions', () => trackingRegionSpec(trackingPerformance(toyTracking))],
    ['stage timing', () => stageTimingSpec(STAGES, { warmUp: 1 })],
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

import { doubleMajority, summarizeResults, trackingPerformance } from '@hypertrack/metrics';
import { parseXml, walk } from '../testing/svg';
import { hitMixingPlot } from '../plots/hit-mixing';
import { rocPlot } from '../plots/roc';
import { inlineSvg } from './escape';
import { renderReport, type ReportInput, type ReportPlot } from './render-report';

const f64 = (values: number[]) => Float64Array.from(values);
const roc = { name: 'GNN', curve: { thresholds: f64([Infinity, 0.5, 0.1]), tpr: f64([0, 0.9, 1]), fpr: f64([0, 0.1, 1]), auc: 0.95 } };

async function plots(): Promise<ReportPlot[]> {
  const mixing = { size: 2, counts: Int32Array.from([1, 0, 0, 1]), columnPercent: f64([100, 0, 0, 100]), outside: 0 };
  const svg = (await rocPlot([roc])).svg;
  return [
    { section: 'events', name: 'event-scores', title: 'scores', svg },
    { section: 'roc', name: 'roc-linear', title: 'ROC', svg },
    { section: 'efficiency', name: 'efficiency-inclusive-eta', title: 'eta', svg, group: 'all tracks' },
    { section: 'efficiency', name: 'efficiency-r0_xy_more_10mm-eta', title: 'eta, displaced', svg, group: 'tracks with r0_xy > 10 mm' },
    { section: 'hit-mixing', name: 'hit-mixing', title: 'mixing', svg: (await hitMixingPlot(mixing)).svg },
    { section: 'training', name: 'training-loss', title: 'loss', svg },
  ];
}

// Two events, the first one a timing warm-up: physics over both, latencies (ms) over the second.
const results = summarizeResults(
  [
    { vdTpr: 0.99, vdFpr: 0.02, gnnTpr: 0.95, gnnFpr: 0.004, gnnAuc: NaN, gnnAucNoSelf: NaN, dms: 0.91, efficiency: 0.93, purity: 0.97, timeVd: 40, timeGnn: 300, timeCc: 4, timeCluster: 0 },
    { vdTpr: 0.98, vdFpr: 0.03, gnnTpr: 0.94, gnnFpr: 0.005, gnnAuc: NaN, gnnAucNoSelf: NaN, dms: 0.92, efficiency: 0.94, purity: 0.96, timeVd: 16.1, timeGnn: 120.5, timeCc: 4.6, timeCluster: 0 },
  ],
  { timingWarmUp: 1 },
);
// Tracking: P0 (2 GeV, 4 barrel hits) is matched by C0; P1 (0.5 GeV, 4 hits in the end-cap at z > 0)
// is split into C1 and C3 of 2 hits each (too small to be tracks, no match); C2 is 4 noise hits (a
// fake). Reconstructable 1 of 2, pT > 1 GeV 1 of 1; tracks C0 and C2: 1 fake of 2, no duplicate.
const trackingEvent = (() => {
  const truthLabel = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1]);
  const recoLabel = Int32Array.from([0, 0, 0, 0, 1, 1, 3, 3, 2, 2, 2, 2]);
  const volumeId = Int32Array.from([8, 8, 13, 17, 9, 9, 14, 14, 8, 8, 8, 8]);
  return { truthLabel, match: doubleMajority(truthLabel, recoLabel), particles: { px: [2, 0.5], py: [0, 0], vx: [0, 0], vy: [0, 0] }, volumeId };
})();
const tracking = trackingPerformance(trackingEvent);
const events = [
  { eventId: 1000, hits: 120, tracks: 10, trackmlScore: 0.9, dms: 0.91, efficiency: 0.93, purity: 0.97 },
  { eventId: 1001, hits: 130, tracks: 11, trackmlScore: null, dms: 0.92, efficiency: 0.94, purity: 0.96 },
];

const SECTION_IDS = ['run', 'results', 'tracking', 'events', 'efficiency', 'roc', 'hit-mixing', 'training'];
const sectionsOf = (html: string) => [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);

describe('renderReport', () => {
  let full: string;
  beforeAll(async () => {
    const input: ReportInput = {
      title: 'Run <x>',
      metadata: { tag: 'tune-5', note: 'a & b', seed: 1, commit: null },
      results,
      tracking,
      events,
      plots: await plots(),
      notes: { efficiency: ['tracks with r0_xy > 10 mm: no true track with ≥ 4 hits in the range of r0xy_1 (0 to 0.1), so no plot of it.'] },
      generated: '2026-01-01T00:00:00Z',
    };
    full = renderReport(input);
  });

  test('a full input has every section, in order, with a table of contents', () => {
    expect(sectionsOf(full)).toEqual(SECTION_IDS);
    for (const id of SECTION_IDS) expect(full).toContain(`<a href="#${id}">`);
    expect(full.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(full).toContain('<title>Run &lt;x&gt;</title>');
  });

  test('is well-formed, with every plot inline', () => {
    const doc = parseXml(full);
    const svgs = [...walk(doc)].filter((e) => e.name === 'svg');
    expect(svgs).toHaveLength(6);
    expect([...walk(doc)].filter((e) => e.name === 'figure').map((e) => e.attrs.id)).toEqual([
      'plot-event-scores',
      'plot-efficiency-inclusive-eta',
      'plot-efficiency-r0_xy_more_10mm-eta',
      'plot-roc-linear',
      'plot-hit-mixing',
      'plot-training-loss',
    ]);
    // Every figure: its title first, then its plot.
    for (const figure of [...walk(doc)].filter((e) => e.name === 'figure')) expect(figure.children.map((c) => c.name)).toEqual(['figcaption', 'svg']);
  });

  test('tables: metadata escaped, results in value(uncertainty) notation, per-event rows', () => {
    expect(full).toContain('<tr><th class="key">note</th><td>a &amp; b</td></tr>');
    expect(full).toContain('<tr><th class="key">commit</th><td>–</td></tr>');
    const dms = results.columns.find((c) => c.key === 'dms');
    expect(dms?.text).toBe('0.915(5)');
    expect(full).toContain('<td>0.915(5)</td>');
    expect(full).toContain('<tr><td class="key">1001</td><td>130</td><td>11</td><td>–</td><td>0.9200</td><td>0.9400</td><td>0.9600</td></tr>');
  });

  test('results: physics over every event, latencies in ms over the events after the warm-up, each unit in its header', () => {
    const doc = parseXml(full);
    const table = (id: string) => [...walk(doc)].find((e) => e.name === 'table' && e.attrs.id === id)!;
    const headers = (id: string) => [...walk(table(id))].filter((e) => e.name === 'th' && e.attrs.class !== 'key').map((e) => e.text);
    expect(headers('results-physics')).toEqual(['VD(TPR)', 'VD(FPR)', 'GNN(TPR)', 'GNN(FPR)', 'DMS', 'EFF', 'PUR']);
    expect(headers('results-timing')).toEqual(['time_VD (ms)', 'time_GNN (ms)', 'time_CC (ms)', 'time_cluster (ms)']);
    expect(full).toContain('<caption>Physics: fractions, over all 2 events</caption>');
    expect(full).toContain("<caption>Latency per event in milliseconds, over 1 event, the first one left out as the backend&#39;s warm-up</caption>");
    // One event after the warm-up: its values, without an uncertainty of "(0)".
    expect(full).toMatch(/<th class="key">mean\(std\)<\/th><td>16\.1<\/td><td>120\.5<\/td><td>4\.6<\/td><td>0<\/td>/);
    expect(full).not.toMatch(/\(0\)</);
    expect(full).toMatch(/<th class="key">events used<\/th>(<td>1<\/td>){4}/);
    // The AUC columns have no finite value: left out, and named.
    expect(full).toContain('No value in this run, so not shown: GNN(AUC), AUC(noself).');
  });

  test('tracking performance: target-particle efficiency, fake and duplicate rates, regions with counts', () => {
    expect(sectionsOf(full)).toContain('tracking');
    expect(full).toContain('<tr><th class="key">reconstructable (≥ 4 hits), any vertex</th><td>1</td><td>2</td><td class="value">0.50(35)</td></tr>');
    expect(full).toContain('<tr><th class="key">reconstructable, pT &gt; 1 GeV</th><td>1</td><td>1</td><td class="value">1</td></tr>');
    // C1 and C3 have 2 hits: the tracks are C0 (matched) and C2 (noise: a fake).
    expect(full).toContain('<tr id="fake-rate"><th class="key">fake (no particle holds a strict majority of its hits)</th><td>1</td><td>2</td><td class="value">0.50(35)</td></tr>');
    expect(full).toMatch(/<tr id="duplicate-rate"><th class="key">duplicate [^<]*<\/th><td>0<\/td><td>2<\/td><td class="value">0<\/td><\/tr>/);
    expect(full).toContain('<tr><th class="key">barrel</th><td>8, 13, 17</td><td>1</td><td>1</td><td class="value">1</td><td>1</td><td>1</td><td class="value">1</td></tr>');
    expect(full).toContain('<tr><th class="key">end-cap z &gt; 0</th><td>9, 14, 18</td><td>0</td><td>1</td><td class="value">0</td><td>0</td><td>0</td><td class="value">–</td></tr>');
  });

  test('notes say what a section leaves out; a results row over fewer events than the table says so', () => {
    expect(full).toContain('<p class="note">tracks with r0_xy &gt; 10 mm: no true track with ≥ 4 hits in the range of r0xy_1 (0 to 0.1), so no plot of it.</p>');
    expect(full).not.toContain('This results row summarises');
    const old = renderReport({ results: summarizeResults([results.columns].map(() => ({ vdTpr: 1, vdFpr: 0, gnnTpr: 1, gnnFpr: 0, gnnAuc: 1, gnnAucNoSelf: 1, dms: 1, efficiency: 1, purity: 1, timeVd: 1, timeGnn: 1, timeCc: 1, timeCluster: 1 }))), events, generated: 'x' });
    expect(old).toContain('This results row summarises 1 event; the per-event table and plots below hold 2.');
  });

  test('a per-event score no event has gets no column', () => {
    const html = renderReport({ events: events.map((e) => ({ ...e, trackmlScore: null })), generated: 'x' });
    expect(html).toContain('<tr><th class="key">event</th><th>hits</th><th>tracks</th><th>DMS</th><th>efficiency</th><th>purity</th></tr>');
  });

  test('efficiency categories are collapsible groups, the first one open', () => {
    expect(full).toContain('<details open=""><summary>all tracks (1 plot)</summary>');
    expect(full).toContain('<details><summary>tracks with r0_xy &gt; 10 mm (1 plot)</summary>');
  });

  test('nothing is loaded from outside: no scripts, links, imports or URLs but XML namespaces', () => {
    const urls = [...full.matchAll(/https?:\/\/[^\s"')<>]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    for (const url of urls) expect(full).toMatch(new RegExp(`xmlns(:xlink)?="${url}"`));
    expect(full).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
  });

  test('ids are unique across the inlined plots and references follow them', () => {
    const ids = [...full.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of full.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
  });

  test('absent data means absent sections', () => {
    const html = renderReport({ results, generated: 'x' });
    expect(sectionsOf(html)).toEqual(['results']);
    expect(html).not.toContain('<svg');
    expect(sectionsOf(renderReport({ events, generated: 'x' }))).toEqual(['events']);
    expect(sectionsOf(renderReport({ plots: [{ section: 'training', name: 'l', title: 't', svg: '<svg xmlns="http://www.w3.org/2000/svg"/>' }] }))).toEqual(['training']);
    expect(sectionsOf(renderReport({ tracking, generated: 'x' }))).toEqual(['tracking']);
    const empty = renderReport({ metadata: {} });
    expect(sectionsOf(empty)).toEqual([]);
    expect(empty).toContain('nothing to report');
  });
});

describe('inlineSvg', () => {
  test('prefixes ids and their url(#) and href references, drops the XML declaration', () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><use href="#clip1"/><path fill="url(#other)"/></g></svg>';
    expect(inlineSvg(svg, 'p3-')).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="p3-clip1"><rect/></clipPath></defs><g clip-path="url(#p3-clip1)"><use href="#p3-clip1"/><path fill="url(#other)"/></g></svg>',
    );
  });
});

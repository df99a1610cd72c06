import { summarizeResults } from '@hypertrack/metrics';
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

const results = summarizeResults([
  { vdTpr: 0.99, vdFpr: 0.02, gnnTpr: 0.95, gnnFpr: 0.004, gnnAuc: NaN, gnnAucNoSelf: NaN, dms: 0.91, efficiency: 0.93, purity: 0.97, timeVd: 0.1, timeGnn: 0.2, timeCc: 0.01, timeCluster: 0.3 },
  { vdTpr: 0.98, vdFpr: 0.03, gnnTpr: 0.94, gnnFpr: 0.005, gnnAuc: NaN, gnnAucNoSelf: NaN, dms: 0.92, efficiency: 0.94, purity: 0.96, timeVd: 0.1, timeGnn: 0.2, timeCc: 0.01, timeCluster: 0.3 },
]);
const events = [
  { eventId: 1000, hits: 120, tracks: 10, trackmlScore: 0.9, dms: 0.91, efficiency: 0.93, purity: 0.97 },
  { eventId: 1001, hits: 130, tracks: 11, trackmlScore: null, dms: 0.92, efficiency: 0.94, purity: 0.96 },
];

const SECTION_IDS = ['run', 'results', 'events', 'roc', 'efficiency', 'hit-mixing', 'training'];
const sectionsOf = (html: string) => [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);

describe('renderReport', () => {
  let full: string;
  beforeAll(async () => {
    const input: ReportInput = { title: 'Run <x>', metadata: { tag: 'tune-5', note: 'a & b', seed: 1, commit: null }, results, events, plots: await plots(), generated: '2026-01-01T00:00:00Z' };
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
      'plot-roc-linear',
      'plot-efficiency-inclusive-eta',
      'plot-efficiency-r0_xy_more_10mm-eta',
      'plot-hit-mixing',
      'plot-training-loss',
    ]);
  });

  test('tables: metadata escaped, results in value(uncertainty) notation, per-event rows', () => {
    expect(full).toContain('<tr><th class="key">note</th><td>a &amp; b</td></tr>');
    expect(full).toContain('<tr><th class="key">commit</th><td>–</td></tr>');
    const dms = results.columns.find((c) => c.key === 'dms');
    expect(dms?.text).toBe('0.915(5)');
    expect(full).toContain('<td>0.915(5)</td>');
    expect(full).toContain('<th>time_VD (ms)</th>');
    // The AUC column has no finite value.
    expect(full).toMatch(/<th class="key">events used<\/th>(<td>2<\/td>){4}<td>0<\/td>/);
    expect(full).toContain('<tr><td class="key">1001</td><td>130</td><td>11</td><td>–</td><td>0.9200</td><td>0.9400</td><td>0.9600</td></tr>');
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

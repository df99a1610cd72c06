/**
 * The report as a reader sees it: a run folder written with the library (simulated events scored
 * against a perturbed reconstruction, written by RunFolderWriter), its report.html rendered by a
 * real headless Chromium at 1280 px, and what is visible checked in the page.
 *
 * Needs Debian's `chromium` package (or $CHROMIUM_PATH); without it the test fails and says so.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrackingPerformance } from '@hypertrack/metrics';
import { voxdynPlots } from '../plots/voxdyn';
import { RUN_FILES } from '../run/files';
import { writeRunComparison } from '../compare/compare';
import { writeRunReport } from '../run/write';
import { RunFolderWriter } from '../run/writer';
import { Chromium, findChromium, type ChromiumPage } from '../testing/chromium';
import { runFixture, type RunFixture } from '../testing/fixtures';

const WIDTH = 1280;

/** What the page shows, gathered in the browser (see `INSPECT`). */
interface Inspection {
  pageScrollWidth: number;
  viewportWidth: number;
  tables: { id: string; scrollWidth: number; clientWidth: number; headers: string[] }[];
  figures: { id: string; title: string; svgWidth: number; marks: number; texts: string[]; panels: { title: string; marks: number }[]; bareAxes: number }[];
  rows: Record<string, string[][]>;
  sections: string[];
}

/**
 * Runs in the page: every results table's scroll and client width and its headers; every figure's
 * title, marks, texts, facet panels (each with its title and marks) and footer axes that stand
 * under no panel; the rows of the tracking tables.
 */
const INSPECT = `(() => {
  const text = (e) => (e.textContent || '').replace(/\\s+/g, ' ').trim();
  const box = (e) => e.getBoundingClientRect();
  const tables = [...document.querySelectorAll('table.results')].map((t) => {
    const wrap = t.closest('.fit');
    return { id: t.id, scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, headers: [...t.querySelectorAll('tr:first-of-type th:not(.key)')].map(text) };
  });
  const marksIn = (root) => [...root.querySelectorAll('g.role-mark')].reduce((n, g) => n + g.children.length, 0);
  const figures = [...document.querySelectorAll('figure')].map((f) => {
    const svg = f.querySelector('svg');
    const cells = svg ? [...svg.querySelectorAll('g.role-scope.cell > g')] : [];
    const panels = cells.map((c) => ({ title: [...c.querySelectorAll('.role-title-text text')].map(text).join(' '), marks: marksIn(c) }));
    const footers = svg ? [...svg.querySelectorAll('g.role-column-footer > g')] : [];
    const bareAxes = footers.filter((a) => {
      const b = box(a);
      return !cells.some((c) => { const p = box(c); return Math.abs(p.left - b.left) < 40 && b.top - p.bottom > -2 && b.top - p.bottom < 40; });
    }).length;
    return {
      id: f.id,
      title: text(f.querySelector('figcaption') || f),
      svgWidth: svg ? box(svg).width : 0,
      marks: svg ? marksIn(svg) : 0,
      texts: svg ? [...svg.querySelectorAll('text')].map(text) : [],
      panels,
      bareAxes,
    };
  });
  const rows = {};
  for (const t of document.querySelectorAll('#tracking table')) rows[t.id] = [...t.querySelectorAll('tr')].map((r) => [...r.children].map(text));
  return {
    pageScrollWidth: document.documentElement.scrollWidth,
    viewportWidth: window.innerWidth,
    tables,
    figures,
    rows,
    sections: [...document.querySelectorAll('section')].map((s) => s.id),
  };
})()`;

let fixture: RunFixture;
let work: string;
let browser: Chromium | undefined;
let page: ChromiumPage;
let seen: Inspection;

beforeAll(async () => {
  const executable = findChromium();
  if (executable === null) throw new Error('chromium is not installed: apt-get install chromium (Debian package chromium), or point CHROMIUM_PATH at a Chrome or Chromium');
  work = mkdtempSync(join(tmpdir(), 'report-browser-'));
  const dir = join(work, 'run');
  // An inference run folder, as infer writes it: no TrackML score per event, stage times in ms,
  // the first event a timing warm-up; plus a training log to check what it plots.
  fixture = runFixture(3, 5);
  const run = new RunFolderWriter(dir);
  await run.info({ command: 'hypertrack infer', events: 'simulated, pile-up 5', cluster: 'cut' });
  await run.results(fixture.results);
  await run.jsonLines(RUN_FILES.inferEvents, fixture.inferEvents);
  await run.scoreEvents(fixture.events.map((e) => ({ ...e, trackmlScore: null })));
  await run.efficiency(fixture.efficiency);
  await run.hitMixing(fixture.mixing);
  await run.tracking(fixture.tracking);
  await run.roc('1-gnn', 'GNN', fixture.roc[1].curve);
  for (const record of fixture.training) await run.appendMetrics(record);
  // The first event's hits coloured by reconstructed track, and a Voxel-Dynamics model's figures.
  const { event, recoLabel } = fixture.scored[0];
  const points = Float32Array.from({ length: 3 * recoLabel.length }, (_, k) => [event.hits.x, event.hits.y, event.hits.z][k % 3][Math.floor(k / 3)]);
  await run.eventDisplay({ eventId: event.eventId, points, labels: recoLabel, colouredBy: 'reconstructed track' });
  const ring = Float32Array.from({ length: 24 }, (_, i) => [Math.cos, Math.sin, (c: number) => c / 10][i % 3](Math.floor(i / 3)) * 100);
  const cmatrix = { ncell: 8, indptr: [0, 2, 4, 6, 8, 10, 12, 14, 16], indices: [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 0], counts: new Array(16).fill(1) };
  mkdirSync(join(dir, RUN_FILES.voxdynFigures));
  for (const plot of await voxdynPlots(ring, 3, cmatrix, { name: 'vdm-hyper-ncell-8' })) writeFileSync(join(dir, RUN_FILES.voxdynFigures, `${plot.name}.svg`), plot.svg);
  const { html } = await writeRunReport(dir, { png: false });

  browser = Chromium.launch(executable);
  page = await browser.open(`file://${html}`, { width: WIDTH, height: 900 });
  seen = await page.evaluate<Inspection>(INSPECT);
});

afterAll(async () => {
  await browser?.close();
  if (work) for (const dir of ['run', 'other']) rmSync(join(work, dir), { recursive: true, force: true });
});

describe('the report in a headless browser at 1280 px', () => {
  test('nothing scrolls sideways: the page, and the results tables inside their boxes', () => {
    expect(seen.viewportWidth).toBe(WIDTH);
    expect(seen.pageScrollWidth).toBeLessThanOrEqual(WIDTH);
    expect(seen.tables.map((t) => t.id)).toEqual(['results-physics', 'results-timing']);
    for (const t of seen.tables) expect(t.scrollWidth).toBeLessThanOrEqual(t.clientWidth);
    for (const f of seen.figures) expect(f.svgWidth).toBeLessThanOrEqual(WIDTH);
  });

  test('column headers carry units: latencies in ms, fractions without one', () => {
    const [physics, timing] = seen.tables;
    expect(timing.headers).toEqual(['time_VD (ms)', 'time_GNN (ms)', 'time_CC (ms)', 'time_cluster (ms)']);
    expect(physics.headers).toEqual(['VD(TPR)', 'VD(FPR)', 'GNN(TPR)', 'GNN(FPR)', 'GNN(AUC)', 'AUC(noself)', 'DMS', 'EFF', 'PUR']);
    const timingFigure = seen.figures.find((f) => f.id === 'plot-timing-stages');
    expect(timingFigure?.texts).toContain('time per event (ms)');
    expect(seen.figures.find((f) => f.id === 'plot-training-timing')?.texts).toContain('time (ms)');
  });

  test('every figure has a title and an SVG with marks; every facet panel a title and marks, and no bare axis', () => {
    expect(seen.figures.length).toBeGreaterThan(10);
    for (const f of seen.figures) {
      expect({ id: f.id, titled: f.title.length > 0, marked: f.marks > 0 }).toEqual({ id: f.id, titled: true, marked: true });
      for (const p of f.panels) expect({ id: f.id, panel: p.title, marked: p.marks > 0 }).toEqual({ id: f.id, panel: expect.stringMatching(/\S/), marked: true });
      expect({ id: f.id, bareAxes: f.bareAxes }).toEqual({ id: f.id, bareAxes: 0 });
    }
    // Inference has no TrackML score: three score panels, none of them for it.
    const scores = seen.figures.find((f) => f.id === 'plot-event-scores')!;
    expect(scores.panels.map((p) => p.title.replace(/:.*/, ''))).toEqual(['double-majority score (DMS)', 'efficiency', 'purity']);
  });

  test('the event display and the Voxel-Dynamics figures are there, titled, with marks', () => {
    expect(seen.sections).toEqual(expect.arrayContaining(['display', 'voxdyn']));
    const display = seen.figures.find((f) => f.id === 'plot-event-display')!;
    expect(display.title).toMatch(/^Event display: event \d+, transverse and r-z views/);
    expect(display.texts).toEqual(expect.arrayContaining(['x (mm)', 'y (mm)', 'z (mm)', 'transverse view (x-y)', 'r-z view']));
    expect(display.marks).toBeGreaterThan(100);
    const voxdyn = seen.figures.filter((f) => f.id.startsWith('plot-vdm-hyper-ncell-8-'));
    expect(voxdyn.map((f) => f.id.replace('plot-vdm-hyper-ncell-8-', ''))).toEqual(['voronoi-xy', 'voronoi-zy', 'voronoi-zx', 'cmatrix', 'cmatrix-degree']);
    for (const f of voxdyn) expect(f.marks).toBeGreaterThan(0);
  });

  test('training plots show measurements, not counters or ids', () => {
    const metrics = seen.figures.find((f) => f.id === 'plot-training-metrics')!;
    expect(metrics.panels.map((p) => p.title)).toEqual(['auc', 'dms']);
    for (const counter of ['hits', 'event', 'tensors', 'val_event']) expect(metrics.panels.map((p) => p.title)).not.toContain(counter);
  });

  test('tracking performance: pT > 1 GeV efficiency, fake and duplicate rates, and efficiency by region, with their counts', () => {
    expect(seen.sections.slice(0, 3)).toEqual(['run', 'results', 'tracking']);
    const t: TrackingPerformance = fixture.tracking;
    const row = (table: string, label: RegExp) => seen.rows[table]?.find((r) => label.test(r[0]));
    expect(row('tracking-efficiency', /^reconstructable, pT > 1 GeV$/)?.slice(1, 3)).toEqual([String(t.efficiency.highPt.numerator), String(t.efficiency.highPt.denominator)]);
    expect(t.efficiency.highPt.denominator).toBeGreaterThan(0);
    expect(row('tracking-efficiency', /^reconstructable, pT > 1 GeV$/)?.[3]).toMatch(/^[01](\.\d+)?(\(\d+\))?$/);
    expect(row('tracking-tracks', /^fake/)?.slice(1)).toEqual([String(t.tracks.fakes), String(t.tracks.total), expect.stringMatching(/^\d/)]);
    expect(row('tracking-tracks', /^duplicate/)?.slice(1)).toEqual([String(t.tracks.duplicates), String(t.tracks.total), expect.stringMatching(/^\d/)]);
    expect(t.tracks.fakes + t.tracks.duplicates).toBeGreaterThan(0);
    for (const region of t.regions) {
      const cells = row('tracking-regions', new RegExp(`^${region.label}$`));
      expect(cells?.slice(2, 4)).toEqual([String(region.reconstructable.numerator), String(region.reconstructable.denominator)]);
    }
    expect(t.regions.map((r) => r.key).slice(0, 3)).toEqual(['barrel', 'endcap-negative', 'endcap-positive']);
    const plot = seen.figures.find((f) => f.id === 'plot-tracking-regions')!;
    expect(plot.texts).toContain(`${t.regions[0].reconstructable.numerator} / ${t.regions[0].reconstructable.denominator}`);
  });

  test('the comparison with another run fits the page, its tables with units and its overlays titled with marks', async () => {
    const other = join(work, 'other');
    const b = runFixture(2, 10);
    const run = new RunFolderWriter(other);
    await run.results(b.results);
    await run.scoreEvents(b.events.map((e) => ({ ...e, trackmlScore: null })));
    await run.efficiency(b.efficiency);
    await run.tracking(b.tracking);
    const { html } = await writeRunComparison(join(work, 'run'), other);
    const comparison = await browser!.open(`file://${html}`, { width: WIDTH, height: 900 });
    const view = await comparison.evaluate<Inspection>(INSPECT);
    expect(view.pageScrollWidth).toBeLessThanOrEqual(WIDTH);
    expect(view.tables.map((t) => t.id)).toEqual(['compare-physics', 'compare-timing', 'compare-tracking']);
    for (const t of view.tables) expect(t.scrollWidth).toBeLessThanOrEqual(t.clientWidth);
    expect(view.tables[0].headers).toEqual(['run', 'other', 'difference (other − run)', 'exceeds combined σ']);
    expect(view.figures.length).toBeGreaterThan(3);
    for (const f of view.figures) expect({ id: f.id, titled: f.title.length > 0, marked: f.marks > 0, wide: f.svgWidth <= WIDTH }).toEqual({ id: f.id, titled: true, marked: true, wide: true });
  });

  test('a full-page screenshot at 1280 px is a real picture', async () => {
    const png = await page.screenshot();
    const file = join(work, 'report-1280.png');
    mkdirSync(work, { recursive: true });
    writeFileSync(file, png);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height of the whole page.
    expect(png.readUInt32BE(16)).toBe(WIDTH);
    expect(png.readUInt32BE(20)).toBeGreaterThan(3000);
    // A blank page of that size compresses to a few kB; text, tables and plots take far more.
    expect(png.length).toBeGreaterThan(300_000);
  });
});

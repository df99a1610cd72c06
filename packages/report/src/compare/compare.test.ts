import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_FILES } from '../run/files';
import { readRunDirectory } from '../run/read';
import { runFixture } from '../testing/fixtures';
import { writeRunDir } from '../testing/run-dir';
import { parseXml } from '../testing/svg';
import { compareResults, renderComparison, writeRunComparison } from './compare';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'report-compare-'));
  // Two inference-like runs of different events: 3 events at pile-up 5, 2 at pile-up 10.
  writeRunDir(join(work, 'run-a'), runFixture(3, 5));
  writeRunDir(join(work, 'run-b'), runFixture(2, 10), ['info', 'results', 'inferEvents', 'events', 'efficiency', 'tracking']);
  mkdirSync(join(work, 'training-only'));
  writeFileSync(join(work, 'training-only', RUN_FILES.metrics), '{"iteration":1,"loss":0.5}\n');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Marks drawn in an SVG: children of vega's mark groups. */
const marks = (svg: string) => (svg.match(/<path|<line|<rect|<circle/g) ?? []).length;

describe('run comparison', () => {
  it('puts the results side by side with units, differences and their combined uncertainty', async () => {
    const a = await readRunDirectory(join(work, 'run-a'));
    const b = await readRunDirectory(join(work, 'run-b'));
    const rows = compareResults(a, b);
    const dms = rows.find((r) => r.name === 'DMS');
    expect(dms?.kind).toBe('physics');
    const colA = a.results?.columns.find((c) => c.header === 'DMS');
    const colB = b.results?.columns.find((c) => c.header === 'DMS');
    expect(dms?.difference).toBeCloseTo((colB?.mean ?? 0) - (colA?.mean ?? 0), 12);
    expect(dms?.sigma).toBeCloseTo(Math.hypot((colA?.std ?? 0) / Math.sqrt(3), (colB?.std ?? 0) / Math.sqrt(2)), 12);
    expect(dms?.exceeds).toBe(Math.abs(dms?.difference ?? 0) > (dms?.sigma ?? 0));
    const timing = rows.filter((r) => r.kind === 'timing');
    expect(timing.length).toBeGreaterThan(0);
    for (const r of timing) expect(r.unit).toBe('ms');
    expect(rows.filter((r) => r.kind === 'tracking').map((r) => r.name)).toEqual(['efficiency, reconstructable particles', 'efficiency, pT > 1 GeV', 'fake rate', 'duplicate rate']);

    const { html, plots } = await renderComparison(a, b, { generated: 'now' });
    parseXml(html.replace('<!DOCTYPE html>', ''));
    expect(html).toContain('<th>run-a</th><th>run-b</th>');
    expect(html).toMatch(/<th class="key">time_GNN \(ms\)<\/th>/);
    expect(html).toContain('exceeds combined σ');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // Overlays: per-event scores and every inclusive observable both runs have.
    expect(plots[0].name).toBe('compare-event-scores');
    expect(plots.some((p) => p.name === 'compare-efficiency-pt_low')).toBe(true);
    for (const p of plots) {
      expect(p.title).not.toBe('');
      expect(marks(p.svg)).toBeGreaterThan(2);
      expect(p.svg).toContain('run-a');
      expect(p.svg).toContain('run-b');
      expect(html).toContain(`<figcaption>${p.title.replace(/&/g, '&amp;')}</figcaption>`);
    }
  });

  it('writes RUN/compare-<other>.html atomically, and refuses a folder with nothing to compare', async () => {
    const written = await writeRunComparison(join(work, 'run-a'), join(work, 'run-b'));
    expect(written.html).toBe(join(work, 'run-a', 'compare-run-b.html'));
    expect(readFileSync(written.html, 'utf8')).toContain('HyperTrack comparison: run-a vs run-b');
    await expect(writeRunComparison(join(work, 'run-a'), join(work, 'training-only'))).rejects.toThrow(`${join(work, 'training-only')}: has nothing to compare`);
    await expect(writeRunComparison(join(work, 'run-a'), join(work, 'missing'))).rejects.toThrow(join(work, 'missing'));
  });
});

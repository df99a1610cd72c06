import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@hypertrack/core';
import { PNG_SIGNATURE } from '../png/to-png';
import { runFixture, type RunFixture } from '../testing/fixtures';
import { parseSvg } from '../testing/svg';
import { writeRunDir } from '../testing/run-dir';
import { writeRunReport } from './write';

let fixture: RunFixture;
let dir: string;
beforeAll(() => {
  fixture = runFixture(2, 5);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-write-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sectionsOf = (html: string) => [...html.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);

describe('writeRunReport', () => {
  test('a full run directory: report.html with every section, an SVG and a PNG per plot, no temporary files', async () => {
    writeRunDir(dir, fixture);
    const out = await writeRunReport(dir);
    expect(out.html).toBe(join(dir, 'report.html'));
    const html = readFileSync(out.html, 'utf8');
    expect(sectionsOf(html)).toEqual(['run', 'results', 'tracking', 'events', 'efficiency', 'roc', 'hit-mixing', 'timing', 'training']);
    expect(html).toContain(`<title>HyperTrack report: ${dir.split('/').pop()}</title>`);
    expect(html).toContain('<td>a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; note</td>');

    // Regions + event scores + the non-empty observables of 3 categories x 12 + 2 ROC + hit mixing +
    // time per stage + 4 training plots (loss, lr, step time, metrics).
    expect(fixture.efficiency.categories.inclusive).toHaveLength(12);
    const observables = Object.values(fixture.efficiency.categories).flat();
    const empty = observables.filter((o) => o.denominator.every((n) => n === 0));
    const expected = 2 + (observables.length - empty.length) + 2 + 1 + 1 + 4;
    const names = readdirSync(join(dir, 'plots')).sort();
    expect(names.filter((n) => n.endsWith('.svg'))).toHaveLength(expected);
    expect(names.filter((n) => n.endsWith('.png'))).toHaveLength(expected);
    expect(names.filter((n) => !/^[\w-]+\.(svg|png)$/.test(n))).toEqual([]);
    expect(out.plots).toHaveLength(2 * expected);
    expect(out.plots[0]).toBe(join(dir, 'plots', 'tracking-regions.svg'));
    expect(out.plots[1]).toBe(join(dir, 'plots', 'tracking-regions.png'));
    expect(names).toEqual(expect.arrayContaining(['event-scores.svg', 'timing-stages.svg', 'training-timing.svg']));
    // An empty histogram is no plot: it is named in a note of its section.
    expect(empty.length).toBeGreaterThan(0);
    expect(names).not.toContain(`efficiency-inclusive-${empty[0].key}.svg`);
    expect(html).toMatch(/no true track with ≥ 4 hits in (this run|the range of)/);
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
    for (const name of ['roc-log', 'hit-mixing', 'efficiency-inclusive-pt_high_log', 'training-loss']) {
      expect(() => parseSvg(readFileSync(join(dir, 'plots', `${name}.svg`), 'utf8'))).not.toThrow();
      expect(readFileSync(join(dir, 'plots', `${name}.png`)).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    }
  });

  test('a partial run directory gives only its sections; png: false writes SVG only', async () => {
    writeRunDir(dir, fixture, ['events', 'metrics']);
    const out = await writeRunReport(dir, { png: false, title: 'Partial' });
    const html = readFileSync(out.html, 'utf8');
    expect(sectionsOf(html)).toEqual(['run', 'events', 'training']);
    expect(html).toContain('<h1>Partial</h1>');
    expect(readdirSync(join(dir, 'plots')).sort()).toEqual(['event-scores.svg', 'training-loss.svg', 'training-lr.svg', 'training-metrics.svg', 'training-timing.svg']);
  });

  test('an empty directory writes nothing and says why', async () => {
    await expect(writeRunReport(dir)).rejects.toThrow(InputError);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(existsSync(join(dir, 'plots'))).toBe(false);
  });
});

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
    expect(sectionsOf(html)).toEqual(['run', 'results', 'events', 'roc', 'efficiency', 'hit-mixing', 'training']);
    expect(html).toContain(`<title>HyperTrack report: ${dir.split('/').pop()}</title>`);
    expect(html).toContain('<td>a &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; note</td>');

    // 1 event-score + 2 ROC + 3 categories x 12 observables + hit mixing + 3 training plots.
    expect(fixture.efficiency.categories.inclusive).toHaveLength(12);
    const names = readdirSync(join(dir, 'plots')).sort();
    expect(names.filter((n) => n.endsWith('.svg'))).toHaveLength(43);
    expect(names.filter((n) => n.endsWith('.png'))).toHaveLength(43);
    expect(names.filter((n) => !/^[\w-]+\.(svg|png)$/.test(n))).toEqual([]);
    expect(out.plots).toHaveLength(86);
    expect(out.plots[0]).toBe(join(dir, 'plots', 'event-scores.svg'));
    expect(out.plots[1]).toBe(join(dir, 'plots', 'event-scores.png'));
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
    expect(readdirSync(join(dir, 'plots')).sort()).toEqual(['event-scores.svg', 'training-loss.svg', 'training-lr.svg', 'training-metrics.svg']);
  });

  test('an empty directory writes nothing and says why', async () => {
    await expect(writeRunReport(dir)).rejects.toThrow(InputError);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
    expect(existsSync(join(dir, 'plots'))).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@hypertrack/core';
import { voxdynPlots } from '../plots/voxdyn';
import { RUN_FILES } from '../run/files';
import { readRunDirectory } from '../run/read';
import { writeRunReport } from '../run/write';
import { RunFolderWriter } from '../run/writer';
import { runFixture, scoredEvent } from '../testing/fixtures';
import { eventDisplayFile, type EventDisplayHits } from './event-display';

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'report-display-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A simulated event's hits with its (perturbed) reconstruction, as the pipeline hands them over. */
function displayHits(pileup: number): EventDisplayHits {
  const { event, recoLabel } = scoredEvent(1000, pileup);
  const { x, y, z } = event.hits;
  const points = new Float32Array(x.length * 3);
  for (let i = 0; i < x.length; i++) points.set([x[i], y[i], z[i]], 3 * i);
  return { eventId: 1000, points, labels: recoLabel, colouredBy: 'reconstructed track' };
}

const marks = (svg: string) => (svg.match(/aria-roledescription="circle"/g) ?? []).length;

describe('event display', () => {
  it('keeps whole tracks and a few unassigned hits when thinning', () => {
    const hits = displayHits(10);
    const full = eventDisplayFile(hits, { maxHits: 1e9 });
    expect(full.x.length).toBe(hits.labels.length);
    const thin = eventDisplayFile(hits, { maxHits: 1000 });
    expect(thin.hits).toBe(hits.labels.length);
    expect(thin.x.length).toBeLessThanOrEqual(1000);
    expect(thin.x.length).toBeGreaterThan(500);
    expect(thin.label.filter((l) => l < 0).length).toBeLessThanOrEqual(100);
    // Every kept track has all of its hits.
    const count = (labels: ArrayLike<number>, l: number) => Array.from(labels).filter((v) => v === l).length;
    const kept = [...new Set(thin.label.filter((l) => l >= 0))];
    expect(kept.length).toBe(thin.keptTracks);
    for (const l of kept.slice(0, 20)) expect(count(thin.label, l)).toBe(count(hits.labels, l));
  });

  it('is written to the run folder, small, and drawn in the report in x-y and r-z views', async () => {
    const dir = join(work, 'infer-run');
    const fixture = runFixture(2, 5);
    const writer = new RunFolderWriter(dir);
    await writer.results(fixture.results);
    await writer.scoreEvents(fixture.events);
    await writer.eventDisplay(displayHits(20));
    expect(statSync(join(dir, RUN_FILES.eventDisplay)).size).toBeLessThan(200_000);
    const data = await readRunDirectory(dir);
    expect(data.eventDisplay?.x.length).toBeLessThanOrEqual(5000);
    expect(data.files).toContain(RUN_FILES.eventDisplay);
    const { html } = await writeRunReport(dir, { png: false });
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<section id="display">');
    expect(page).toMatch(/<figcaption>Event display: event 1000, transverse and r-z views, coloured by reconstructed track<\/figcaption>/);
    const svg = readFileSync(join(dir, 'plots', 'event-display.svg'), 'utf8');
    expect(svg).toContain('transverse view (x-y)');
    expect(svg).toContain('r-z view');
    expect(svg).toContain('x (mm)');
    expect(svg).toContain('z (mm)');
    // One circle per kept hit in each view.
    expect(marks(svg)).toBe(2 * (data.eventDisplay?.x.length ?? 0));
  });

  it('refuses a malformed event-display.json, naming the file', async () => {
    const dir = join(work, 'bad-display');
    await writeFileAtomic(join(dir, RUN_FILES.eventDisplay), JSON.stringify({ eventId: 1, colouredBy: 'truth particle', hits: 2, tracks: 1, keptTracks: 1, x: [1, 2], y: [1], z: [0, 0], label: [0, 0] }));
    await expect(readRunDirectory(dir)).rejects.toThrow(`${join(dir, RUN_FILES.eventDisplay)}: field 'y': has 1 entries, expected 2 (as many as x)`);
  });
});

describe('Voxel-Dynamics figures in the report', () => {
  // A toy model: 6 cells on a ring; each cell connects to itself and its neighbours.
  const ncell = 6;
  const centroids = Float32Array.from({ length: ncell * 3 }, (_, i) => (i % 3 === 0 ? 100 * Math.cos(Math.floor(i / 3)) : i % 3 === 1 ? 100 * Math.sin(Math.floor(i / 3)) : 10 * Math.floor(i / 3)));
  const indptr = [0];
  const indices: number[] = [];
  for (let u = 0; u < ncell; u++) {
    for (const v of [u - 1, u, u + 1]) if (v >= 0 && v < ncell) indices.push(v);
    indptr.push(indices.length);
  }
  const cmatrix = { ncell, indptr, indices, counts: indices.map(() => 1) };
  const stem = 'vdm-hyper-ncell-6';

  /** What `pretrain-voxdyn --plots --out <folder>` writes beside the model. */
  async function pretrain(folder: string): Promise<void> {
    await writeFileAtomic(join(folder, `${stem}.vdm`), 'model');
    for (const plot of await voxdynPlots(centroids, 3, cmatrix, { name: stem })) await writeFileAtomic(join(folder, 'figs', `${plot.name}.svg`), plot.svg);
  }

  it('reports a pretrain-voxdyn folder by its figures alone', async () => {
    const dir = join(work, 'models');
    await pretrain(dir);
    const data = await readRunDirectory(dir);
    expect(data.voxdynFigures?.map((f) => f.kind)).toEqual(['voronoi-xy', 'voronoi-zy', 'voronoi-zx', 'cmatrix', 'cmatrix-degree']);
    const { html } = await writeRunReport(dir, { png: false });
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Voxel-Dynamics model</h2>');
    expect(page).toContain(`<figcaption>C-matrix: connected cell pairs, model ${stem}</figcaption>`);
    expect(page.match(/<figure id="plot-vdm-hyper-ncell-6-/g)?.length).toBe(5);
  });

  it('finds the figures beside the VD model that an infer run names in run.json', async () => {
    const models = join(work, 'models-2');
    await pretrain(models);
    const dir = join(work, 'infer-with-model');
    const writer = new RunFolderWriter(dir);
    await writer.info({ command: 'hypertrack infer', vdModel: join(models, `${stem}.vdm`) });
    await writer.results(runFixture(2, 5).results);
    const data = await readRunDirectory(dir);
    expect(data.voxdynFigures?.length).toBe(5);
    expect(data.files).toContain(join('..', 'models-2', 'figs', `${stem}-cmatrix.svg`));
    const { plots } = await writeRunReport(dir, { png: false });
    expect(plots).toContain(join(dir, 'plots', `${stem}-voronoi-xy.svg`));
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@hypertrack/core';
import { runFixture, type RunFixture } from '../testing/fixtures';
import { writeRunDir } from '../testing/run-dir';
import { readRunDirectory } from './read';

let fixture: RunFixture;
let dir: string;
beforeAll(() => {
  fixture = runFixture(2, 5);
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'report-read-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(run: () => Promise<unknown>): Promise<InputError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('readRunDirectory', () => {
  test('round-trips what a run writes, typed arrays and NaN included', async () => {
    writeRunDir(dir, fixture);
    const data = await readRunDirectory(dir);
    expect(data.files).toEqual([
      'run.json',
      'results.json',
      'infer/events.jsonl',
      'score/events.jsonl',
      'score/efficiency.json',
      'score/hit-mixing.json',
      'score/tracking.json',
      'roc/0-vd.json',
      'roc/1-gnn.json',
      'metrics.jsonl',
    ]);
    expect(data.info).toMatchObject({ tag: 'tune-5', seed: 1 });
    // NaN and Infinity come back from the nulls JSON stores them as.
    expect(data.results).toEqual(fixture.results);
    expect(data.events).toEqual(fixture.events);
    expect(data.efficiency).toEqual(fixture.efficiency);
    expect(data.hitMixing).toEqual(fixture.mixing);
    expect(data.tracking).toEqual(fixture.tracking);
    expect(data.inferEvents).toEqual(fixture.inferEvents);
    expect(data.results?.timingWarmUp).toBe(1);
    expect(data.roc?.map((s) => s.name)).toEqual(['VD', 'GNN']);
    expect(data.roc?.[1].curve.thresholds[0]).toBe(Infinity);
    expect(data.roc?.[1].curve.tpr).toEqual(fixture.roc[1].curve.tpr);
    expect(data.roc?.[1].curve.auc).toBe(fixture.roc[1].curve.auc);
    expect(data.training).toEqual(fixture.training);
  });

  test('only the files present; typed arrays written by plain JSON.stringify are read too', async () => {
    mkdirSync(join(dir, 'score'));
    writeFileSync(join(dir, 'score', 'hit-mixing.json'), JSON.stringify(fixture.mixing));
    const data = await readRunDirectory(dir);
    expect(data.files).toEqual(['score/hit-mixing.json']);
    expect(Object.keys(data).sort()).toEqual(['dir', 'files', 'hitMixing']);
    expect(data.hitMixing?.counts).toEqual(fixture.mixing.counts);
  });

  test('a missing, empty or metadata-only directory is an InputError', async () => {
    expect((await errorOf(() => readRunDirectory(join(dir, 'nope')))).message).toBe(`${join(dir, 'nope')}: cannot read the run directory: no such file or folder`);
    const empty = `${dir}: holds none of the report's input files: results.json, infer/events.jsonl, vd/events.jsonl, score/events.jsonl, score/efficiency.json, score/hit-mixing.json, score/tracking.json, roc/*.json, metrics.jsonl, event-display.json, figs/<model>-voronoi-xy.svg, -cmatrix.svg, ... (Voxel-Dynamics figures)`;
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(empty);
    writeFileSync(join(dir, 'run.json'), '{"tag":"x"}');
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(empty);
    writeFileSync(join(dir, 'plain'), 'x');
    expect((await errorOf(() => readRunDirectory(join(dir, 'plain')))).message).toBe(`${join(dir, 'plain')}: is not a folder (expected a run directory)`);
  });

  test('malformed files name the file, the line and the field', async () => {
    writeFileSync(join(dir, 'results.json'), '{"events": 2, "columns": [');
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(`${join(dir, 'results.json')}: not valid JSON`);
    writeFileSync(join(dir, 'results.json'), '{"events": 2, "columns": [{"key": "dms", "header": "DMS", "mean": "0.9"}]}');
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(`${join(dir, 'results.json')}: field 'columns[0].mean': expected a number, got a string ("0.9")`);
    rmSync(join(dir, 'results.json'));

    mkdirSync(join(dir, 'score'));
    writeFileSync(join(dir, 'score', 'events.jsonl'), '{"eventId":1,"hits":3,"tracks":1,"trackmlScore":1,"dms":1,"efficiency":1,"purity":1}\n{"eventId":2,"hits":3}\n');
    const error = await errorOf(() => readRunDirectory(dir));
    expect(error.message).toBe(`${join(dir, 'score', 'events.jsonl')}:2: field 'tracks': expected a number, got nothing`);
    expect(error.line).toBe(2);
    rmSync(join(dir, 'score', 'events.jsonl'));

    writeFileSync(join(dir, 'score', 'hit-mixing.json'), '{"size": 2, "counts": [1, 0, 0], "columnPercent": [100, 0, 0, 0]}');
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(`${join(dir, 'score', 'hit-mixing.json')}: field 'counts': has 3 entries, expected 4 (as many as size x size)`);
    rmSync(join(dir, 'score', 'hit-mixing.json'));

    writeFileSync(join(dir, 'metrics.jsonl'), '{"iteration":1,"loss":1}\n{"iteration":2,"loss":\n');
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(`${join(dir, 'metrics.jsonl')}:2: not valid JSON: "{\\"iteration\\":2,\\"loss\\":"`);
  });

  test('results files from before units and the timing warm-up: kind and unit come from the column', async () => {
    const old = { events: 1, columns: [{ key: 'timeGnn', header: 'time_GNN', mean: 90, std: 0, count: 1, text: '90' }] };
    writeFileSync(join(dir, 'results.json'), JSON.stringify(old));
    const data = await readRunDirectory(dir);
    expect(data.results).toEqual({ events: 1, columns: [{ ...old.columns[0], kind: 'timing', unit: 'ms' }] });
  });

  test('a tracking file with impossible counts names the field', async () => {
    mkdirSync(join(dir, 'score'));
    const bad = JSON.parse(JSON.stringify(fixture.tracking));
    bad.efficiency.highPt.numerator = bad.efficiency.highPt.denominator + 1;
    writeFileSync(join(dir, 'score', 'tracking.json'), JSON.stringify(bad));
    const message = (await errorOf(() => readRunDirectory(dir))).message;
    expect(message).toBe(`${join(dir, 'score', 'tracking.json')}: field 'efficiency.highPt': numerator ${bad.efficiency.highPt.numerator} is not within 0..denominator (${bad.efficiency.highPt.denominator})`);
    delete bad.regions;
    writeFileSync(join(dir, 'score', 'tracking.json'), JSON.stringify({ ...bad, efficiency: fixture.tracking.efficiency }));
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(`${join(dir, 'score', 'tracking.json')}: field 'regions': expected an array, got nothing`);
  });

  test('infer and graph-constructor event lines: times in ms, null where not measured', async () => {
    mkdirSync(join(dir, 'vd'));
    writeFileSync(join(dir, 'vd', 'events.jsonl'), '{"eventId":3,"hits":10,"edges":50,"edgesPerHit":5,"tpr":0.9,"fpr":null,"purity":0.1,"assignMs":1.5,"edgesMs":2.5}\n');
    const data = await readRunDirectory(dir);
    expect(data.graphEvents).toEqual([{ eventId: 3, hits: 10, edges: 50, edgesPerHit: 5, tpr: 0.9, fpr: null, purity: 0.1, assignMs: 1.5, edgesMs: 2.5 }]);
    mkdirSync(join(dir, 'infer'));
    writeFileSync(join(dir, 'infer', 'events.jsonl'), '{"eventId":3,"hits":10,"edges":50,"clusters":2}\n');
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(`${join(dir, 'infer', 'events.jsonl')}:1: field 'vdTpr': expected a number, got nothing`);
  });

  test('a ROC file with mismatched arrays', async () => {
    mkdirSync(join(dir, 'roc'));
    writeFileSync(join(dir, 'roc', 'gnn.json'), JSON.stringify({ name: 'GNN', curve: { thresholds: [null, 0.5], tpr: [0, 1], fpr: [0], auc: 1 } }));
    expect((await errorOf(() => readRunDirectory(dir))).message).toBe(`${join(dir, 'roc', 'gnn.json')}: field 'curve.fpr': has 1 entries, expected 2 (as many as thresholds)`);
  });
});

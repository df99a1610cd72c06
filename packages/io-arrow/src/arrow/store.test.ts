import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { ConfigError, TRACKML_COLUMNS, columnOf, type EventTableKind, type TrackMLEvent } from '@hypertrack/core';
import { readTrackMLEvent } from '../read-event';
import { expectSameEvent, listing, tempDir } from '../test-support';
import { syntheticEvent } from '@hypertrack/event';
import { writeTrackMLEvent } from '../write-event';
import { recordBatchOf } from './columns';
import { convertCsvToArrow } from './convert';
import { ArrowFileOutput } from './file-output';
import { META_PRODUCER, META_VERSION, tableSchema } from './format';
import { openArrowStore } from './store';
import { writeArrowEvents } from './write-events';

const bytesOf = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

function allColumns(event: TrackMLEvent, kind: EventTableKind): ArrayBufferView[] {
  const table = event[kind];
  if (table === undefined) throw new Error(`no ${kind}`);
  return TRACKML_COLUMNS[kind].map((spec) => columnOf(kind, table, spec.key));
}

describe('Arrow event store', () => {
  let dir: string;
  let cleanup: () => void;
  let events: TrackMLEvent[];
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    events = [1000, 1001, 1002, 1200].map((eventId, i) => syntheticEvent(10 + i, { eventId, cells: true, tracks: 15 + 5 * i }));
  });
  afterEach(() => cleanup());

  it('per-event layout: round trip, file names and metadata', async () => {
    const out = join(dir, 'store');
    const files = await writeArrowEvents(out, events, { layout: 'per-event' });
    expect(listing(out)).toEqual(
      [...events.flatMap((e) => ['cells', 'hits', 'particles', 'truth'].map((k) => `event00000${e.eventId}-${k}.arrow`)), 'manifest.json'].sort(),
    );
    expect(files).toHaveLength(16);

    const store = await openArrowStore(out);
    expect(store.layout).toBe('per-event');
    expect(store.eventIds).toEqual([1000, 1001, 1002, 1200]);
    for (const event of events) expectSameEvent(store.load(event.eventId), event);

    const hits = tableFromIPC(readFileSync(join(out, 'event000001001-hits.arrow')));
    expect(Object.fromEntries(hits.schema.metadata)).toEqual({
      'hypertrack.format': 'hypertrack-trackml-arrow',
      'hypertrack.format_version': '2',
      'hypertrack.kind': 'hits',
      'hypertrack.layout': 'per-event',
      'hypertrack.event_id': '1001',
    });
    expect(hits.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'hit_id:Int32',
      'x:Float32',
      'y:Float32',
      'z:Float32',
      'volume_id:Int32',
      'layer_id:Int32',
      'module_id:Int32',
    ]);
    expect(hits.batches).toHaveLength(1);
  });

  it('dataset layout: round trip, event_id column, one batch per event and metadata', async () => {
    const out = join(dir, 'dataset');
    await writeArrowEvents(out, events, { layout: 'dataset' });
    expect(listing(out)).toEqual(['cells.arrow', 'hits.arrow', 'manifest.json', 'particles.arrow', 'truth.arrow']);

    const store = await openArrowStore(out);
    expect(store.layout).toBe('dataset');
    expect(store.eventIds).toEqual([1000, 1001, 1002, 1200]);
    for (const event of [...events].reverse()) expectSameEvent(store.load(event.eventId), event);

    const truth = tableFromIPC(readFileSync(join(out, 'truth.arrow')));
    expect(truth.schema.metadata.get('hypertrack.format')).toBe('hypertrack-trackml-arrow');
    expect(truth.schema.metadata.get('hypertrack.format_version')).toBe('2');
    expect(truth.schema.metadata.get('hypertrack.kind')).toBe('truth');
    expect(truth.schema.metadata.get('hypertrack.layout')).toBe('dataset');
    expect(JSON.parse(truth.schema.metadata.get('hypertrack.event_ids') as string)).toEqual([1000, 1001, 1002, 1200]);
    expect(`${truth.schema.fields[0].name}:${truth.schema.fields[0].type}`).toBe('event_id:Int32');
    expect(truth.batches.map((b) => b.numRows)).toEqual(events.map((e) => e.hits.hitId.length));
    expect(truth.batches.map((b) => b.getChild('event_id')?.get(0))).toEqual([1000, 1001, 1002, 1200]);
  });

  it('records what made the events (a simulator, its version and configuration) in every file, and reads it back', async () => {
    const producer = { name: 'a-simulator', version: '2', config: { pileup: 200, transport: { minPt: 0.15, loopFraction: 0.5 }, seed: 7 } };
    for (const layout of ['per-event', 'dataset'] as const) {
      const out = join(dir, layout);
      const files = await writeArrowEvents(out, events, { layout, producer });
      for (const file of files) {
        expect(JSON.parse(tableFromIPC(readFileSync(file)).schema.metadata.get('hypertrack.producer') as string)).toEqual(producer);
      }
      expect((await openArrowStore(out)).producer).toEqual(producer);
    }
    await writeArrowEvents(join(dir, 'plain'), events, { layout: 'dataset' });
    expect((await openArrowStore(join(dir, 'plain'))).producer).toBeNull();
  });

  it('rejects a producer record that is not a JSON object with name, version and config', async () => {
    const out = join(dir, 'bad');
    await writeArrowEvents(out, events.slice(0, 1), { layout: 'per-event' });
    // A file replaced by hand: without the manifest (as in a store written before manifests) the
    // store opens unverified, and the schema checks meet the file.
    rmSync(join(out, 'manifest.json'));
    const path = join(out, 'event000001000-hits.arrow');
    const schema = tableSchema('hits', 'per-event', [1000]);
    schema.metadata.set(META_PRODUCER, '{"name": "x"');
    const output = new ArrowFileOutput(`${path}.new`, schema);
    output.append(recordBatchOf('hits', events[0].hits, events[0].hits.hitId.length, schema, null));
    output.finish();
    renameSync(`${path}.new`, path);
    await expect(openArrowStore(out)).rejects.toThrow("event000001000-hits.arrow: schema metadata 'hypertrack.producer' is not a JSON object with name, version and config");
  });

  it('per-event loading is zero-copy: every column is a view over the file bytes as read', async () => {
    const out = join(dir, 'store');
    await writeArrowEvents(out, events, { layout: 'per-event' });
    const loaded = (await openArrowStore(out)).load(1002);
    for (const kind of ['hits', 'particles', 'truth', 'cells'] as const) {
      const columns = allColumns(loaded, kind);
      const file = readFileSync(join(out, `event000001002-${kind}.arrow`));
      const buffer = columns[0].buffer;
      expect(buffer.byteLength).toBe(file.length);
      expect(Buffer.from(buffer).equals(file)).toBe(true);
      for (const column of columns) expect(column.buffer).toBe(buffer);
    }
  });

  it('dataset loading reads only the event batch and hands out views into it', async () => {
    const out = join(dir, 'dataset');
    await writeArrowEvents(out, events, { layout: 'dataset' });
    const loaded = (await openArrowStore(out)).load(1001);
    const size = statSync(join(out, 'hits.arrow')).size;
    const file = readFileSync(join(out, 'hits.arrow'));
    const columns = allColumns(loaded, 'hits');
    const buffer = columns[0].buffer;
    expect(buffer.byteLength).toBeLessThan(size / 2);
    for (const column of columns) {
      expect(column.buffer).toBe(buffer);
      expect(file.indexOf(bytesOf(column))).toBeGreaterThan(0);
    }
  });

  it('converts CSV (plain and gzip) event by event, with progress', async () => {
    const csv = join(dir, 'csv');
    for (const event of events) await writeTrackMLEvent(csv, event, { gzip: event.eventId === 1001 });
    const lines: string[] = [];
    for (const layout of ['per-event', 'dataset'] as const) {
      const out = join(dir, layout);
      const result = await convertCsvToArrow(csv, out, {
        layout,
        eventIds: [1001, 1200],
        kinds: ['hits', 'particles', 'truth', 'cells'],
        progress: { sink: { write: (s: string) => lines.push(s) } },
      });
      expect(result.eventIds).toEqual([1001, 1200]);
      expect(result.csvBytes).toBeGreaterThan(0);
      const store = await openArrowStore(out);
      expect(store.eventIds).toEqual([1001, 1200]);
      for (const id of [1001, 1200]) {
        expectSameEvent(store.load(id), await readTrackMLEvent(csv, id, { kinds: ['hits', 'particles', 'truth', 'cells'] }));
      }
    }
    expect(lines.filter((l) => l.startsWith('convert: 2 events in'))).toHaveLength(2);

    const all = await convertCsvToArrow(csv, join(dir, 'default'));
    expect(all.layout).toBe('per-event');
    expect(all.eventIds).toEqual([1000, 1001, 1002, 1200]);
    expect((await openArrowStore(join(dir, 'default'))).load(1000).cells).toBeUndefined();
  });

  it('a failing write leaves the output folder as it was', async () => {
    const out = join(dir, 'dataset');
    await writeArrowEvents(out, [events[0]], { layout: 'dataset' });
    const before = listing(out);
    const hitsBefore = readFileSync(join(out, 'hits.arrow'));
    const broken = { ...events[2], truth: undefined };
    await expect(writeArrowEvents(out, [events[1], broken], { layout: 'dataset' })).rejects.toThrow(
      'truth.arrow: event 1002 has no truth table',
    );
    expect(listing(out)).toEqual(before);
    expect(readFileSync(join(out, 'hits.arrow')).equals(hitsBefore)).toBe(true);

    const fresh = join(dir, 'fresh');
    const short = { ...events[1], hits: { ...events[1].hits, y: events[1].hits.y.subarray(1) } };
    await expect(writeArrowEvents(fresh, [events[0], short], { layout: 'per-event' })).rejects.toThrow(
      `event000001001-hits.arrow: column 'y': has ${short.hits.y.length} rows, but column 'hit_id' has ${short.hits.y.length + 1}`,
    );
    expect(existsSync(fresh)).toBe(false);
  });

  it('writes a lazy stream of events, recording the event ids it met', async () => {
    const out = join(dir, 'stream');
    let produced = 0;
    async function* stream(): AsyncGenerator<TrackMLEvent> {
      for (const event of events) {
        produced++;
        yield event;
      }
    }
    await writeArrowEvents(out, stream(), { layout: 'dataset' });
    expect(produced).toBe(4);
    const store = await openArrowStore(out);
    expect(store.eventIds).toEqual([1000, 1001, 1002, 1200]);
    expectSameEvent(store.load(1002), events[2]);
  });

  it('rejects an empty or repeating list of events, writing nothing', async () => {
    const out = join(dir, 'none');
    await expect(writeArrowEvents(out, [], { layout: 'dataset' })).rejects.toThrow(
      new ConfigError('events', 'nothing to write: no event was given'),
    );
    await expect(writeArrowEvents(out, [events[0], events[1], events[0]], { layout: 'per-event' })).rejects.toThrow(
      new ConfigError('events', 'event 1000 is given twice'),
    );
    expect(existsSync(out)).toBe(false);
  });

  // Files replaced by hand in a store without a manifest (written before manifests existed): the
  // schema checks meet them. With a manifest the checksums meet them first (store-integrity.test).
  describe('rejects what is not a HyperTrack Arrow store', () => {
    let out: string;
    beforeEach(async () => {
      out = join(dir, 'store');
      await writeArrowEvents(out, events.slice(0, 2), { layout: 'per-event' });
      rmSync(join(out, 'manifest.json'));
    });

    async function expectOpenOrLoadFails(message: string, eventId = 1000): Promise<void> {
      const before = listing(out);
      const error = await openArrowStore(out)
        .then((store) => store.load(eventId))
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect((error as Error).message).toBe(message);
      expect(listing(out)).toEqual(before);
    }

    it('a file that is not Arrow', async () => {
      writeFileSync(join(out, 'event000001000-hits.arrow'), gzipSync('hit_id,x\n'));
      await expectOpenOrLoadFails('event000001000-hits.arrow: not an Arrow IPC file (no ARROW1 magic at both ends)');
    });

    it('an Arrow file without HyperTrack metadata', async () => {
      writeFileSync(join(out, 'event000001000-particles.arrow'), tableToIPC(tableFromArrays({ particle_id: Int32Array.of(1) }), 'file'));
      await expectOpenOrLoadFails(
        `event000001000-particles.arrow: schema metadata 'hypertrack.format' is missing: not a HyperTrack event file (expected "hypertrack-trackml-arrow")`,
      );
    });

    it('another format version', async () => {
      const path = join(out, 'event000001000-truth.arrow');
      const schema = tableSchema('truth', 'per-event', [1000]);
      schema.metadata.set(META_VERSION, '3');
      const output = new ArrowFileOutput(`${path}.new`, schema);
      const truth = events[0].truth;
      if (truth === undefined) throw new Error('fixture has truth');
      output.append(recordBatchOf('truth', truth, truth.hitId.length, schema, null));
      output.finish();
      renameSync(`${path}.new`, path);
      await expectOpenOrLoadFails('event000001000-truth.arrow: format version "3" is not supported (this reader reads versions "1" and "2")');
    });

    it('a file renamed to another event', async () => {
      writeFileSync(join(out, 'event000001000-hits.arrow'), readFileSync(join(out, 'event000001001-hits.arrow')));
      await expectOpenOrLoadFails('event000001000-hits.arrow: schema metadata says event 1001, the file name says 1000');
    });

    it('a table of the wrong kind', async () => {
      writeFileSync(join(out, 'event000001000-cells.arrow'), readFileSync(join(out, 'event000001000-truth.arrow')));
      await expectOpenOrLoadFails('event000001000-cells.arrow: holds a "truth" table, expected "cells"');
    });

    it('an event that is not in the store', async () => {
      await expectOpenOrLoadFails(`${out}: event 999 is not in the store (2 events, 1000 to 1001)`, 999);
    });

    it('a folder without a store', async () => {
      const empty = join(dir, 'empty');
      await writeTrackMLEvent(empty, events[0]);
      await expect(openArrowStore(empty)).rejects.toThrow(`${empty}: no Arrow event store here (expected hits.arrow or event<9 digits>-hits.arrow)`);
    });

    it('a dataset whose files list different events', async () => {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      await writeArrowEvents(a, events.slice(0, 2), { layout: 'dataset' });
      await writeArrowEvents(b, events.slice(1, 3), { layout: 'dataset' });
      writeFileSync(join(a, 'truth.arrow'), readFileSync(join(b, 'truth.arrow')));
      rmSync(join(a, 'manifest.json'));
      const before = listing(a);
      await expect(openArrowStore(a)).rejects.toThrow('truth.arrow: holds events [1001,1002], but hits.arrow holds [1000,1001]');
      expect(listing(a)).toEqual(before);
    });
  });
});

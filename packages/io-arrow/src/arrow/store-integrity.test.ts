import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Field, Float32, Int32, Int64, RecordBatch, Schema, Struct, Uint64, makeData, tableFromIPC, tableToIPC, Table, type Data } from 'apache-arrow';
import { InputError, TRACKML_COLUMNS, type TrackMLEvent } from '@hypertrack/core';
import { syntheticEvent } from '@hypertrack/event';
import { openEvents } from '../open-events';
import { deadProcessId, expectSameEvent, listing, tempDir } from '../test-support';
import { writeTrackMLEvent } from '../write-event';
import { ArrowEventSink } from './event-sink';
import { openArrowStore } from './store';
import { writeArrowEvents } from './write-events';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface Manifest {
  format: string;
  version: number;
  layout: string;
  files: { name: string; bytes: number; sha256: string; batches?: { offset: number; bytes: number; sha256: string }[]; outsideBatchesSha256?: string }[];
}
const manifestOf = (store: string): Manifest => JSON.parse(readFileSync(join(store, 'manifest.json'), 'utf8')) as Manifest;

/** The message of what `run` throws (or rejects with); fails the test when it does not. */
async function errorOf(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function flipByte(path: string, offset: number): void {
  const bytes = readFileSync(path);
  bytes[offset] ^= 0x20;
  writeFileSync(path, bytes);
}

/** Every name in a folder and, below it, in its subfolders, with sizes: "a folder as it was". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    out[name] = statSync(path).isDirectory() ? JSON.stringify(snapshot(path)) : sha256(readFileSync(path));
  }
  return out;
}

describe('Arrow store integrity', () => {
  let dir: string;
  let cleanup: () => void;
  let events: TrackMLEvent[];
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    events = [1000, 1001, 1002].map((eventId, i) => syntheticEvent(20 + i, { eventId, cells: true, tracks: 12 + 4 * i }));
  });
  afterEach(() => cleanup());

  describe('particle_id is Int64, as in TrackML', () => {
    it('is written as Int64 with the same 64 bits, and reads back unchanged (ids >= 2^63 included)', async () => {
      for (const layout of ['per-event', 'dataset'] as const) {
        const out = join(dir, layout);
        await writeArrowEvents(out, events, { layout });
        const file = layout === 'dataset' ? 'truth.arrow' : 'event000001001-truth.arrow';
        const truth = tableFromIPC(readFileSync(join(out, file)));
        expect(String(truth.schema.fields.find((f) => f.name === 'particle_id')?.type)).toBe('Int64');
        const particles = tableFromIPC(readFileSync(join(out, layout === 'dataset' ? 'particles.arrow' : 'event000001001-particles.arrow')));
        expect(String(particles.schema.fields.find((f) => f.name === 'particle_id')?.type)).toBe('Int64');
        // Any Arrow reader sees TrackML's signed ids: the same bits as ours.
        const batch = truth.batches[layout === 'dataset' ? 1 : 0];
        const signed = Array.from(batch.getChild('particle_id')?.toArray() as BigInt64Array);
        expect(signed).toEqual(Array.from(events[1].truth?.particleId ?? [], (id) => BigInt.asIntN(64, id)));
        expect(signed.some((id) => id < 0n)).toBe(true);
        const store = await openArrowStore(out);
        for (const event of events) expectSameEvent(store.load(event.eventId), event);
      }
    });

    /** A per-event file in the layout of format version 1 (or `idType` ids), written with apache-arrow alone. */
    function writeOldFile(out: string, kind: 'hits' | 'particles' | 'truth', event: TrackMLEvent, idType: () => Uint64 | Int64, version = '1'): void {
      const specs = TRACKML_COLUMNS[kind];
      const typeOf = (type: string) => (type === 'int32' ? new Int32() : type === 'float32' ? new Float32() : idType());
      const fields = specs.map((spec) => new Field(spec.name, typeOf(spec.type), false));
      const metadata = new Map([
        ['hypertrack.format', 'hypertrack-trackml-arrow'],
        ['hypertrack.format_version', version],
        ['hypertrack.kind', kind],
        ['hypertrack.layout', 'per-event'],
        ['hypertrack.event_id', String(event.eventId)],
      ]);
      const schema = new Schema(fields, metadata);
      const table = event[kind] as unknown as Record<string, ArrayLike<unknown> & ArrayBufferView>;
      const rows = table[specs[0].key].length;
      const children = specs.map((spec) => {
        const values = table[spec.key];
        const data = spec.type === 'uint64' && idType().typeId === new Int64().typeId ? new BigInt64Array(values.buffer, values.byteOffset, rows) : values;
        return makeData({ type: typeOf(spec.type), length: rows, nullCount: 0, data } as never) as Data;
      });
      const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, `event${String(event.eventId).padStart(9, '0')}-${kind}.arrow`), tableToIPC(new Table([batch]), 'file'));
    }

    it('still opens stores of format version 1, whose particle_id is Uint64 (built here with apache-arrow alone)', async () => {
      const out = join(dir, 'v1');
      for (const kind of ['hits', 'particles', 'truth'] as const) writeOldFile(out, kind, events[0], () => new Uint64());
      expect(String(tableFromIPC(readFileSync(join(out, 'event000001000-truth.arrow'))).schema.fields[1].type)).toBe('Uint64');
      const loaded = (await openArrowStore(out)).load(1000);
      expectSameEvent(loaded, { ...events[0], cells: undefined });
      expect(loaded.truth?.particleId).toBeInstanceOf(BigUint64Array);

      // Each version with its own type: a version-1 file with Int64 ids, or a version-2 file with
      // Uint64 ids, is not what it says it is.
      writeOldFile(out, 'truth', events[0], () => new Int64());
      expect((await errorOf(async () => (await openArrowStore(out)).load(1000))).message).toBe(
        "event000001000-truth.arrow: column 'particle_id': has Arrow type Int64, expected Uint64 (format version 1)",
      );
      writeOldFile(out, 'truth', events[0], () => new Uint64(), '2');
      expect((await errorOf(async () => (await openArrowStore(out)).load(1000))).message).toBe(
        "event000001000-truth.arrow: column 'particle_id': has Arrow type Uint64, expected Int64 (format version 2)",
      );
    });
  });

  describe('manifest', () => {
    it('lists every Arrow file with its size and SHA-256; dataset files also per record batch', async () => {
      for (const layout of ['per-event', 'dataset'] as const) {
        const out = join(dir, layout);
        await writeArrowEvents(out, events, { layout, producer: { name: 'p', version: '1', config: null } });
        const manifest = manifestOf(out);
        expect(manifest).toMatchObject({ format: 'hypertrack-arrow-store-manifest', version: 1, layout });
        expect((await openArrowStore(out)).verified).toBe(true);
        expect(manifest.files.map((f) => f.name)).toEqual(listing(out).filter((name) => name.endsWith('.arrow')));
        for (const file of manifest.files) {
          const bytes = readFileSync(join(out, file.name));
          expect({ bytes: file.bytes, sha256: file.sha256 }).toEqual({ bytes: bytes.length, sha256: sha256(bytes) });
          if (layout === 'per-event') {
            expect(file.batches).toBeUndefined();
            continue;
          }
          // One range per event; the ranges and what lies outside them make up the whole file.
          const batches = file.batches ?? [];
          expect(batches).toHaveLength(events.length);
          const outside = createHash('sha256');
          let position = 0;
          for (const batch of batches) {
            expect(sha256(bytes.subarray(batch.offset, batch.offset + batch.bytes))).toBe(batch.sha256);
            outside.update(bytes.subarray(position, batch.offset));
            position = batch.offset + batch.bytes;
          }
          outside.update(bytes.subarray(position));
          expect(file.outsideBatchesSha256).toBe(outside.digest('hex'));
        }
      }
    });

    it('a flipped byte is found before any data is returned, naming the file', async () => {
      const perEvent = join(dir, 'per-event');
      await writeArrowEvents(perEvent, events, { layout: 'per-event' });
      const truthFile = join(perEvent, 'event000001001-truth.arrow');
      flipByte(truthFile, Math.floor(statSync(truthFile).size / 2));
      const store = await openArrowStore(perEvent);
      const error = await errorOf(() => store.load(1001));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'event000001001-truth.arrow: checksum does not match manifest.json: the file is damaged or was changed after the store was written',
      );
      expectSameEvent(store.load(1000), events[0]);

      // The first hits file is read when the store is opened (its producer): checked there.
      flipByte(join(perEvent, 'event000001000-hits.arrow'), 3);
      expect((await errorOf(() => openEvents(perEvent))).message).toBe(
        'event000001000-hits.arrow: checksum does not match manifest.json: the file is damaged or was changed after the store was written',
      );

      const dataset = join(dir, 'dataset');
      await writeArrowEvents(dataset, events, { layout: 'dataset' });
      const { batches } = manifestOf(dataset).files.find((f) => f.name === 'particles.arrow') ?? {};
      const batch = (batches ?? [])[2];
      flipByte(join(dataset, 'particles.arrow'), batch.offset + batch.bytes - 20);
      const opened = await openArrowStore(dataset);
      expectSameEvent(opened.load(1000), events[0]);
      expect((await errorOf(() => opened.load(1002))).message).toBe(
        'particles.arrow: checksum does not match manifest.json (record batch 2, event data): the file is damaged or was changed after the store was written',
      );
      // A byte of the footer (schema, batch positions) is checked when the store is opened.
      flipByte(join(dataset, 'hits.arrow'), statSync(join(dataset, 'hits.arrow')).size - 40);
      expect((await errorOf(() => openArrowStore(dataset))).message).toBe(
        'hits.arrow: checksum does not match manifest.json (outside the record batches): the file is damaged or was changed after the store was written',
      );
    });

    it('a truncated file is found, naming the file and both sizes', async () => {
      const perEvent = join(dir, 'per-event');
      await writeArrowEvents(perEvent, events, { layout: 'per-event' });
      const file = join(perEvent, 'event000001002-cells.arrow');
      const size = statSync(file).size;
      truncateSync(file, size - 100);
      const store = await openArrowStore(perEvent);
      expect((await errorOf(() => store.load(1002))).message).toBe(`event000001002-cells.arrow: is ${size - 100} bytes, manifest.json says ${size} (truncated?)`);

      const dataset = join(dir, 'dataset');
      await writeArrowEvents(dataset, events, { layout: 'dataset' });
      const truth = join(dataset, 'truth.arrow');
      const full = statSync(truth).size;
      truncateSync(truth, full >> 1);
      expect((await errorOf(() => openArrowStore(dataset))).message).toBe(`truth.arrow: is ${full >> 1} bytes, manifest.json says ${full} (truncated?)`);
    });

    it('files of two writes side by side (new hits beside old truth and particles) are refused', async () => {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      await writeArrowEvents(a, events.slice(0, 2), { layout: 'dataset' });
      await writeArrowEvents(b, [events[0], { ...events[1], hits: events[2].hits, truth: events[2].truth }], { layout: 'dataset' });
      writeFileSync(join(a, 'hits.arrow'), readFileSync(join(b, 'hits.arrow')));
      const error = await errorOf(() => openEvents(a));
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/^hits\.arrow: (is \d+ bytes, manifest\.json says \d+ \(changed after the store was written\?\)|checksum does not match manifest\.json)/);
    });

    it('an Arrow file the manifest does not list, or a listed file that is gone, is refused', async () => {
      const out = join(dir, 'store');
      await writeArrowEvents(out, events.slice(0, 2), { layout: 'per-event' });
      writeFileSync(join(out, 'event000001005-hits.arrow'), readFileSync(join(out, 'event000001000-hits.arrow')));
      expect((await errorOf(() => openArrowStore(out))).message).toBe(
        'event000001005-hits.arrow: is not listed in manifest.json: not part of the store as written (added or left by another write?)',
      );
      rmSync(join(out, 'event000001005-hits.arrow'));
      rmSync(join(out, 'event000001001-truth.arrow'));
      expect((await errorOf(() => openArrowStore(out))).message).toBe(
        'event000001001-truth.arrow: file not found, but manifest.json lists it (removed after the store was written?)',
      );
      writeFileSync(join(out, 'manifest.json'), '{"format": "hypertrack-arrow-store-manifest", "version": 1, "lay');
      expect((await errorOf(() => openArrowStore(out))).message).toBe('manifest.json: is not valid JSON (damaged?)');
    });

    it('a store without a manifest (written before manifests) opens unverified', async () => {
      const out = join(dir, 'old');
      await writeArrowEvents(out, events, { layout: 'dataset' });
      rmSync(join(out, 'manifest.json'));
      const store = await openArrowStore(out);
      expect(store.verified).toBe(false);
      for (const event of events) expectSameEvent(store.load(event.eventId), event);
    });

    it('a dataset file rewritten after the store was opened is refused, not read at the old offsets', async () => {
      const out = join(dir, 'dataset');
      await writeArrowEvents(out, events, { layout: 'dataset' });
      const store = await openArrowStore(out);
      await writeArrowEvents(out, events.slice(1), { layout: 'dataset' });
      expect((await errorOf(() => store.load(1001))).message).toBe('hits.arrow: was rewritten since the store was opened (by another write?); open the store again');
      expectSameEvent((await openArrowStore(out)).load(1001), events[1]);
    });
  });

  describe('one commit per store', () => {
    it('a write that fails half-way leaves the old store exactly as it was, and nothing beside it', async () => {
      for (const layout of ['per-event', 'dataset'] as const) {
        const out = join(dir, layout);
        await writeArrowEvents(out, events.slice(0, 2), { layout });
        const before = snapshot(out);
        const siblings = listing(dir);
        async function* failing(): AsyncGenerator<TrackMLEvent> {
          yield events[2];
          throw new Error('simulator crashed');
        }
        await expect(writeArrowEvents(out, failing(), { layout })).rejects.toThrow('simulator crashed');
        expect(snapshot(out)).toEqual(before);
        expect(listing(dir)).toEqual(siblings);
        const store = await openArrowStore(out);
        expect(store.eventIds).toEqual([1000, 1001]);
        expectSameEvent(store.load(1001), events[1]);
      }
    });

    it('a failure between moving the old store aside and moving the new one in puts the old one back', async () => {
      const out = join(dir, 'store');
      await writeArrowEvents(out, events.slice(0, 2), { layout: 'dataset' });
      const before = snapshot(out);
      let aside: string[] = [];
      const sink = await ArrowEventSink.open(out, {
        layout: 'dataset',
        hooks: {
          afterAside: () => {
            aside = listing(dir);
            expect(existsSync(out)).toBe(false);
            throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
          },
        },
      });
      sink.append(events[2]);
      const error = await errorOf(() => sink.commit());
      await sink.abort();
      expect(error.message).toBe(`${out}: cannot write: input/output error from the device (EIO); check the disk`);
      expect(aside.filter((name) => name.endsWith('.replaced'))).toHaveLength(1);
      expect(aside.filter((name) => name.endsWith('.writing'))).toHaveLength(1);
      expect(snapshot(out)).toEqual(before);
      expect(listing(dir)).toEqual(['store']);
    });

    it('a write killed between the renames: the next open puts the old store back; a killed write leaves no trace after the next one', async () => {
      const out = join(dir, 'store');
      await writeArrowEvents(out, events.slice(0, 2), { layout: 'per-event' });
      const before = snapshot(out);
      const pid = deadProcessId();
      // What a kill after step 2 leaves: the old store aside, the complete new one not yet in place.
      renameSync(out, join(dir, `.store.${pid}-0000abcd.replaced`));
      mkdirSync(join(dir, `.store.${pid}-0000abcd.writing`));
      writeFileSync(join(dir, `.store.${pid}-0000abcd.writing`, 'event000001002-hits.arrow'), 'partial');
      // A write of a process that still runs (this one) is left alone.
      mkdirSync(join(dir, `.store.${process.pid}-0000beef.writing`));

      const source = await openEvents(out);
      expect(source.eventIds).toEqual([1000, 1001]);
      expect(snapshot(out)).toEqual(before);
      expect(listing(dir)).toEqual([`.store.${process.pid}-0000beef.writing`, 'store']);
      rmSync(join(dir, `.store.${process.pid}-0000beef.writing`), { recursive: true });

      // Killed after step 3: the new store is in place, the old one still aside; it goes.
      await writeArrowEvents(join(dir, 'next'), events.slice(2), { layout: 'per-event' });
      renameSync(out, join(dir, `.store.${pid}-0000dcba.replaced`));
      renameSync(join(dir, 'next'), out);
      expect((await openArrowStore(out)).eventIds).toEqual([1002]);
      expect(listing(dir)).toEqual(['store']);
    });

    it('the same state repaired by the next write, which then adds its events to the old ones', async () => {
      const out = join(dir, 'store');
      await writeArrowEvents(out, events.slice(0, 2), { layout: 'per-event' });
      renameSync(out, join(dir, `.store.${deadProcessId()}-0000abcd.replaced`));
      await writeArrowEvents(out, events.slice(2), { layout: 'per-event' });
      expect(listing(dir)).toEqual(['store']);
      const store = await openArrowStore(out);
      expect(store.eventIds).toEqual([1000, 1001, 1002]);
      for (const event of events) expectSameEvent(store.load(event.eventId), event);
    });

    it('a process killed (SIGKILL) in the middle of a write leaves the old store intact and readable', async () => {
      const out = join(dir, 'store');
      await writeArrowEvents(out, events.slice(0, 2), { layout: 'dataset' });
      const before = snapshot(out);
      // A child process writes a new dataset into the same folder and is killed after its first event.
      const script = join(dir, 'writer.ts');
      writeFileSync(
        script,
        `import { writeArrowEvents } from ${JSON.stringify(resolve(__dirname, 'write-events.ts'))};
import { syntheticEvent } from ${JSON.stringify(resolve(__dirname, '../../../event/src/testing/synthetic-event.ts'))};
async function* events() {
  yield syntheticEvent(7, { eventId: 7 });
  process.stdout.write('wrote one\\n');
  await new Promise(() => setInterval(() => undefined, 1000));
}
void writeArrowEvents(${JSON.stringify(out)}, events(), { layout: 'dataset' });
`,
      );
      // From the package folder, where tsx (which runs the TypeScript sources) is found.
      const child = spawn(process.execPath, ['--conditions=@hypertrack/source', '--import', 'tsx', script], { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise<void>((done, fail) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('wrote one')) done();
        });
        child.on('exit', () => fail(new Error(`writer exited early: ${stderr}`)));
      });
      const exited = new Promise((done) => child.on('exit', done));
      child.kill('SIGKILL');
      await exited;
      const leftovers = listing(dir).filter((name) => name.startsWith('.store.'));
      expect(leftovers).toEqual([`.store.${child.pid}-${leftovers[0]?.slice(-16, -8)}.writing`]);
      expect(readdirSync(join(dir, leftovers[0]))).toContain('hits.arrow');
      expect(snapshot(out)).toEqual(before);

      const store = await openArrowStore(out);
      expect(store.eventIds).toEqual([1000, 1001]);
      expectSameEvent(store.load(1001), events[1]);
      expect(listing(dir).filter((name) => name !== 'writer.ts')).toEqual(['store']);
    }, 60_000);
  });

  describe('writing into an existing folder', () => {
    it('per-event: adds and replaces events, keeps the others and files that are not the store', async () => {
      const out = join(dir, 'store');
      await writeArrowEvents(out, events.slice(0, 2), { layout: 'per-event' });
      writeFileSync(join(out, 'notes.txt'), 'keep me');
      mkdirSync(join(out, 'plots'));
      writeFileSync(join(out, 'plots', 'a.svg'), '<svg/>');
      // Event 1000 again, without its cells this time, and a new event.
      const again = { ...events[2], eventId: 1000 };
      delete again.cells;
      await writeArrowEvents(out, [again, { ...events[2], eventId: 1003 }], { layout: 'per-event' });
      expect(listing(out)).toEqual([
        'event000001000-hits.arrow',
        'event000001000-particles.arrow',
        'event000001000-truth.arrow',
        'event000001001-cells.arrow',
        'event000001001-hits.arrow',
        'event000001001-particles.arrow',
        'event000001001-truth.arrow',
        'event000001003-cells.arrow',
        'event000001003-hits.arrow',
        'event000001003-particles.arrow',
        'event000001003-truth.arrow',
        'manifest.json',
        'notes.txt',
        'plots',
      ]);
      expect(readFileSync(join(out, 'plots', 'a.svg'), 'utf8')).toBe('<svg/>');
      const store = await openArrowStore(out);
      expectSameEvent(store.load(1000), again);
      expectSameEvent(store.load(1001), events[1]);
      expect(listing(dir)).toEqual(['store']);
    });

    it('per-event into a store without a manifest: the events kept are hashed into the new manifest', async () => {
      const out = join(dir, 'store');
      await writeArrowEvents(out, events.slice(0, 1), { layout: 'per-event' });
      rmSync(join(out, 'manifest.json'));
      await writeArrowEvents(out, events.slice(1, 2), { layout: 'per-event' });
      const kept = manifestOf(out).files.find((f) => f.name === 'event000001000-hits.arrow');
      expect(kept?.sha256).toBe(sha256(readFileSync(join(out, 'event000001000-hits.arrow'))));
      expectSameEvent((await openArrowStore(out)).load(1000), events[0]);
    });

    it('a dataset replaces the dataset; the two layouts never share a folder', async () => {
      const out = join(dir, 'dataset');
      await writeArrowEvents(out, events, { layout: 'dataset' });
      await writeArrowEvents(out, [{ ...events[1], cells: undefined }], { layout: 'dataset' });
      expect(listing(out)).toEqual(['hits.arrow', 'manifest.json', 'particles.arrow', 'truth.arrow']);
      expect((await openArrowStore(out)).eventIds).toEqual([1001]);

      const before = snapshot(out);
      expect((await errorOf(() => writeArrowEvents(out, events, { layout: 'per-event' }))).message).toBe(
        `${out}: holds a dataset store (hits.arrow); a per-event store cannot share its folder: write into another folder or remove that store first`,
      );
      expect(snapshot(out)).toEqual(before);
      expect(listing(dir)).toEqual(['dataset']);
    });

    it('through a symbolic link: the link keeps pointing at the store, now the new one', async () => {
      const real = join(dir, 'real');
      await writeArrowEvents(real, events.slice(0, 1), { layout: 'dataset' });
      symlinkSync(real, join(dir, 'link'));
      await writeArrowEvents(join(dir, 'link'), events.slice(1, 2), { layout: 'dataset' });
      expect((await openArrowStore(join(dir, 'link'))).eventIds).toEqual([1001]);
      expect((await openArrowStore(real)).eventIds).toEqual([1001]);
      expect(listing(dir)).toEqual(['link', 'real']);
    });

    it('a CSV folder converted in place keeps its CSV files', async () => {
      const csv = join(dir, 'csv');
      await writeTrackMLEvent(csv, events[0]);
      const csvFiles = listing(csv);
      await writeArrowEvents(csv, events.slice(0, 1), { layout: 'dataset' });
      expect(listing(csv)).toEqual([...csvFiles, 'hits.arrow', 'manifest.json', 'particles.arrow', 'truth.arrow', 'cells.arrow'].sort());
    });
  });
});

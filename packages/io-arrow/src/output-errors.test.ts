// The default import is Node's fs module object itself, whose functions the writers call: spying
// on it reaches them (a namespace import would be a copy).
import fs from 'node:fs';
import { join } from 'node:path';
import { allocateTable, OutputError } from '@hypertrack/core';
import { syntheticEvent } from '@hypertrack/event';
import { convertCsvToArrow } from './arrow/convert';
import { writeArrowEvents } from './arrow/write-events';
import { writeTrackMLTable } from './csv/write-table';
import { listing, tempDir } from './test-support';
import { writeTrackMLEvent } from './write-event';

/** The error Node gives when the disk is full. */
const diskFull = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

async function errorOf(run: () => Promise<unknown>): Promise<Error> {
  return run().then(
    () => {
      throw new Error('expected an error');
    },
    (error: unknown) => error as Error,
  );
}

const FULL = 'cannot write: no space left on the device (ENOSPC); free some space or write elsewhere';

describe('write errors name the output and say what to do', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => {
    jest.restoreAllMocks();
    cleanup();
  });

  it('a full disk while writing CSV (plain and gzip): the file asked for, not the hidden temporary one', async () => {
    // Node's own write stream, given a file-system layer whose writes fail as on a full disk.
    const createWriteStream = fs.createWriteStream;
    jest.spyOn(fs, 'createWriteStream').mockImplementation(((path: string, options: object) =>
      createWriteStream(path, {
        ...options,
        fs: { open: fs.open, close: fs.close, write: (...args: unknown[]) => (args[args.length - 1] as (error: Error) => void)(diskFull()) },
      })) as typeof fs.createWriteStream);
    for (const name of ['hits.csv', 'hits.csv.gz']) {
      const error = await errorOf(() => writeTrackMLTable('hits', syntheticEvent(1).hits, join(dir, name)));
      expect(error).toBeInstanceOf(OutputError);
      expect(error.message).toBe(`${join(dir, name)}: ${FULL}`);
      expect((error as OutputError).code).toBe('ENOSPC');
    }
    const event = await errorOf(() => writeTrackMLEvent(join(dir, 'csv'), syntheticEvent(2, { eventId: 3 })));
    expect(event.message).toBe(`${join(dir, 'csv', 'event000000003-hits.csv')}: ${FULL}`);
    expect(listing(dir)).toEqual(['csv']);
    expect(listing(join(dir, 'csv'))).toEqual([]);
  });

  it('a full disk while writing an Arrow store: the file of the store, which is left as it was', async () => {
    const out = join(dir, 'store');
    await writeArrowEvents(out, [syntheticEvent(1, { eventId: 1 })], { layout: 'dataset' });
    const before = listing(out);
    const writeSync = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, ...rest: unknown[]) => {
      if (fd > 2) throw diskFull();
      return (writeSync as (...a: unknown[]) => number)(fd, ...rest);
    }) as typeof fs.writeSync);
    for (const layout of ['dataset', 'per-event'] as const) {
      const target = join(dir, layout === 'dataset' ? 'store' : 'fresh');
      const error = await errorOf(() => writeArrowEvents(target, [syntheticEvent(2, { eventId: 2 })], { layout }));
      expect(error).toBeInstanceOf(OutputError);
      const first = layout === 'dataset' ? 'hits.arrow' : 'event000000002-hits.arrow';
      expect(error.message).toBe(`${join(target, first)}: ${FULL}`);
    }
    jest.restoreAllMocks();
    expect(listing(out)).toEqual(before);
    expect(listing(dir)).toEqual(['store']);
  });

  it('a file where a folder should be: CSV tables and events, Arrow stores, conversions', async () => {
    const file = join(dir, 'file');
    fs.writeFileSync(file, 'in the way');
    // The folder to create is that file (EEXIST), or below it (ENOTDIR).
    const inTheWay = 'cannot write: a file is in the way where a folder should be (EEXIST); check the path';
    const notAFolder = 'cannot write: a part of the path is a file, not a folder (ENOTDIR); check the path';
    const table = join(file, 'hits.csv');
    expect((await errorOf(() => writeTrackMLTable('hits', allocateTable('hits', 0), table))).message).toBe(`${table}: ${inTheWay}`);
    const events = join(file, 'events');
    expect((await errorOf(() => writeTrackMLEvent(events, syntheticEvent(1)))).message).toBe(`${events}: ${notAFolder}`);
    const store = join(file, 'store');
    expect((await errorOf(() => writeArrowEvents(store, [syntheticEvent(1)], { layout: 'per-event' }))).message).toBe(`${store}: ${inTheWay}`);
    const csv = join(dir, 'csv');
    await writeTrackMLEvent(csv, syntheticEvent(1, { eventId: 4 }));
    const deeper = join(file, 'a', 'store');
    expect((await errorOf(() => convertCsvToArrow(csv, deeper))).message).toBe(`${deeper}: ${notAFolder}`);
    // The store path itself a file: nothing is replaced.
    expect((await errorOf(() => writeArrowEvents(file, [syntheticEvent(1)], { layout: 'dataset' }))).message).toBe(
      `${file}: cannot write: a file is in the way of the store folder; choose another path`,
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('in the way');
    expect(listing(dir)).toEqual(['csv', 'file']);
  });

  it('a store cannot replace the current folder (here reached through a link), and nothing is written', async () => {
    const link = join(dir, 'here');
    fs.symlinkSync(process.cwd(), link);
    const before = fs.readdirSync(process.cwd()).sort();
    const error = await errorOf(() => writeArrowEvents(link, [syntheticEvent(1)], { layout: 'dataset' }));
    expect(error).toBeInstanceOf(OutputError);
    expect(error.message).toBe(`${link}: cannot write: it is the current folder or holds it, and a store is replaced as a whole; write the store into a subfolder`);
    expect(fs.readdirSync(process.cwd()).sort()).toEqual(before);
  });
});

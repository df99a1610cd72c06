import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConfigError, InputError, type TableKind } from '@hypertrack/core';
import { convertCsvToArrow } from './arrow/convert';
import { readTrackMLTable } from './csv/read-table';
import { readTrackMLEvent } from './read-event';
import { openEvents } from './open-events';
import { listing, tempDir } from './test-support';
import { syntheticEvent } from '@hypertrack/event';
import { writeTrackMLEvent } from './write-event';

/**
 * Every malformed input must fail with an exact, located message, and the conversion that met it
 * must leave its output exactly as it was. Event 1000 is valid and converted first, so per-event
 * files of a good event are already written (as temporary files) when event 1001 fails.
 */
describe('malformed TrackML input', () => {
  let inDir: string;
  let outDir: string;
  let freshOut: string;
  let cleanup: () => void;

  beforeEach(async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    inDir = join(temp.dir, 'in');
    outDir = join(temp.dir, 'out');
    freshOut = join(temp.dir, 'not-yet', 'store');
    const shape = { tracks: 3, invisible: 1, noise: 2, minHits: 2, maxHits: 3 };
    await writeTrackMLEvent(inDir, syntheticEvent(1, { ...shape, eventId: 1000 }));
    await writeTrackMLEvent(inDir, syntheticEvent(2, { ...shape, eventId: 1001 }));
    await writeTrackMLEvent(outDir, syntheticEvent(3, { ...shape, eventId: 5 }));
    writeFileSync(join(outDir, 'notes.txt'), 'keep me');
  });
  afterEach(() => cleanup());

  const fileOf = (kind: TableKind) => join(inDir, `event000001001-${kind}.csv`);

  /** Rewrites lines of an event-1001 file; `lines[0]` is the header (line 1). */
  function edit(kind: TableKind, change: (lines: string[]) => void): void {
    const lines = readFileSync(fileOf(kind), 'latin1').split('\n');
    change(lines);
    writeFileSync(fileOf(kind), lines.join('\n'), 'latin1');
  }

  function setField(line: string, index: number, value: string): string {
    const fields = line.split(',');
    fields[index] = value;
    return fields.join(',');
  }

  /** Messages start with the path the caller gave; the cases below spell only the file name. */
  const located = (message: string) => message.replace(/^(event\d{9}-\w+\.csv(?:\.gz)?)/, (name) => join(inDir, name));

  async function expectRejected(bareMessage: string): Promise<void> {
    const message = located(bareMessage);
    const before = listing(outDir);
    for (const [out, layout] of [
      [outDir, 'per-event'],
      [freshOut, 'dataset'],
    ] as const) {
      const error = await convertCsvToArrow(inDir, out, { layout }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(message);
      // Nothing from the file reaches the terminal raw: no control character, one line.
      expect((error as Error).message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    }
    expect(listing(outDir)).toEqual(before);
    expect(existsSync(join(freshOut, '..'))).toBe(false);
    // The event reader itself reports the same problem.
    const direct = await readTrackMLEvent(inDir, 1001).then(
      () => null,
      (e: unknown) => e,
    );
    expect((direct as Error).message).toBe(message);
  }

  it('a truth particle_id that the particles table does not list', async () => {
    edit('truth', (lines) => (lines[2] = setField(lines[2], 1, '123456789')));
    const hitId = readFileSync(fileOf('truth'), 'latin1').split('\n')[2].split(',')[0];
    await expectRejected(`event000001001-truth.csv:3: column 'particle_id': particle_id 123456789 of hit_id ${hitId} is not in ${fileOf('particles')}`);
  });

  it('events that select nothing name the flag that chose them', async () => {
    await expect(openEvents(inDir, { events: '7-9', eventsKey: '--events' })).rejects.toThrow(new ConfigError('--events', `no event of ${inDir} is in 7-9`));
    await expect(openEvents(inDir, { events: '7-9' })).rejects.toThrow(`${inDir}: no event in 7-9`);
  });

  it('truncated line', async () => {
    edit('hits', (lines) => (lines[3] = lines[3].split(',').slice(0, 3).join(',')));
    await expectRejected("event000001001-hits.csv:4: column 'z': missing: the line has 3 of 7 fields");
  });

  it('file cut in the middle of its last line', async () => {
    const text = readFileSync(fileOf('truth'), 'latin1');
    const lines = text.trimEnd().split('\n');
    const last = lines.pop() as string;
    writeFileSync(fileOf('truth'), [...lines, last.split(',').slice(0, 2).join(',') + ',-1'].join('\n'));
    await expectRejected(`event000001001-truth.csv:${lines.length + 1}: column 'ty': missing: the line has 3 of 9 fields`);
  });

  it('unknown column in the header', async () => {
    edit('hits', (lines) => (lines[0] = lines[0].replace(',x,', ',xx,')));
    await expectRejected("event000001001-hits.csv:1: column 'xx': unknown column for a hits table (expected hit_id, x, y, z, volume_id, layer_id, module_id)");
  });

  it('terminal escape sequences in a header name are shown escaped', async () => {
    // ESC [ 31 m (red), BEL, the one-byte C1 CSI (0x9b) clearing the screen, a carriage return.
    edit('hits', (lines) => (lines[0] = lines[0].replace(',x,', ',\u001b[31mx\u001b[0m\u0007\u009b2J\r,')));
    await expectRejected(
      "event000001001-hits.csv:1: column '\\u001b[31mx\\u001b[0m\\u0007\\u009b2J\\u000d': unknown column for a hits table (expected hit_id, x, y, z, volume_id, layer_id, module_id)",
    );
  });

  it('terminal escape sequences in a field are shown escaped', async () => {
    edit('hits', (lines) => (lines[2] = setField(lines[2], 1, '\u001b]0;owned\u0007\u007f')));
    await expectRejected(`event000001001-hits.csv:3: column 'x': expected a number, got "\\u001b]0;owned\\u0007\\u007f"`);
  });

  it('a file without line breaks is rejected once its first line passes 1 MiB, plain or gzip', async () => {
    const line = Buffer.alloc(4 << 20, 'hit_id,x,');
    writeFileSync(fileOf('hits'), line);
    const tooLong = 'the header line is longer than 1048576 bytes (1 MiB) without a line break; TrackML CSV lines are under 200 bytes: not a TrackML CSV file?';
    await expectRejected(`event000001001-hits.csv:1: ${tooLong}`);
    rmSync(fileOf('hits'));
    writeFileSync(`${fileOf('hits')}.gz`, gzipSync(line));
    await expectRejected(`event000001001-hits.csv.gz:1: ${tooLong}`);
  });

  it('a data line longer than 1 MiB', async () => {
    edit('truth', (lines) => (lines[2] = `${lines[2]}${'7'.repeat(3 << 20)}`));
    await expectRejected(
      'event000001001-truth.csv:3: the line is longer than 1048576 bytes (1 MiB) without a line break; TrackML CSV lines are under 200 bytes: not a TrackML CSV file?',
    );
  });

  it('column missing from the header', async () => {
    edit('truth', (lines) => (lines[0] = lines[0].replace(',weight', '')));
    await expectRejected("event000001001-truth.csv:1: column 'weight': missing from the header");
  });

  it('column named twice in the header', async () => {
    edit('hits', (lines) => (lines[0] = lines[0].replace('module_id', 'x')));
    await expectRejected("event000001001-hits.csv:1: column 'x': appears twice in the header");
  });

  it('non-numeric field', async () => {
    edit('hits', (lines) => (lines[2] = setField(lines[2], 1, 'abc')));
    await expectRejected(`event000001001-hits.csv:3: column 'x': expected a number, got "abc"`);
  });

  it('NaN coordinate', async () => {
    edit('hits', (lines) => (lines[5] = setField(lines[5], 2, 'nan')));
    await expectRejected(`event000001001-hits.csv:6: column 'y': expected a finite number, got "nan"`);
  });

  it('infinite value', async () => {
    edit('truth', (lines) => (lines[2] = setField(lines[2], 6, '-Infinity')));
    await expectRejected(`event000001001-truth.csv:3: column 'tpy': expected a finite number, got "-Infinity"`);
  });

  it('value beyond the float32 range', async () => {
    edit('hits', (lines) => (lines[2] = setField(lines[2], 3, '1e39')));
    await expectRejected(`event000001001-hits.csv:3: column 'z': out of the float32 range, got "1e39"`);
  });

  it('non-integer in an integer column', async () => {
    edit('hits', (lines) => (lines[4] = setField(lines[4], 4, '7.5')));
    await expectRejected(`event000001001-hits.csv:5: column 'volume_id': expected an integer, got "7.5"`);
  });

  it('integer beyond 32 bits', async () => {
    edit('hits', (lines) => (lines[2] = setField(lines[2], 6, '3000000000')));
    await expectRejected(`event000001001-hits.csv:3: column 'module_id': out of the 32-bit integer range, got "3000000000"`);
  });

  it('duplicate hit_id', async () => {
    edit('hits', (lines) => (lines[3] = setField(lines[3], 0, '2')));
    await expectRejected("event000001001-hits.csv:4: column 'hit_id': duplicate hit_id 2 (first on line 3)");
  });

  it('duplicate hit_id in truth', async () => {
    edit('truth', (lines) => (lines[6] = setField(lines[6], 0, '1')));
    await expectRejected("event000001001-truth.csv:7: column 'hit_id': duplicate hit_id 1 (first on line 2)");
  });

  it('truth row whose hit is not in the hits table', async () => {
    edit('truth', (lines) => (lines[4] = setField(lines[4], 0, '999')));
    await expectRejected(`event000001001-truth.csv:5: column 'hit_id': hit_id 999 is not in ${join(inDir, 'event000001001-hits.csv')}`);
  });

  it('hits without truth rows', async () => {
    const hitCount = readFileSync(fileOf('hits'), 'latin1').trimEnd().split('\n').length - 1;
    edit('truth', (lines) => lines.splice(hitCount, 1));
    const hits = join(inDir, 'event000001001-hits.csv');
    await expectRejected(
      `event000001001-truth.csv: ${hitCount - 1} rows for the ${hitCount} hits of ${hits}: ` + `hit_id ${hitCount} (line ${hitCount + 1} of ${hits}) has no truth row`,
    );
  });

  it('missing file of an event', async () => {
    rmSync(fileOf('truth'));
    await expectRejected(
      `event000001001-truth.csv: missing: event 1001 in ${inDir} has neither event000001001-truth.csv nor event000001001-truth.csv.gz`,
    );
  });

  it('both plain and gzip file of one table', async () => {
    writeFileSync(`${fileOf('particles')}.gz`, gzipSync(readFileSync(fileOf('particles'))));
    await expectRejected(`event000001001-particles.csv: both event000001001-particles.csv and event000001001-particles.csv.gz exist in ${inDir}; keep one`);
  });

  it('empty file', async () => {
    writeFileSync(fileOf('particles'), '');
    await expectRejected('event000001001-particles.csv:1: empty file, expected a header line');
  });

  it('empty line inside the data', async () => {
    edit('hits', (lines) => lines.splice(2, 0, ''));
    await expectRejected('event000001001-hits.csv:3: empty line, expected 7 fields');
  });

  it('line with too many fields', async () => {
    edit('hits', (lines) => (lines[2] += ',1,2'));
    await expectRejected('event000001001-hits.csv:3: the line has 9 fields, expected 7');
  });

  it('corrupt gzip', async () => {
    const gzip = gzipSync(readFileSync(fileOf('hits')));
    rmSync(fileOf('hits'));
    writeFileSync(`${fileOf('hits')}.gz`, gzip.subarray(0, gzip.length >> 1));
    await expectRejected('event000001001-hits.csv.gz: corrupt gzip data (unexpected end of file)');
  });

  it('particle_id of 2^64', async () => {
    edit('particles', (lines) => (lines[2] = setField(lines[2], 0, '18446744073709551616')));
    await expectRejected(`event000001001-particles.csv:3: column 'particle_id': out of range: expected an integer in [0, 2^64), got "18446744073709551616"`);
  });

  it('negative particle_id', async () => {
    edit('truth', (lines) => (lines[3] = setField(lines[3], 1, '-5')));
    await expectRejected(`event000001001-truth.csv:4: column 'particle_id': out of range: expected an integer in [0, 2^64), got "-5"`);
  });

  it('non-integer particle_id', async () => {
    edit('particles', (lines) => (lines[1] = setField(lines[1], 0, '4.5e17')));
    await expectRejected(`event000001001-particles.csv:2: column 'particle_id': out of range: expected an integer in [0, 2^64), got "4.5e17"`);
  });

  it('duplicate particle_id', async () => {
    edit('particles', (lines) => (lines[3] = setField(lines[3], 0, lines[1].split(',')[0])));
    await expectRejected(
      `event000001001-particles.csv:4: column 'particle_id': duplicate particle_id ${readFileSync(fileOf('particles'), 'latin1').split('\n')[1].split(',')[0]} (first on line 2)`,
    );
  });

  it('a missing table file read on its own', async () => {
    await expect(readTrackMLTable('hits', join(inDir, 'nothing.csv'))).rejects.toThrow(new InputError({ file: join(inDir, 'nothing.csv') }, 'file not found'));
  });
});

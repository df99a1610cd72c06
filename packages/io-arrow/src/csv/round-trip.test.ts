import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng, allocateTable, type TableKind, type TableOfKind } from '@hypertrack/core';
import { awkwardFloat32, listing, tempDir } from '../test-support';
import { syntheticEvent } from '@hypertrack/event';
import { readTrackMLTable } from './read-table';
import { writeTrackMLTable } from './write-table';

/** Bit-level equality of every column (so -0 and 0 differ, as they must). */
function expectIdentical<K extends TableKind>(a: TableOfKind[K], b: TableOfKind[K]): void {
  const left = a as unknown as Record<string, ArrayBufferView>;
  const right = b as unknown as Record<string, ArrayBufferView>;
  expect(Object.keys(right).sort()).toEqual(Object.keys(left).sort());
  for (const key of Object.keys(left)) {
    expect(right[key].constructor).toBe(left[key].constructor);
    const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    expect(bytes(right[key]).equals(bytes(left[key]))).toBe(true);
  }
}

function awkwardTruth(seed: number, rows: number): TableOfKind['truth'] {
  const rng = Rng.fromSeed(seed);
  const truth = allocateTable('truth', rows);
  for (let i = 0; i < rows; i++) truth.hitId[i] = i + 1;
  for (const key of ['tx', 'ty', 'tz', 'tpx', 'tpy', 'tpz', 'weight'] as const) truth[key].set(awkwardFloat32(rng, rows));
  const near = [0n, 1n, 2n ** 64n - 1n, 2n ** 64n - 2n, 2n ** 63n, 2n ** 53n + 1n, 2n ** 32n - 1n, 2n ** 32n];
  for (let i = 0; i < rows; i++) {
    truth.particleId[i] = i < near.length ? near[i] : 2n ** 64n - 1n - (BigInt(rng.nextUint32()) << BigInt(rng.int(33)));
  }
  return truth;
}

describe('TrackML CSV round trip', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it.each(['plain', 'gzip'])('read -> write -> read is bit-identical (%s)', async (mode) => {
    const suffix = mode === 'gzip' ? '.csv.gz' : '.csv';
    const truth = awkwardTruth(3, 5000);
    const first = join(dir, `a-truth${suffix}`);
    await writeTrackMLTable('truth', truth, first);
    const read1 = await readTrackMLTable('truth', first);
    expectIdentical<'truth'>(truth, read1);
    const second = join(dir, `b-truth${suffix}`);
    await writeTrackMLTable('truth', read1, second);
    expectIdentical<'truth'>(read1, await readTrackMLTable('truth', second));
    // Writing is deterministic (gzip included: Node writes no timestamp), so the files match too.
    expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
    if (mode === 'gzip') expect([...readFileSync(first).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  });

  it('round-trips every table kind of an event', async () => {
    const event = syntheticEvent(8, { cells: true });
    for (const kind of ['hits', 'particles', 'truth', 'cells'] as const) {
      const path = join(dir, `${kind}.csv`);
      const table = event[kind] as TableOfKind[typeof kind];
      await writeTrackMLTable(kind, table, path);
      expectIdentical(table, await readTrackMLTable(kind, path));
    }
  });

  it('leaves nhits out when no row knows it, and reads it back as -1', async () => {
    const particles = syntheticEvent(2).particles;
    particles.nhits.fill(-1);
    const path = join(dir, 'particles.csv');
    await writeTrackMLTable('particles', particles, path);
    expect(readFileSync(path, 'latin1').split('\n')[0]).toBe('particle_id,vx,vy,vz,px,py,pz,q');
    expectIdentical<'particles'>(particles, await readTrackMLTable('particles', path));
  });

  it('detects gzip by content, not by file name', async () => {
    const path = join(dir, 'cells.csv');
    writeFileSync(path, gzipSync('hit_id,ch0,ch1,value\n1,2,3,0.5\n'));
    expect((await readTrackMLTable('cells', path)).value).toEqual(Float32Array.of(0.5));
  });

  it('writes atomically: a failing write leaves neither the file nor a temporary file', async () => {
    const hits = syntheticEvent(4).hits;
    hits.y[3] = NaN;
    writeFileSync(join(dir, 'keep.txt'), 'x');
    await expect(writeTrackMLTable('hits', hits, join(dir, 'hits.csv.gz'))).rejects.toThrow(
      "hits.csv.gz:5: column 'y': NaN cannot be written: the reader rejects non-finite values",
    );
    expect(listing(dir)).toEqual(['keep.txt']);
  });

  it('rejects a table whose columns differ in length, writing nothing', async () => {
    const hits = syntheticEvent(4).hits;
    hits.z = hits.z.subarray(1);
    await expect(writeTrackMLTable('hits', hits, join(dir, 'hits.csv'))).rejects.toThrow(
      `hits.csv: column 'z': has ${hits.z.length} rows, but column 'hit_id' has ${hits.z.length + 1}`,
    );
    expect(listing(dir)).toEqual([]);
  });

  it('replaces an existing file only when the new one is complete', async () => {
    const path = join(dir, 'cells.csv');
    writeFileSync(path, 'old');
    const cells = allocateTable('cells', 2);
    cells.value[1] = Infinity;
    await expect(writeTrackMLTable('cells', cells, path)).rejects.toThrow("cells.csv:3: column 'value': Infinity cannot be written: the reader rejects non-finite values");
    expect(readFileSync(path, 'latin1')).toBe('old');
    expect(listing(dir)).toEqual(['cells.csv']);
  });
});

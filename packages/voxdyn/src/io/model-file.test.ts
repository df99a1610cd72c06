import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { InputError } from '@hypertrack/core';
import type { VoxdynModel } from '../model';
import { decodeModel, encodeModel, loadModel, saveModel } from './model-file';

const model: VoxdynModel = {
  ncell: 3,
  dim: 2,
  node2node: 'cricket',
  centroids: Float32Array.from([0, 1, 2, 3, 4.5, -5]),
  cmatrix: { ncell: 3, indptr: Int32Array.from([0, 2, 2, 3]), indices: Int32Array.from([0, 2, 1]), counts: Uint32Array.from([4, 1, 7]) },
  stats: { events: 2, tracks: 11, points: 40, kmeansPoints: 40, niter: 20, meanSquaredDistance: 0.25, seed: 'abc' },
};

describe('model file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'voxdyn-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips every field', async () => {
    const path = join(dir, 'm.vdm');
    await saveModel(path, model);
    expect(await loadModel(path)).toEqual(model);
  });

  it('names the file and the problem for wrong magic, version, truncation and corruption', async () => {
    const good = encodeModel(model);
    const path = join(dir, 'bad.vdm');
    const loadBytes = async (bytes: Uint8Array): Promise<unknown> => {
      await writeFile(path, bytes);
      return loadModel(path);
    };
    const other = good.slice();
    other[8] = 2;
    await expect(loadBytes(other)).rejects.toThrow(`${path}: voxdyn model format version 2 is not supported (this build reads version 1)`);
    await expect(loadBytes(good.subarray(0, good.length - 10))).rejects.toThrow(
      `${path}: truncated or padded voxdyn model: header declares ${good.length} bytes, file has ${good.length - 10}`,
    );
    const flipped = good.slice();
    flipped[good.length - 12] ^= 0xff;
    await expect(loadBytes(flipped)).rejects.toThrow(`${path}: corrupt voxdyn model: checksum mismatch`);
    await expect(loadBytes(new TextEncoder().encode('ncell,x,y\n1,2,3\n4,5,6\n7,8,9\n'))).rejects.toThrow(
      `${path}: not a voxdyn model: the file does not start with 'HTVOXDYN'`,
    );
    await expect(loadBytes(new Uint8Array(5))).rejects.toBeInstanceOf(InputError);
    // Written with a bad value (its checksum is right): refused by file and centroid.
    await expect(loadBytes(encodeModel({ ...model, centroids: Float32Array.from([0, 1, 2, Number.NaN, 4.5, -5]) }))).rejects.toThrow(`${path}: corrupt voxdyn model: centroid 1 has the value NaN`);
    await expect(loadModel(join(dir, 'missing.vdm'))).rejects.toThrow(`${join(dir, 'missing.vdm')}: cannot read voxdyn model:`);
  });

  it('names the file for a header that is not an object or names no known topology', () => {
    const bad = encodeModel({ ...model, node2node: '\u001b[31mteleport' as VoxdynModel['node2node'] });
    expect(() => decodeModel(bad, 'm.vdm')).toThrow("m.vdm: corrupt voxdyn model: header node2node: must be one of hyper, eom, cricket, got '\u001b[31mteleport'");
    // The same body under a header `null` with a right length and checksum.
    const good = encodeModel(model);
    const view = new DataView(good.buffer, good.byteOffset);
    const jsonLength = view.getUint32(12, true);
    const header = new TextEncoder().encode('null'.padEnd(8, ' '));
    const bytes = new Uint8Array(good.length - jsonLength + header.length);
    bytes.set(good.subarray(0, 24));
    bytes.set(header, 24);
    bytes.set(good.subarray(24 + jsonLength), 24 + header.length);
    const out = new DataView(bytes.buffer);
    out.setUint32(12, header.length, true);
    out.setUint32(16, bytes.length, true);
    out.setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
    expect(() => decodeModel(bytes, 'm.vdm')).toThrow('m.vdm: corrupt voxdyn model: the header is not a JSON object');
  });

  it('keeps the training event ranges and rejects a malformed list', () => {
    const recorded: VoxdynModel = { ...model, stats: { ...model.stats, trainingEvents: [[0, 19], [40, 40]] } };
    expect(decodeModel(encodeModel(recorded), 'mem')).toEqual(recorded);
    const unsorted: VoxdynModel = { ...model, stats: { ...model.stats, trainingEvents: [[40, 40], [0, 19]] } };
    expect(() => decodeModel(encodeModel(unsorted), 'm.vdm')).toThrow(
      'm.vdm: corrupt voxdyn model: stats.trainingEvents is not a sorted list of disjoint [first, last] event id ranges',
    );
  });

  it('decodes from a Buffer at a non-zero byte offset', async () => {
    const path = join(dir, 'o.vdm');
    await saveModel(path, model);
    const raw = await readFile(path);
    const shifted = new Uint8Array(raw.length + 3);
    shifted.set(raw, 3);
    expect(decodeModel(shifted.subarray(3), 'mem')).toEqual(model);
  });
});

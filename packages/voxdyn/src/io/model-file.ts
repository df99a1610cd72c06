import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { InputError, writeFileAtomic } from '@hypertrack/core';
import { checkCMatrix } from '../cmatrix/cmatrix';
import type { TrainingStats, VoxdynModel } from '../model';
import { checkNode2Node, type Node2Node } from '../topology/topology';
import { isIdRangeList } from '../train/event-ids';

/**
 * Model file layout (little-endian), version 1:
 *   0   8 bytes  magic "HTVOXDYN"
 *   8   u32      format version
 *   12  u32      header length H (bytes of UTF-8 JSON)
 *   16  u64      total file length (as two u32: low, high)
 *   24  H bytes  JSON header {ncell, dim, node2node, nnz, stats}, padded with spaces to a multiple of 8
 *   then         centroids  f32[ncell * dim]
 *                indptr     i32[ncell + 1]
 *                indices    i32[nnz]
 *                counts     u32[nnz]
 *   last 4 bytes u32 CRC-32 of every preceding byte
 */
export const MODEL_MAGIC = 'HTVOXDYN';
export const MODEL_FORMAT_VERSION = 1;
const PREAMBLE = 24;

interface Header {
  readonly ncell: number;
  readonly dim: number;
  readonly node2node: string;
  readonly nnz: number;
  readonly stats: TrainingStats;
}

export function encodeModel(model: VoxdynModel): Uint8Array {
  const { ncell, dim, centroids, cmatrix } = model;
  const nnz = cmatrix.indices.length;
  const header: Header = { ncell, dim, node2node: model.node2node, nnz, stats: model.stats };
  let json = JSON.stringify(header);
  while (json.length % 8 !== 0) json += ' ';
  const jsonBytes = new TextEncoder().encode(json);
  const sections = [centroids, cmatrix.indptr, cmatrix.indices, cmatrix.counts];
  const body = sections.reduce((s, a) => s + a.byteLength, 0);
  const total = PREAMBLE + jsonBytes.length + body + 4;
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MODEL_MAGIC), 0);
  view.setUint32(8, MODEL_FORMAT_VERSION, true);
  view.setUint32(12, jsonBytes.length, true);
  view.setUint32(16, total % 2 ** 32, true);
  view.setUint32(20, Math.floor(total / 2 ** 32), true);
  bytes.set(jsonBytes, PREAMBLE);
  let at = PREAMBLE + jsonBytes.length;
  for (const a of sections) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  view.setUint32(at, crc32(bytes.subarray(0, at)), true);
  return bytes;
}

/** Parses a model; `file` names the source in every error. */
export function decodeModel(bytes: Uint8Array, file: string): VoxdynModel {
  const fail = (reason: string): never => {
    throw new InputError({ file }, reason);
  };
  if (bytes.length < PREAMBLE + 4) fail(`not a voxdyn model: ${bytes.length} bytes is shorter than the ${PREAMBLE + 4}-byte minimum`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MODEL_MAGIC) fail(`not a voxdyn model: the file does not start with '${MODEL_MAGIC}'`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== MODEL_FORMAT_VERSION) fail(`voxdyn model format version ${version} is not supported (this build reads version ${MODEL_FORMAT_VERSION})`);
  const declared = view.getUint32(16, true) + view.getUint32(20, true) * 2 ** 32;
  if (bytes.length !== declared) fail(`truncated or padded voxdyn model: header declares ${declared} bytes, file has ${bytes.length}`);
  const stored = view.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== stored) fail('corrupt voxdyn model: checksum mismatch');

  const jsonLength = view.getUint32(12, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE, PREAMBLE + jsonLength))) as Header;
  } catch {
    return fail('corrupt voxdyn model: unreadable header');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('corrupt voxdyn model: the header is not a JSON object');
  const { ncell, dim, nnz } = header;
  if (header.stats?.trainingEvents !== undefined && !isIdRangeList(header.stats.trainingEvents)) {
    fail('corrupt voxdyn model: stats.trainingEvents is not a sorted list of disjoint [first, last] event id ranges');
  }
  if (header.stats?.kmeansEvents !== undefined && !isIdRangeList(header.stats.kmeansEvents)) {
    fail('corrupt voxdyn model: stats.kmeansEvents is not a sorted list of disjoint [first, last] event id ranges');
  }
  let node2node: Node2Node;
  try {
    node2node = checkNode2Node(header.node2node);
  } catch (error) {
    return fail(`corrupt voxdyn model: header ${(error as Error).message}`);
  }
  const isCount = (x: unknown): boolean => Number.isInteger(x) && (x as number) >= 0;
  if (!isCount(ncell) || ncell < 1 || !isCount(dim) || dim < 1 || !isCount(nnz)) fail('corrupt voxdyn model: header sizes are not positive integers');
  const body = 4 * (ncell * dim + ncell + 1 + 2 * nnz);
  if (PREAMBLE + jsonLength + body + 4 !== bytes.length) fail(`corrupt voxdyn model: sections need ${PREAMBLE + jsonLength + body + 4} bytes, file has ${bytes.length}`);
  // Copy into fresh, aligned buffers: the input may be a Node Buffer at any byte offset.
  let at = bytes.byteOffset + PREAMBLE + jsonLength;
  const take = (count: number): ArrayBuffer => {
    const slice = bytes.buffer.slice(at, at + 4 * count) as ArrayBuffer;
    at += 4 * count;
    return slice;
  };
  const centroids = new Float32Array(take(ncell * dim));
  const indptr = new Int32Array(take(ncell + 1));
  const indices = new Int32Array(take(nnz));
  const counts = new Uint32Array(take(nnz));
  // The checksum guards against damage, not against a file written with bad values.
  const bad = centroids.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`corrupt voxdyn model: centroid ${Math.floor(bad / dim)} has the value ${centroids[bad]}`);
  const cmatrix = { ncell, indptr, indices, counts };
  checkCMatrix(cmatrix, file);
  return { ncell, dim, node2node, centroids, cmatrix, stats: header.stats };
}

export async function saveModel(path: string, model: VoxdynModel): Promise<void> {
  await writeFileAtomic(path, encodeModel(model));
}

export async function loadModel(path: string): Promise<VoxdynModel> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError({ file: path }, `cannot read voxdyn model: ${(error as Error).message}`);
  }
  return decodeModel(bytes, path);
}

import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { InputError, writeFileAtomic } from '@hypertrack/core';
import type { StateDict } from '../module';

/**
 * safetensors (https://github.com/huggingface/safetensors) at two levels: typed arrays
 * (`encodeSafetensors` / `decodeSafetensors`) and state dicts of tfjs tensors
 * (`saveStateDict` / `loadStateDict`).
 *
 * Layout: u64 little-endian header length N; N bytes of UTF-8 JSON
 * `{"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}`,
 * padded with spaces to a multiple of 8; then the little-endian tensor data, offsets relative to
 * its start, tensors back to back in the order written and covering it exactly.
 */

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** The typed array holding each dtype (F16 and BF16 as their raw 16-bit patterns, BOOL as 0/1 bytes). */
export interface SafetensorsArrays {
  F64: Float64Array;
  F32: Float32Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U64: BigUint64Array;
  U32: Uint32Array;
  U16: Uint16Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
}

export type SafetensorsEntry = {
  [D in SafetensorsDtype]: { readonly dtype: D; readonly shape: readonly number[]; readonly data: SafetensorsArrays[D] };
}[SafetensorsDtype];

export interface SafetensorsFile {
  /** Tensors in data order (the order they were written). */
  readonly tensors: Map<string, SafetensorsEntry>;
  /** The `__metadata__` strings ({} when absent). */
  readonly metadata: Record<string, string>;
}

type ArrayConstructor = { new (buffer: ArrayBuffer): SafetensorsArrays[SafetensorsDtype]; readonly BYTES_PER_ELEMENT: number; readonly name: string };

const ARRAYS: { readonly [D in SafetensorsDtype]: ArrayConstructor } = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U64: BigUint64Array,
  U32: Uint32Array,
  U16: Uint16Array,
  U8: Uint8Array,
  BOOL: Uint8Array,
};

export const SAFETENSORS_DTYPES = Object.keys(ARRAYS) as SafetensorsDtype[];

const METADATA_KEY = '__metadata__';

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ARRAYS, value);
}

function checkHostEndianness(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('safetensors: this host is big-endian; only little-endian hosts are supported');
  }
}

/** Number of elements of a shape, or -1 if it is not a list of non-negative integers. */
function elementCount(shape: unknown): number {
  if (!Array.isArray(shape)) return -1;
  let count = 1;
  for (const size of shape) {
    if (!Number.isSafeInteger(size) || (size as number) < 0) return -1;
    count *= size as number;
  }
  return Number.isSafeInteger(count) ? count : -1;
}

/**
 * Serialises tensors in the map's order. Each entry's `data` must be the typed array of its dtype
 * with exactly prod(shape) elements. Metadata values must be strings; an empty or absent
 * metadata object writes no `__metadata__`.
 */
export function encodeSafetensors(entries: ReadonlyMap<string, SafetensorsEntry>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  checkHostEndianness();
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new RangeError(`safetensors metadata '${key}' must be a string, got ${typeof value}`);
    }
    header[METADATA_KEY] = { ...metadata };
  }
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const [name, entry] of entries) {
    if (name === '' || name === METADATA_KEY) throw new RangeError(`safetensors tensor name '${name}' is not allowed`);
    if (!isDtype(entry.dtype)) throw new RangeError(`tensor '${name}': unknown safetensors dtype '${String(entry.dtype)}'`);
    const Array_ = ARRAYS[entry.dtype];
    if (!(entry.data instanceof Array_)) {
      throw new RangeError(`tensor '${name}': dtype ${entry.dtype} needs a ${Array_.name}, got ${(entry.data as object).constructor.name}`);
    }
    const count = elementCount(entry.shape);
    if (count < 0) throw new RangeError(`tensor '${name}': shape [${entry.shape.join(', ')}] is not a list of non-negative integers`);
    if (entry.data.length !== count) {
      throw new RangeError(`tensor '${name}': shape [${entry.shape.join(', ')}] holds ${count} elements, the data has ${entry.data.length}`);
    }
    const bytes = new Uint8Array(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
    header[name] = { dtype: entry.dtype, shape: [...entry.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Parses and validates a safetensors file: header length within the file, UTF-8 JSON object,
 * known dtypes, shapes of non-negative integers, `end - begin == prod(shape) * itemsize`, and
 * tensors back to back from 0 to the end of the file (no overlap, gap or trailing bytes).
 * Errors are InputErrors naming `source` and the tensor. The arrays are copies (aligned and
 * independent of `bytes`).
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<safetensors bytes>'): SafetensorsFile {
  checkHostEndianness();
  const fail = (reason: string): never => {
    throw new InputError({ file: source }, reason);
  };
  if (bytes.length < 8) fail(`not a safetensors file: ${bytes.length} bytes, shorter than the 8-byte header length`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) fail(`safetensors header length ${headerLength} goes beyond the file (${bytes.length} bytes)`);
  const n = Number(headerLength);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('safetensors header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(`safetensors header does not start with '{' (got ${JSON.stringify(text.slice(0, 16))})`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    return fail(`safetensors header is not valid JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return fail('safetensors header is not a JSON object');

  const metadata: Record<string, string> = {};
  const raw = header as Record<string, unknown>;
  const meta = raw[METADATA_KEY];
  if (meta !== undefined) {
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) fail(`safetensors ${METADATA_KEY} is not an object`);
    for (const [key, value] of Object.entries(meta as Record<string, unknown>)) {
      if (typeof value !== 'string') fail(`safetensors ${METADATA_KEY} entry '${key}' is not a string`);
      metadata[key] = value as string;
    }
  }

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const spans: Array<{ name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }> = [];
  for (const [name, info] of Object.entries(raw)) {
    if (name === METADATA_KEY) continue;
    const where = `tensor '${name}': `;
    if (info === null || typeof info !== 'object' || Array.isArray(info)) return fail(`${where}header entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (!isDtype(dtype)) return fail(`${where}unknown dtype ${JSON.stringify(dtype)} (supported: ${SAFETENSORS_DTYPES.join(', ')})`);
    const count = elementCount(shape);
    if (count < 0) return fail(`${where}shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) {
      return fail(`${where}data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) fail(`${where}data_offsets [${begin}, ${end}] out of range (data is ${dataLength} bytes)`);
    const expected = count * ARRAYS[dtype].BYTES_PER_ELEMENT;
    if (end - begin !== expected) {
      fail(`${where}shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${expected} bytes, data_offsets [${begin}, ${end}] hold ${end - begin}`);
    }
    spans.push({ name, dtype, shape: [...(shape as number[])], begin, end });
  }
  // Stable sort: equal begins only for empty tensors, which keep their header order.
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const span of spans) {
    if (span.begin < covered) fail(`tensor '${span.name}': data_offsets [${span.begin}, ${span.end}] overlap the previous tensor (which ends at ${covered})`);
    if (span.begin > covered) fail(`tensor '${span.name}': data_offsets [${span.begin}, ${span.end}] leave bytes ${covered}..${span.begin} unused`);
    covered = span.end;
  }
  if (covered !== dataLength) fail(`the tensors cover ${covered} of ${dataLength} data bytes (trailing bytes after the last tensor)`);

  const tensors = new Map<string, SafetensorsEntry>();
  for (const { name, dtype, shape, begin, end } of spans) {
    const copy = bytes.slice(dataStart + begin, dataStart + end).buffer;
    tensors.set(name, { dtype, shape, data: new ARRAYS[dtype](copy) } as SafetensorsEntry);
  }
  return { tensors, metadata };
}

/** Reads a safetensors file; a file that cannot be read (missing, a folder) is an InputError naming it. */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError({ file: path }, `cannot read: ${(error as Error).message}`);
  }
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

export interface SaveStateDictOptions {
  /**
   * int32 tensors to write as I64 (PyTorch's dtype of `num_batches_tracked`): a list of names or
   * a predicate. All other int32 tensors are written as I32.
   */
  readonly int64?: readonly string[] | ((name: string) => boolean);
}

/** The safetensors entries of a state dict: float32 as F32, int32 as I32 (or I64), bool as BOOL. */
export function stateDictToSafetensors(state: StateDict, options: SaveStateDictOptions = {}): Map<string, SafetensorsEntry> {
  const int64 = options.int64;
  const wide = typeof int64 === 'function' ? int64 : (name: string) => (int64 ?? []).includes(name);
  const out = new Map<string, SafetensorsEntry>();
  for (const [name, tensor] of state) {
    const shape = [...tensor.shape];
    switch (tensor.dtype) {
      case 'float32':
        out.set(name, { dtype: 'F32', shape, data: Float32Array.from(tensor.dataSync() as Float32Array) });
        break;
      case 'int32': {
        const values = tensor.dataSync() as Int32Array;
        out.set(name, wide(name) ? { dtype: 'I64', shape, data: BigInt64Array.from(values, (v) => BigInt(v)) } : { dtype: 'I32', shape, data: Int32Array.from(values) });
        break;
      }
      case 'bool':
        out.set(name, { dtype: 'BOOL', shape, data: Uint8Array.from(tensor.dataSync() as Uint8Array) });
        break;
      default:
        throw new RangeError(`state entry '${name}' has dtype ${tensor.dtype}, which safetensors state dicts do not store`);
    }
  }
  return out;
}

/**
 * tfjs tensors of decoded entries: F32, F64, F16, BF16 -> float32; I32, I16, I8, U16, U8 -> int32;
 * I64, U64, U32 -> int32 if every value fits (else an InputError naming the tensor); BOOL -> bool.
 */
export function safetensorsToStateDict(tensors: ReadonlyMap<string, SafetensorsEntry>, source = '<safetensors bytes>'): StateDict {
  const out: StateDict = new Map();
  try {
    for (const [name, entry] of tensors) out.set(name, toTensor(name, entry, source));
  } catch (error) {
    tf.dispose([...out.values()]);
    throw error;
  }
  return out;
}

function toTensor(name: string, entry: SafetensorsEntry, source: string): tf.Tensor {
  const shape = [...entry.shape];
  switch (entry.dtype) {
    case 'F32':
      return tf.tensor(entry.data, shape, 'float32');
    case 'F64':
      return tf.tensor(Float32Array.from(entry.data), shape, 'float32');
    case 'F16':
      return tf.tensor(Float32Array.from(entry.data, halfToFloat), shape, 'float32');
    case 'BF16':
      return tf.tensor(new Float32Array(Uint32Array.from(entry.data, (bits) => bits << 16).buffer), shape, 'float32');
    case 'I32':
      return tf.tensor(entry.data, shape, 'int32');
    case 'I16':
    case 'I8':
    case 'U16':
    case 'U8':
      return tf.tensor(Int32Array.from(entry.data), shape, 'int32');
    case 'I64':
    case 'U64':
    case 'U32': {
      const values = new Int32Array(entry.data.length);
      for (let i = 0; i < values.length; i++) {
        const v = Number(entry.data[i]);
        if (v < -2147483648 || v > 2147483647) {
          throw new InputError({ file: source }, `tensor '${name}': ${entry.dtype} value ${String(entry.data[i])} at element ${i} does not fit in int32`);
        }
        values[i] = v;
      }
      return tf.tensor(values, shape, 'int32');
    }
    case 'BOOL':
      return tf.tensor(entry.data, shape, 'bool');
  }
}

/** IEEE 754 half precision bits to a number. */
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Writes a state dict (PyTorch layout, e.g. `Module.stateDict()`) as safetensors, atomically
 * (a temporary sibling renamed into place). The tensors are read, not disposed.
 */
export async function saveStateDict(path: string, state: StateDict, metadata: Readonly<Record<string, string>> = {}, options: SaveStateDictOptions = {}): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(stateDictToSafetensors(state, options), metadata));
}

/** Reads a safetensors state dict into new tensors (the caller disposes them); see `safetensorsToStateDict`. */
export async function loadStateDict(path: string): Promise<StateDict> {
  const file = await readSafetensors(path);
  return safetensorsToStateDict(file.tensors, path);
}

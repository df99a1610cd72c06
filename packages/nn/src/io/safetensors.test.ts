import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { InputError, Rng } from '@hypertrack/core';
import {
  decodeSafetensors,
  encodeSafetensors,
  initBackend,
  loadStateDict,
  MAB,
  readSafetensors,
  saveStateDict,
  type SafetensorsEntry,
} from '../index';

/** A hand-built file: F32 "w" [2] = [1, -2.5] and I64 "n" [] = 7, metadata {"format": "pt"}. */
const GOLDEN_HEADER = '{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"n":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}';
function golden(): Uint8Array {
  expect(GOLDEN_HEADER.length).toBe(138); // padded with 6 spaces to 144
  return Uint8Array.from([
    144, 0, 0, 0, 0, 0, 0, 0,
    ...Array.from(GOLDEN_HEADER, (c) => c.charCodeAt(0)), 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x00, 0x00, 0x80, 0x3f, // 1.0f
    0x00, 0x00, 0x20, 0xc0, // -2.5f
    0x07, 0, 0, 0, 0, 0, 0, 0, // 7 as i64
  ]);
}

/** Builds a file from a header object (the data part zero-filled to `dataBytes`). */
function fileWith(header: unknown, dataBytes: number, rawHeader?: string): Uint8Array {
  const json = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}


/** A reader independent of ours: json + struct (and the safetensors package when installed). */
const PYTHON_READER = String.raw`
import json, struct, sys
path = sys.argv[1]
raw = open(path, 'rb').read()
(n,) = struct.unpack('<Q', raw[:8])
assert n % 8 == 0, 'header not padded to 8'
header = json.loads(raw[8:8 + n].decode('utf-8'))
data = raw[8 + n:]
fmt = {'F32': 'f', 'F64': 'd', 'I32': 'i', 'I64': 'q', 'U8': 'B', 'BOOL': '?'}
size = {'F32': 4, 'F64': 8, 'I32': 4, 'I64': 8, 'U8': 1, 'BOOL': 1}
out = {'__metadata__': header.pop('__metadata__', {})}
end = 0
for name, info in sorted(header.items(), key=lambda kv: kv[1]['data_offsets'][0]):
    b, e = info['data_offsets']
    assert b == end, 'gap or overlap at ' + name
    end = e
    count = 1
    for s in info['shape']:
        count *= s
    assert e - b == count * size[info['dtype']]
    out[name] = {'dtype': info['dtype'], 'shape': info['shape'], 'values': list(struct.unpack('<%d%s' % (count, fmt[info['dtype']]), data[b:e]))}
assert end == len(data), 'data not covered'
try:
    import numpy as np
    from safetensors.numpy import load_file, save_file
    for name, array in load_file(path).items():
        assert array.flatten().tolist() == out[name]['values'], name
    out['__checked_by_safetensors__'] = True
    # The other direction: a file written by the official package, for our reader.
    save_file({'x': np.arange(6, dtype=np.float32).reshape(2, 3), 'k': np.array([1, -2], dtype=np.int64)}, path + '.official', metadata={'m': 'v'})
except ImportError:
    out['__checked_by_safetensors__'] = False
print(json.dumps(out))
`;

describe('safetensors', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
    dir = mkdtempSync(join(tmpdir(), 'nn-safetensors-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes a hand-built golden file exactly, and encode(decode(x)) == x', () => {
    const bytes = golden();
    const { tensors, metadata } = decodeSafetensors(bytes, 'golden.safetensors');
    expect(metadata).toEqual({ format: 'pt' });
    expect([...tensors.keys()]).toEqual(['w', 'n']);
    const w = tensors.get('w')!;
    expect(w.dtype).toBe('F32');
    expect(w.shape).toEqual([2]);
    expect(w.data).toEqual(new Float32Array([1, -2.5]));
    const n = tensors.get('n')!;
    expect(n).toEqual({ dtype: 'I64', shape: [], data: new BigInt64Array([7n]) });
    expect(encodeSafetensors(tensors, metadata)).toEqual(bytes);
  });

  it('encodes the golden layout from typed arrays (padding, offsets, metadata first)', () => {
    const entries = new Map<string, SafetensorsEntry>([
      ['w', { dtype: 'F32', shape: [2], data: new Float32Array([1, -2.5]) }],
      ['n', { dtype: 'I64', shape: [], data: new BigInt64Array([7n]) }],
    ]);
    expect(encodeSafetensors(entries, { format: 'pt' })).toEqual(golden());
    // Without metadata there is no __metadata__ entry; the header stays a multiple of 8.
    const plain = encodeSafetensors(entries);
    const n = Number(new DataView(plain.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(new TextDecoder().decode(plain.subarray(8, 8 + n)).trimEnd()).toBe(GOLDEN_HEADER.replace('"__metadata__":{"format":"pt"},', ''));
  });

  it('round-trips every dtype, empty tensors and subarray views', () => {
    const backing = new Float32Array([9, 1.5, 2.5, 9]);
    const entries = new Map<string, SafetensorsEntry>([
      ['f32', { dtype: 'F32', shape: [2, 1], data: backing.subarray(1, 3) }],
      ['f64', { dtype: 'F64', shape: [1], data: new Float64Array([Math.PI]) }],
      ['f16', { dtype: 'F16', shape: [2], data: new Uint16Array([0x3c00, 0xc100]) }],
      ['bf16', { dtype: 'BF16', shape: [1], data: new Uint16Array([0x3f80]) }],
      ['i32', { dtype: 'I32', shape: [3], data: new Int32Array([-1, 0, 2 ** 31 - 1]) }],
      ['i8', { dtype: 'I8', shape: [1], data: new Int8Array([-5]) }],
      ['u8', { dtype: 'U8', shape: [1], data: new Uint8Array([200]) }],
      ['bool', { dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) }],
      ['empty', { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) }],
      ['u64', { dtype: 'U64', shape: [1], data: new BigUint64Array([5n]) }],
    ]);
    const bytes = encodeSafetensors(entries, { a: 'b' });
    const decoded = decodeSafetensors(bytes);
    expect([...decoded.tensors.keys()]).toEqual([...entries.keys()]);
    for (const [name, entry] of entries) expect(decoded.tensors.get(name)).toEqual({ ...entry, shape: [...entry.shape], data: entry.data.slice() });
    expect(encodeSafetensors(decoded.tensors, decoded.metadata)).toEqual(bytes);
  });

  it('rejects malformed files with errors naming the file and the tensor', () => {
    const bad = (bytes: Uint8Array, pattern: RegExp): void => {
      let caught: unknown;
      try {
        decodeSafetensors(bytes, '/data/model.safetensors');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InputError);
      expect((caught as Error).message).toMatch(/^\/data\/model\.safetensors: /);
      expect((caught as Error).message).toMatch(pattern);
    };
    const t = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });
    bad(new Uint8Array(5), /shorter than the 8-byte header length/);
    const long = golden();
    long[0] = 200;
    bad(long, /header length 200 goes beyond the file \(168 bytes\)/);
    const huge = golden();
    huge.fill(0xff, 0, 8);
    bad(huge, /header length 18446744073709551615 goes beyond the file/);
    bad(fileWith(null, 0, '{"a": '), /header is not valid JSON/);
    bad(fileWith(null, 0, '[1, 2]'), /does not start with '\{'/);
    bad(fileWith({ __metadata__: { epoch: 3 } }, 0), /__metadata__ entry 'epoch' is not a string/);
    bad(fileWith({ x: t('F17', [1], 0, 4) }, 4), /tensor 'x': unknown dtype "F17"/);
    bad(fileWith({ x: t('F32', [3], 0, 8) }, 8), /tensor 'x': shape \[3\] of F32 needs 12 bytes, data_offsets \[0, 8\] hold 8/);
    bad(fileWith({ x: t('F32', [-1], 0, 4) }, 4), /tensor 'x': shape \[-1\] is not a list/);
    bad(fileWith({ x: t('F32', [2], 0, 8) }, 4), /tensor 'x': data_offsets \[0, 8\] out of range \(data is 4 bytes\)/);
    bad(fileWith({ x: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4), /tensor 'x': data_offsets \[0\] is not a pair/);
    bad(fileWith({ x: t('F32', [2], 0, 8), y: t('F32', [1], 4, 8) }, 8), /tensor 'y': data_offsets \[4, 8\] overlap the previous tensor/);
    bad(fileWith({ x: t('F32', [1], 0, 4), y: t('F32', [1], 8, 12) }, 12), /tensor 'y': data_offsets \[8, 12\] leave bytes 4..8 unused/);
    bad(fileWith({ x: t('F32', [1], 0, 4) }, 8), /cover 4 of 8 data bytes/);
    bad(fileWith({ x: 3 }, 0), /tensor 'x': header entry is not an object/);
  });

  it('refuses to encode inconsistent entries', () => {
    const enc = (entry: unknown) => () => encodeSafetensors(new Map([['x', entry as SafetensorsEntry]]));
    expect(enc({ dtype: 'F32', shape: [3], data: new Float32Array(2) })).toThrow("tensor 'x': shape [3] holds 3 elements, the data has 2");
    expect(enc({ dtype: 'F32', shape: [2], data: new Float64Array(2) })).toThrow("tensor 'x': dtype F32 needs a Float32Array, got Float64Array");
    expect(enc({ dtype: 'Q4', shape: [2], data: new Float32Array(2) })).toThrow("unknown safetensors dtype 'Q4'");
    expect(() => encodeSafetensors(new Map([['__metadata__', { dtype: 'U8', shape: [0], data: new Uint8Array(0) }]]))).toThrow(/not allowed/);
  });

  it('saves a module state dict atomically and loads it back identically', async () => {
    const mab = new MAB(8, 8, Rng.fromSeed(3), { dimV: 8, heads: 2 });
    const state = mab.stateDict('transformer_ccx.mab_D');
    state.set('bn.num_batches_tracked', tf.scalar(12, 'int32'));
    state.set('flags', tf.tensor1d([true, false], 'bool'));
    const path = join(dir, 'model.safetensors');
    await saveStateDict(path, state, { epoch: '12' }, { int64: (name) => name.endsWith('num_batches_tracked') });
    const file = await readSafetensors(path);
    expect(file.metadata).toEqual({ epoch: '12' });
    expect(file.tensors.get('bn.num_batches_tracked')!.dtype).toBe('I64');
    expect(file.tensors.get('transformer_ccx.mab_D.W_q.weight')!.dtype).toBe('F32');
    const loaded = await loadStateDict(path);
    expect([...loaded.keys()]).toEqual([...state.keys()]);
    for (const [key, tensor] of state) {
      const got = loaded.get(key)!;
      expect(got.dtype).toBe(tensor.dtype);
      expect(got.shape).toEqual(tensor.shape);
      expect(Array.from(got.dataSync())).toEqual(Array.from(tensor.dataSync()));
    }
    // Loads back into a fresh module (state-dict layout, not kernel layout).
    const copy = new MAB(8, 8, Rng.fromSeed(99), { dimV: 8, heads: 2 });
    copy.loadStateDict(new Map([...loaded].filter(([k]) => k.startsWith('transformer_ccx.mab_D.')).map(([k, v]) => [k.slice('transformer_ccx.mab_D.'.length), v])));
    const x = tf.randomNormal([1, 3, 8], 0, 1, 'float32', 5);
    expect(Array.from(copy.apply(x, x).dataSync())).toEqual(Array.from(mab.apply(x, x).dataSync()));
    tf.dispose([x, ...state.values(), ...loaded.values()]);
    mab.dispose();
    copy.dispose();
  });

  it('converts wide and half dtypes on load, with an int32 range check', async () => {
    const path = join(dir, 'wide.safetensors');
    writeFileSync(path, encodeSafetensors(new Map<string, SafetensorsEntry>([
      ['f64', { dtype: 'F64', shape: [2], data: new Float64Array([0.1, -3]) }],
      ['f16', { dtype: 'F16', shape: [3], data: new Uint16Array([0x3c00, 0x3555, 0xfc00]) }],
      ['bf16', { dtype: 'BF16', shape: [1], data: new Uint16Array([0xc0a0]) }],
      ['i64', { dtype: 'I64', shape: [2], data: new BigInt64Array([-(2n ** 31n), 2n ** 31n - 1n]) }],
    ])));
    const loaded = await loadStateDict(path);
    expect(loaded.get('f64')!.dtype).toBe('float32');
    expect(Array.from(loaded.get('f64')!.dataSync())).toEqual([Math.fround(0.1), -3]);
    expect(Array.from(loaded.get('f16')!.dataSync())).toEqual([1, Math.fround(0.333251953125), -Infinity]);
    expect(Array.from(loaded.get('bf16')!.dataSync())).toEqual([-5]);
    expect(loaded.get('i64')!.dtype).toBe('int32');
    expect(Array.from(loaded.get('i64')!.dataSync())).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    tf.dispose([...loaded.values()]);
    writeFileSync(path, encodeSafetensors(new Map([['step', { dtype: 'I64', shape: [1], data: new BigInt64Array([2n ** 31n]) }]])));
    await expect(loadStateDict(path)).rejects.toThrow(`${path}: tensor 'step': I64 value 2147483648 at element 0 does not fit in int32`);
    await expect(loadStateDict(join(dir, 'missing.safetensors'))).rejects.toThrow(new RegExp(`^${join(dir, 'missing.safetensors')}: cannot read: ENOENT`));
    // A folder in the file's place is named too (Node's EISDIR message says no path).
    await expect(loadStateDict(dir)).rejects.toThrow(`${dir}: cannot read: EISDIR: illegal operation on a directory, read`);
  });

  // python3 is part of every machine we develop and test on (Debian); without it this test fails
  // rather than skipping, so the check of Python readability is never silently lost.
  it('a Python json+struct reader (and safetensors if installed) reads our files', async () => {
    const path = join(dir, 'py.safetensors');
    const state = new Map<string, tf.Tensor>([
      ['a.weight', tf.tensor2d([[1.5, -2], [0.25, 3]])],
      ['a.num_batches_tracked', tf.scalar(4, 'int32')],
      ['ids', tf.tensor1d([-7, 8, 9], 'int32')],
      ['mask', tf.tensor1d([true, false, true], 'bool')],
    ]);
    await saveStateDict(path, state, { format: 'pt' }, { int64: ['a.num_batches_tracked'] });
    const script = join(dir, 'reader.py');
    writeFileSync(script, PYTHON_READER);
    const out = JSON.parse(execFileSync('python3', [script, path], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(out).toEqual({
      __metadata__: { format: 'pt' },
      'a.weight': { dtype: 'F32', shape: [2, 2], values: [1.5, -2, 0.25, 3] },
      'a.num_batches_tracked': { dtype: 'I64', shape: [], values: [4] },
      ids: { dtype: 'I32', shape: [3], values: [-7, 8, 9] },
      mask: { dtype: 'BOOL', shape: [3], values: [true, false, true] },
      __checked_by_safetensors__: expect.any(Boolean),
    });
    // Bytes Python can read are the bytes we read back.
    expect(decodeSafetensors(readFileSync(path)).tensors.size).toBe(4);
    // With HYPERTRACK_REQUIRE_SAFETENSORS=1 the official package must be present and agree.
    if (process.env['HYPERTRACK_REQUIRE_SAFETENSORS'] === '1') expect(out['__checked_by_safetensors__']).toBe(true);
    if (out['__checked_by_safetensors__'] === true) {
      const official = await loadStateDict(`${path}.official`);
      expect(Array.from(official.get('x')!.dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
      expect(official.get('x')!.shape).toEqual([2, 3]);
      expect(Array.from(official.get('k')!.dataSync())).toEqual([1, -2]);
      expect((await readSafetensors(`${path}.official`)).metadata).toEqual({ m: 'v' });
      tf.dispose([...official.values()]);
    }
    tf.dispose([...state.values()]);
  });
});

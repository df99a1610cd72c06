import { Rng } from '@hypertrack/core';
import { denseIds, findInt32, lookupInt32 } from './dense-ids';
import { createKeyTable, findKey, insertKey } from './key-table';
import { radixSortUint32, stableOrderByUint32 } from './radix-sort';
import { keyWords, wordsToBigUint64 } from './words';

describe('radix sorts', () => {
  it('sort uint32 keys like a comparison sort, across all three digits and with skipped passes', () => {
    const rng = Rng.fromSeed(1);
    for (const spread of [2 ** 32, 2 ** 20, 2 ** 11, 1]) {
      const keys = Uint32Array.from({ length: 5000 }, () => Math.floor(rng.uniform() * spread) >>> 0);
      const expected = Float64Array.from(keys).sort();
      expect(Array.from(radixSortUint32(keys.slice()))).toEqual(Array.from(expected));
    }
  });

  it('order indices stably (equal keys keep their input order)', () => {
    const keys = Uint32Array.from([5, 3, 5, 0xffffffff, 3, 0]);
    const order = Int32Array.from([0, 1, 2, 3, 4, 5]);
    expect(Array.from(stableOrderByUint32(keys, order))).toEqual([5, 1, 4, 0, 2, 3]);
    expect(Array.from(order)).toEqual([0, 1, 2, 3, 4, 5]); // input untouched
  });
});

describe('64-bit key words', () => {
  it('round-trip unsigned ids and order signed ones numerically', () => {
    const ids = BigUint64Array.from([0n, 1n, 2n ** 63n + 5n, 2n ** 64n - 1n]);
    const { lo, hi } = keyWords(ids);
    expect(Array.from(wordsToBigUint64(lo, hi))).toEqual(Array.from(ids));
    const signed = BigInt64Array.from([-(2n ** 40n), -1n, 0n, 7n, 2n ** 50n]);
    const w = keyWords(signed);
    for (let i = 1; i < signed.length; i++) {
      expect(w.hi[i] > w.hi[i - 1] || (w.hi[i] === w.hi[i - 1] && w.lo[i] > w.lo[i - 1])).toBe(true);
    }
    const small = keyWords(Int32Array.from([-5, -1, 0, 3]));
    expect(Array.from(small.hi)).toEqual([0x7fffffff, 0x7fffffff, 0x80000000, 0x80000000]);
  });

  it('hash to dense ids in order of first insertion, with colliding low words kept apart', () => {
    const table = createKeyTable(4);
    expect(insertKey(table, 7, 1)).toBe(0);
    expect(insertKey(table, 7, 2)).toBe(1);
    expect(insertKey(table, 7, 1)).toBe(0);
    expect(table.size).toBe(2);
    expect(findKey(table, 7, 2)).toBe(1);
    expect(findKey(table, 8, 1)).toBe(-1);
  });
});

describe('dense ids', () => {
  // Reference: ids by first appearance through a Map of the values as strings.
  function reference(values: ArrayLike<number | bigint>): number[] {
    const seen = new Map<string, number>();
    return Array.from({ length: values.length }, (_, i) => {
      const key = String(values[i]);
      if (!seen.has(key)) seen.set(key, seen.size);
      return seen.get(key)!;
    });
  }

  it('number values by first appearance through the direct table and through the hash', () => {
    const rng = Rng.fromSeed(4);
    const columns = [
      Int32Array.from({ length: 500 }, () => rng.int(300) - 100), // small range: direct
      Int32Array.from({ length: 500 }, () => rng.int(50) * 100_000 - 2 ** 30), // sparse: hash
      BigInt64Array.from({ length: 500 }, () => BigInt(rng.int(300))), // one high word, small range: direct
      BigInt64Array.from({ length: 500 }, () => BigInt(rng.int(30)) * 2n ** 40n - 2n ** 50n), // hash
      BigUint64Array.from({ length: 500 }, () => BigInt(rng.int(30)) + 2n ** 63n), // direct above 2^63
    ];
    for (const values of columns) {
      const ids = denseIds(values);
      const expected = reference(values);
      expect(Array.from(ids.id)).toEqual(expected);
      expect(ids.count).toBe(Math.max(...expected) + 1);
      for (let k = 0; k < ids.count; k++) expect(ids.id[ids.first[k]]).toBe(k);
    }
  });

  it('finds Int32 values again in both modes and reports repeats', () => {
    for (const scale of [1, 1_000_000]) {
      const values = Int32Array.from([5, 7, 5, -3, 7].map((v) => v * scale));
      const repeats: number[] = [];
      const { lookup } = lookupInt32(values, (i) => repeats.push(i));
      expect(repeats).toEqual([2, 4]);
      expect([findInt32(lookup, 7 * scale), findInt32(lookup, -3 * scale), findInt32(lookup, 6 * scale), findInt32(lookup, 2 ** 31 - 1)]).toEqual([1, 2, -1, -1]);
    }
  });
});

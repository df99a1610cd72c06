import { Int32Index, Uint64Index } from './id-index';

describe('Int32Index', () => {
  it('finds rows of compact keys (direct table) and of sparse keys (hash)', () => {
    for (const keys of [Int32Array.of(3, 1, 2, 5, 4), Int32Array.of(-2147483648, 7, 2147483647, 0, -5, 1 << 30)]) {
      const index = new Int32Index(keys);
      expect(index.duplicate).toBeNull();
      keys.forEach((key, row) => expect(index.get(key)).toBe(row));
      expect(index.get(123456)).toBe(-1);
      expect(index.get(-1)).toBe(-1);
    }
  });

  it('reports the first duplicate', () => {
    expect(new Int32Index(Int32Array.of(1, 2, 3, 2, 1)).duplicate).toEqual({ row: 3, firstRow: 1 });
    expect(new Int32Index(Int32Array.of(10, 1 << 29, 5, 1 << 29)).duplicate).toEqual({ row: 3, firstRow: 1 });
  });
});

describe('Uint64Index', () => {
  it('finds 64-bit keys by their two words, including keys that differ only in the high word', () => {
    const keys = BigUint64Array.of(1n, 2n ** 32n + 1n, 2n ** 64n - 1n, 4503668346847232n, 2n ** 63n);
    const index = new Uint64Index(keys);
    expect(index.duplicate).toBeNull();
    const words = (v: bigint): [number, number] => [Number(v & 0xffffffffn), Number(v >> 32n)];
    keys.forEach((key, row) => expect(index.get(...words(key))).toBe(row));
    expect(index.get(...words(2n ** 33n + 1n))).toBe(-1);
    expect(new Uint64Index(BigUint64Array.of(5n, 6n, 5n)).duplicate).toEqual({ row: 2, firstRow: 0 });
  });
});

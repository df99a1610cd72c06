import { createKeyTable, findKey, insertKey, type KeyTable } from './key-table';

export type { KeyTable };
import { keyWords, type IntegerColumn, type KeyWords } from './words';

/**
 * Dense ids 0..count-1 for the distinct values of an integer column, in order of first
 * appearance. Ids that span a small range (hit ids 1..N, labels 0..K) go through a direct table;
 * anything else (64-bit TrackML ids, sparse ids) through the hash table. Both are linear time.
 */
export interface DenseIds {
  /** Per element: its dense id. */
  readonly id: Int32Array;
  readonly count: number;
  /** Per dense id: the element where it first appears. */
  readonly first: Int32Array;
}

/** Finds values of an Int32 column again after `lookupInt32` built it (the truth hit ids). */
export interface Int32Lookup {
  /** Direct mode: `slot[value - base]` is dense id + 1 (0 = absent). */
  readonly base: number;
  readonly slot: Int32Array | null;
  /** Hash mode. */
  readonly table: KeyTable | null;
}

function directRangeOk(range: number, n: number): boolean {
  return range <= 4 * n + 1024;
}

function int32Words(v: number): number {
  return v < 0 ? 0x7fffffff : 0x80000000;
}

/** Dense ids of an Int32 column plus a lookup for later searches; `onRepeat(element)` sees each repeat. */
export function lookupInt32(values: Int32Array, onRepeat?: (element: number) => void): { ids: DenseIds; lookup: Int32Lookup } {
  const n = values.length;
  let min = 0;
  let max = -1;
  if (n > 0) {
    min = max = values[0];
    for (let i = 1; i < n; i++) {
      const v = values[i];
      if (v < min) min = v;
      else if (v > max) max = v;
    }
  }
  const id = new Int32Array(n);
  const first = new Int32Array(n);
  let count = 0;
  if (directRangeOk(max - min + 1, n)) {
    const slot = new Int32Array(Math.max(0, max - min + 1));
    for (let i = 0; i < n; i++) {
      const s = values[i] - min;
      let d = slot[s];
      if (d === 0) {
        d = slot[s] = ++count;
        first[d - 1] = i;
      } else if (onRepeat) onRepeat(i);
      id[i] = d - 1;
    }
    return { ids: { id, count, first }, lookup: { base: min, slot, table: null } };
  }
  const table = createKeyTable(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const d = insertKey(table, v >>> 0, int32Words(v));
    if (table.size > count) first[count++] = i;
    else if (onRepeat) onRepeat(i);
    id[i] = d;
  }
  return { ids: { id, count, first }, lookup: { base: 0, slot: null, table } };
}

/** Dense id of `value` in a lookup, -1 when absent. */
export function findInt32(lookup: Int32Lookup, value: number): number {
  if (lookup.slot !== null) {
    const s = value - lookup.base;
    return s >= 0 && s < lookup.slot.length ? lookup.slot[s] - 1 : -1;
  }
  return findKey(lookup.table as KeyTable, value >>> 0, int32Words(value));
}

/** Dense ids of any integer column (Int32, BigInt64 or BigUint64). */
export function denseIds(values: IntegerColumn, name?: string): DenseIds {
  if (values instanceof Int32Array) return lookupInt32(values).ids;
  return denseIdsOfWords(keyWords(values, name));
}

/** Dense ids of 64-bit keys already split into words. */
export function denseIdsOfWords({ lo, hi }: KeyWords): DenseIds {
  const n = lo.length;
  const id = new Int32Array(n);
  const first = new Int32Array(n);
  let count = 0;
  let sameHi = true;
  let minLo = n > 0 ? lo[0] : 0;
  let maxLo = minLo;
  for (let i = 1; i < n && sameHi; i++) {
    if (hi[i] !== hi[0]) sameHi = false;
    if (lo[i] < minLo) minLo = lo[i];
    else if (lo[i] > maxLo) maxLo = lo[i];
  }
  if (sameHi && directRangeOk(maxLo - minLo + 1, n)) {
    const slot = new Int32Array(n > 0 ? maxLo - minLo + 1 : 0);
    for (let i = 0; i < n; i++) {
      const s = lo[i] - minLo;
      let d = slot[s];
      if (d === 0) {
        d = slot[s] = ++count;
        first[d - 1] = i;
      }
      id[i] = d - 1;
    }
    return { id, count, first };
  }
  const table = createKeyTable(n);
  for (let i = 0; i < n; i++) {
    const d = insertKey(table, lo[i], hi[i]);
    if (table.size > count) first[count++] = i;
    id[i] = d;
  }
  return { id, count, first };
}

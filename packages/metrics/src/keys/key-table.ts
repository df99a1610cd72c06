/**
 * Open-addressing hash table from 64-bit keys (uint32 word pairs) to dense ids 0, 1, 2, ... in
 * order of first insertion. Linear time in the number of keys with no per-key allocation, which
 * is what keeps the TrackML score O(N) without a Map of BigInts.
 */
export interface KeyTable {
  readonly mask: number;
  /** Per slot: dense id + 1, 0 for an empty slot. */
  readonly slots: Int32Array;
  /** Per dense id: the key words. */
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
  size: number;
}

export function createKeyTable(capacity: number): KeyTable {
  let tableSize = 16;
  while (tableSize < 2 * capacity) tableSize *= 2;
  return { mask: tableSize - 1, slots: new Int32Array(tableSize), lo: new Uint32Array(capacity), hi: new Uint32Array(capacity), size: 0 };
}

function slotOf(lo: number, hi: number, mask: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) & mask;
}

/** The dense id of a key, inserting it when new; compare `table.size` before and after to tell. */
export function insertKey(table: KeyTable, lo: number, hi: number): number {
  const { mask, slots } = table;
  let s = slotOf(lo, hi, mask);
  for (;;) {
    const entry = slots[s];
    if (entry === 0) {
      const id = table.size++;
      slots[s] = id + 1;
      table.lo[id] = lo;
      table.hi[id] = hi;
      return id;
    }
    if (table.lo[entry - 1] === lo && table.hi[entry - 1] === hi) return entry - 1;
    s = (s + 1) & mask;
  }
}

/** The dense id of a key, or -1 when absent. */
export function findKey(table: KeyTable, lo: number, hi: number): number {
  const { mask, slots } = table;
  let s = slotOf(lo, hi, mask);
  for (;;) {
    const entry = slots[s];
    if (entry === 0) return -1;
    if (table.lo[entry - 1] === lo && table.hi[entry - 1] === hi) return entry - 1;
    s = (s + 1) & mask;
  }
}

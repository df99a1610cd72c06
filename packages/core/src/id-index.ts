import { UINT64_HI, UINT64_LO, uint64Words } from './uint64-words';

// Local copies: imported bindings may compile to getter calls, too slow for per-row loops.
const LOW_WORD = UINT64_LO;
const HIGH_WORD = UINT64_HI;

/** The second of two equal keys found while building an index (rows are 0-based). */
export interface DuplicateKey {
  readonly row: number;
  readonly firstRow: number;
}

const EMPTY = -1;

function capacityFor(n: number): number {
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  return capacity;
}

/**
 * Row lookup by int32 key. TrackML hit ids are 1..N, so a direct table is used when the keys are
 * compact and an open-addressing hash otherwise; both avoid Map's per-entry allocations.
 */
export class Int32Index {
  readonly duplicate: DuplicateKey | null;
  private readonly keys: Int32Array;
  private readonly rows: Int32Array;
  private readonly base: number;
  private readonly dense: boolean;
  private readonly shift: number;
  private readonly mask: number;

  constructor(keys: Int32Array) {
    let min = 0;
    let max = -1;
    if (keys.length > 0) {
      min = keys[0];
      max = keys[0];
      for (let i = 1; i < keys.length; i++) {
        const k = keys[i];
        if (k < min) min = k;
        else if (k > max) max = k;
      }
    }
    let duplicate: DuplicateKey | null = null;
    this.dense = max - min <= 2 * keys.length + 64;
    if (this.dense) {
      this.base = min;
      this.keys = new Int32Array(0);
      this.rows = new Int32Array(Math.max(0, max - min + 1)).fill(EMPTY);
      this.shift = 0;
      this.mask = 0;
      for (let i = 0; i < keys.length; i++) {
        const slot = keys[i] - min;
        if (this.rows[slot] !== EMPTY) {
          duplicate ??= { row: i, firstRow: this.rows[slot] };
          continue;
        }
        this.rows[slot] = i;
      }
    } else {
      const capacity = capacityFor(keys.length);
      this.base = 0;
      this.keys = new Int32Array(capacity);
      this.rows = new Int32Array(capacity).fill(EMPTY);
      this.shift = 32 - Math.log2(capacity);
      this.mask = capacity - 1;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        let slot = Math.imul(k, 0x9e3779b1) >>> this.shift;
        while (this.rows[slot] !== EMPTY && this.keys[slot] !== k) slot = (slot + 1) & this.mask;
        if (this.rows[slot] !== EMPTY) {
          duplicate ??= { row: i, firstRow: this.rows[slot] };
          continue;
        }
        this.keys[slot] = k;
        this.rows[slot] = i;
      }
    }
    this.duplicate = duplicate;
  }

  /** Row of `key`, or -1. With duplicate keys, the first row wins. */
  get(key: number): number {
    if (this.dense) {
      const slot = key - this.base;
      return slot >= 0 && slot < this.rows.length ? this.rows[slot] : EMPTY;
    }
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.rows[slot] !== EMPTY) {
      if (this.keys[slot] === key) return this.rows[slot];
      slot = (slot + 1) & this.mask;
    }
    return EMPTY;
  }
}

/** Row lookup by uint64 key given as its two 32-bit words (open addressing, no BigInt per row). */
export class Uint64Index {
  readonly duplicate: DuplicateKey | null;
  private readonly lo: Uint32Array;
  private readonly hi: Uint32Array;
  private readonly rows: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(values: BigUint64Array) {
    const words = uint64Words(values);
    const capacity = capacityFor(values.length);
    this.lo = new Uint32Array(capacity);
    this.hi = new Uint32Array(capacity);
    this.rows = new Int32Array(capacity).fill(EMPTY);
    this.shift = 32 - Math.log2(capacity);
    this.mask = capacity - 1;
    let duplicate: DuplicateKey | null = null;
    for (let i = 0; i < values.length; i++) {
      const lo = words[2 * i + LOW_WORD];
      const hi = words[2 * i + HIGH_WORD];
      let slot = this.slotOf(lo, hi);
      while (this.rows[slot] !== EMPTY && (this.lo[slot] !== lo || this.hi[slot] !== hi)) slot = (slot + 1) & this.mask;
      if (this.rows[slot] !== EMPTY) {
        duplicate ??= { row: i, firstRow: this.rows[slot] };
        continue;
      }
      this.lo[slot] = lo;
      this.hi[slot] = hi;
      this.rows[slot] = i;
    }
    this.duplicate = duplicate;
  }

  /** Row of the key with words (lo, hi), or -1. */
  get(lo: number, hi: number): number {
    let slot = this.slotOf(lo, hi);
    while (this.rows[slot] !== EMPTY) {
      if (this.lo[slot] === lo && this.hi[slot] === hi) return this.rows[slot];
      slot = (slot + 1) & this.mask;
    }
    return EMPTY;
  }

  private slotOf(lo: number, hi: number): number {
    // TrackML ids differ mostly in the high word (vertex and primary fields), so both words are mixed.
    return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }
}

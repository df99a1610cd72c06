/**
 * Hits as they are produced, in flight order per particle, in growable columns. Measured and true
 * positions stay float64 until the event is written, so sorting and weighting see exact values.
 */

const FLOAT_COLUMNS = ['x', 'y', 'z', 'tx', 'ty', 'tz', 'tpx', 'tpy', 'tpz', 'path'] as const;
const INT_COLUMNS = ['particle', 'layer', 'module'] as const;

type FloatColumn = (typeof FLOAT_COLUMNS)[number];
type IntColumn = (typeof INT_COLUMNS)[number];

export class HitBuffer {
  length = 0;
  private capacity: number;
  readonly float: Record<FloatColumn, Float64Array>;
  readonly int: Record<IntColumn, Int32Array>;

  constructor(initialCapacity = 1 << 16) {
    this.capacity = initialCapacity;
    this.float = Object.fromEntries(FLOAT_COLUMNS.map((c) => [c, new Float64Array(initialCapacity)])) as Record<FloatColumn, Float64Array>;
    this.int = Object.fromEntries(INT_COLUMNS.map((c) => [c, new Int32Array(initialCapacity)])) as Record<IntColumn, Int32Array>;
  }

  /** Reserves one row and returns its index. */
  push(): number {
    if (this.length === this.capacity) this.grow();
    return this.length++;
  }

  private grow(): void {
    this.capacity *= 2;
    for (const c of FLOAT_COLUMNS) {
      const next = new Float64Array(this.capacity);
      next.set(this.float[c]);
      this.float[c] = next;
    }
    for (const c of INT_COLUMNS) {
      const next = new Int32Array(this.capacity);
      next.set(this.int[c]);
      this.int[c] = next;
    }
  }
}

import { ConfigError } from '@hypertrack/core';
/**
 * 64-bit keys (TrackML particle ids, submission track ids, hit ids) as pairs of uint32 words, so
 * that hashing and sorting never box a BigInt per element. `hi` is biased for signed inputs (sign
 * bit flipped), which makes unsigned (hi, lo) order equal to numeric order for every input type.
 */
export interface KeyWords {
  readonly lo: Uint32Array;
  readonly hi: Uint32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;
const SIGN = 0x80000000;

export type IntegerColumn = Int32Array | BigInt64Array | BigUint64Array;

/**
 * A column given as anything but Int32Array, BigInt64Array or BigUint64Array (a plain array from
 * JavaScript, a Float64Array) is refused by name: read as words it would silently become zeros.
 */
export function checkIntegerColumn(values: unknown, name: string): asserts values is IntegerColumn {
  if (values instanceof Int32Array || values instanceof BigInt64Array || values instanceof BigUint64Array) return;
  const kind = Array.isArray(values) ? 'a plain Array' : values === null || typeof values !== 'object' ? String(values) : (values.constructor?.name ?? 'an object');
  throw new ConfigError(name, `must be an Int32Array, BigInt64Array or BigUint64Array, got ${kind} (64-bit ids: BigUint64Array.from(ids, BigInt))`);
}

export function keyWords(values: IntegerColumn, name = 'an id column'): KeyWords {
  checkIntegerColumn(values, name);
  const n = values.length;
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  if (values instanceof Int32Array) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      lo[i] = v >>> 0;
      hi[i] = v < 0 ? 0x7fffffff : SIGN;
    }
    return { lo, hi };
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  const bias = values instanceof BigInt64Array ? SIGN : 0;
  for (let i = 0; i < n; i++) {
    lo[i] = words[2 * i + LO];
    hi[i] = (words[2 * i + HI] ^ bias) >>> 0;
  }
  return { lo, hi };
}

/** Writes unsigned 64-bit values given as (hi, lo) words into a BigUint64Array without boxing. */
export function wordsToBigUint64(lo: Uint32Array, hi: Uint32Array): BigUint64Array {
  const out = new BigUint64Array(lo.length);
  const words = new Uint32Array(out.buffer);
  for (let i = 0; i < lo.length; i++) {
    words[2 * i + LO] = lo[i];
    words[2 * i + HI] = hi[i];
  }
  return out;
}

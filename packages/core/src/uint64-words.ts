/**
 * 64-bit particle ids are handled as two 32-bit words through a Uint32Array view of the
 * BigUint64Array, so hot loops never create a BigInt per row. The word order follows the platform.
 */

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Offset of the low word of element i in the Uint32Array view (2*i + UINT64_LO). */
export const UINT64_LO = LITTLE_ENDIAN ? 0 : 1;
/** Offset of the high word of element i in the Uint32Array view (2*i + UINT64_HI). */
export const UINT64_HI = 1 - UINT64_LO;

export const TWO_POW_32 = 4294967296;

export function uint64Words(values: BigUint64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
}

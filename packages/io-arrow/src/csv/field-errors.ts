import type { ColumnType } from '@hypertrack/core';
import { quoteText } from '../printable';

/**
 * Explains why a field was rejected. The byte parser only knows "this field did not parse"; the
 * wording is decided here, off the hot path, from the field's text.
 */

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** A field's text as echoed in an error: quoted, escaped, cut after 40 characters. */
export const quoteField = (text: string): string => quoteText(text, 40);

export function describeBadField(type: ColumnType, text: string): string {
  const got = `got ${quoteField(text)}`;
  switch (type) {
    case 'float32':
      if (NON_FINITE.test(text)) return `expected a finite number, ${got}`;
      if (!NUMBER.test(text)) return `expected a number, ${got}`;
      return `out of the float32 range, ${got}`;
    case 'int32':
      if (INTEGER.test(text)) return `out of the 32-bit integer range, ${got}`;
      return `expected an integer, ${got}`;
    case 'uint64':
      if (NUMBER.test(text)) return `out of range: expected an integer in [0, 2^64), ${got}`;
      return `expected an integer, ${got}`;
  }
}

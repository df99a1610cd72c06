import { InputError, TWO_POW_32, UINT64_HI, UINT64_LO, uint64Words, type ColumnArray, type ColumnSpec, type TableKind, type TableOfKind } from '@hypertrack/core';
import { describeBadField } from './field-errors';
import { parseHeader, type HeaderLayout } from './header';

/**
 * Byte-level TrackML CSV parser: chunks in, typed-array columns out. Numbers are parsed straight
 * from the bytes into growing typed arrays, so no string, array or object is made per row; only a
 * line split across two chunks is copied. Validation errors name the file, the 1-based line
 * (the header is line 1) and the column.
 */

const LF = 10;
const CR = 13;
const COMMA = 44;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const UPPER_E = 69;
const LOWER_E = 101;

// Module-local copies: bundlers and test transforms may turn imported bindings into getter calls,
// which would run once per digit in the loops below.
const LOW_WORD = UINT64_LO;
const HIGH_WORD = UINT64_HI;
const WORD_RANGE = TWO_POW_32;

const INT32 = 0;
const FLOAT32 = 1;
const UINT64 = 2;
const TYPE_CODE = { int32: INT32, float32: FLOAT32, uint64: UINT64 } as const;

/** Field parsers return the position after the number, or BAD when the field does not parse. */
const BAD = -1;

/** Every power of ten up to 1e22 is an exact double: the limit of the exact fast path. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** A mantissa below 1e14 can take one more digit and stay at most 15 digits: exact as a double. */
const MANTISSA_LIMIT = 1e14;
const INITIAL_ROWS = 1024;

/**
 * The longest line accepted: 1 MiB. TrackML rows are under 200 bytes and headers under 100, so a
 * longer line means a file that is not TrackML CSV (a binary file, a file without line breaks);
 * it is rejected as soon as that many bytes pass without a line break, instead of being gathered
 * whole (a 300 MB file without newlines took 52 s to be rejected).
 */
export const MAX_LINE_BYTES = 1 << 20;

const NO_BYTES = Buffer.alloc(0);
const FINAL_NEWLINE = Buffer.from([LF]);
const NO_INT32 = new Int32Array(0);
const NO_FLOAT32 = new Float32Array(0);
const NO_WORDS = new Uint32Array(0);
const NO_UINT64 = new BigUint64Array(0);

export class CsvTableParser<K extends TableKind> {
  /** Bytes of (decompressed) CSV text seen so far. */
  bytes = 0;
  private layout: HeaderLayout | null = null;
  private types = new Uint8Array(0);
  // One slot per field; a field of another type holds a shared empty array, so each list stays
  // monomorphic and the hot loop indexes it without type checks.
  private int32Columns: Int32Array[] = [];
  private float32Columns: Float32Array[] = [];
  private wordColumns: Uint32Array[] = [];
  private uint64Columns: BigUint64Array[] = [];
  private rows = 0;
  private capacity = 0;
  /** Number of the line the parser is on. */
  private line = 1;
  /** The unfinished last line of the previous chunk. */
  private carry: Buffer = NO_BYTES;

  constructor(
    private readonly kind: K,
    private readonly file: string,
  ) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let start = 0;
    if (this.carry.length > 0) {
      const newline = chunk.indexOf(LF);
      // The line so far, without its line break: too long is an error before anything is copied.
      this.checkLineLength(this.carry.length + (newline < 0 ? chunk.length : newline));
      if (newline < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      const joined = Buffer.concat([this.carry, chunk.subarray(0, newline + 1)]);
      this.carry = NO_BYTES;
      this.parseLines(joined, 0, joined.length);
      start = newline + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= start) {
      this.parseLines(chunk, start, last + 1);
      start = last + 1;
    }
    if (start < chunk.length) {
      this.checkLineLength(chunk.length - start);
      this.carry = chunk.subarray(start);
    }
  }

  /** Rejects the current line once it is longer than MAX_LINE_BYTES. */
  private checkLineLength(bytes: number): void {
    if (bytes <= MAX_LINE_BYTES) return;
    const what = this.layout === null ? 'the header line' : 'the line';
    throw new InputError(
      { file: this.file, line: this.line },
      `${what} is longer than ${MAX_LINE_BYTES} bytes (1 MiB) without a line break; TrackML CSV lines are under 200 bytes: not a TrackML CSV file?`,
    );
  }

  /** Parses a final line without newline, then returns the table trimmed to its row count. */
  finish(): TableOfKind[K] {
    if (this.carry.length > 0) {
      // A final line without newline gets one, so every parsed line ends with LF (see parseLines).
      const rest = Buffer.concat([this.carry, FINAL_NEWLINE]);
      this.carry = NO_BYTES;
      this.parseLines(rest, 0, rest.length);
    }
    const layout = this.layout;
    if (layout === null) throw new InputError({ file: this.file, line: 1 }, 'empty file, expected a header line');
    const table: Record<string, ColumnArray> = {};
    layout.fields.forEach((spec, f) => {
      table[spec.key] = trim(this.columnOfField(spec, f), this.rows);
    });
    for (const spec of layout.absent) table[spec.key] = new Int32Array(this.rows).fill(-1);
    return table as unknown as TableOfKind[K];
  }

  private columnOfField(spec: ColumnSpec, f: number): ColumnArray {
    switch (spec.type) {
      case 'int32':
        return this.int32Columns[f];
      case 'float32':
        return this.float32Columns[f];
      case 'uint64':
        return this.uint64Columns[f];
    }
  }

  /**
   * Parses the complete lines in [start, end). Every line ends with LF, so the number scanners stop
   * at it at the latest and never need a bounds check of their own.
   */
  private parseLines(buf: Buffer, start: number, end: number): void {
    let p = start;
    if (this.layout === null) p = this.parseHeaderLine(buf, p, end);
    while (p < end) p = this.parseRow(buf, p, end);
  }

  private parseHeaderLine(buf: Buffer, start: number, end: number): number {
    const newline = buf.indexOf(LF, start);
    const lineEnd = newline >= 0 && newline < end ? newline : end;
    this.checkLineLength(lineEnd - start);
    let textStart = start;
    // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first name.
    if (buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) textStart += 3;
    let textEnd = lineEnd;
    if (textEnd > textStart && buf[textEnd - 1] === CR) textEnd--;
    if (textEnd === textStart) throw new InputError({ file: this.file, line: 1 }, 'empty header line');
    const layout = parseHeader(this.kind, this.file, buf.toString('latin1', textStart, textEnd));
    this.layout = layout;
    this.types = Uint8Array.from(layout.fields, (spec) => TYPE_CODE[spec.type]);
    this.int32Columns = layout.fields.map(() => NO_INT32);
    this.float32Columns = layout.fields.map(() => NO_FLOAT32);
    this.wordColumns = layout.fields.map(() => NO_WORDS);
    this.uint64Columns = layout.fields.map(() => NO_UINT64);
    this.grow();
    this.line = 2;
    return lineEnd + 1;
  }

  /** Parses one data line starting at `p`; returns the start of the next line. */
  private parseRow(buf: Buffer, p: number, end: number): number {
    if (this.rows === this.capacity) this.grow();
    const row = this.rows;
    const types = this.types;
    const fields = types.length;
    const first = buf[p];
    if (first === LF || (first === CR && buf[p + 1] === LF)) {
      throw new InputError({ file: this.file, line: this.line }, `empty line, expected ${fields} fields`);
    }
    for (let f = 0; f < fields; f++) {
      const fieldStart = p;
      const type = types[f];
      if (type === FLOAT32) p = this.parseFloat32(buf, p, this.float32Columns[f], row);
      else if (type === INT32) p = this.parseInt32(buf, p, this.int32Columns[f], row);
      else p = this.parseUint64(buf, p, this.wordColumns[f], row);
      if (p === BAD) this.failField(buf, fieldStart, end, f);
      const c = buf[p];
      if (f + 1 < fields) {
        if (c === COMMA) {
          p++;
          continue;
        }
        if (c === LF || (c === CR && buf[p + 1] === LF)) this.failMissingFields(f + 1);
        this.failField(buf, fieldStart, end, f);
      }
      if (c === LF) {
        p++;
      } else if (c === CR && buf[p + 1] === LF) {
        p += 2;
      } else if (c === COMMA) {
        this.failExtraFields(buf, p, end);
      } else {
        this.failField(buf, fieldStart, end, f);
      }
    }
    this.rows = row + 1;
    this.line++;
    return p;
  }

  private parseInt32(buf: Buffer, p: number, out: Int32Array, row: number): number {
    let c = buf[p];
    let negative = false;
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      c = buf[++p];
    }
    let value = 0;
    let digits = 0;
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      value = value * 10 + (c - DIGIT_0);
      digits++;
      c = buf[++p];
    }
    if (digits === 0) return BAD;
    if (negative) value = -value;
    if (value > 2147483647 || value < -2147483648) return BAD;
    out[row] = value;
    return p;
  }

  /**
   * Decimal text to float32 through the double nearest to the text (as pandas' float64-then-cast
   * does). With at most 15 significant digits and |exponent| <= 22 both the mantissa and the power
   * of ten are exact doubles, so one multiplication or division is correctly rounded (Clinger's fast
   * path); any other text goes through parseFloat.
   */
  private parseFloat32(buf: Buffer, p: number, out: Float32Array, row: number): number {
    const start = p;
    let c = buf[p];
    let negative = false;
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      c = buf[++p];
    }
    let mantissa = 0;
    let exponent = 0;
    let digits = 0;
    let exact = true;
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      digits++;
      // Leading zeros leave the mantissa at 0, so this bound counts significant digits only.
      if (mantissa < MANTISSA_LIMIT) {
        mantissa = mantissa * 10 + (c - DIGIT_0);
      } else {
        exponent++;
        if (c !== DIGIT_0) exact = false;
      }
      c = buf[++p];
    }
    if (c === DOT) {
      c = buf[++p];
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        digits++;
        if (mantissa < MANTISSA_LIMIT) {
          mantissa = mantissa * 10 + (c - DIGIT_0);
          exponent--;
        } else if (c !== DIGIT_0) {
          exact = false;
        }
        c = buf[++p];
      }
    }
    if (digits === 0) return BAD;
    if (c === LOWER_E || c === UPPER_E) {
      c = buf[++p];
      let exponentNegative = false;
      if (c === MINUS || c === PLUS) {
        exponentNegative = c === MINUS;
        c = buf[++p];
      }
      let written = 0;
      let exponentDigits = 0;
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        // Capped: anything this large under- or overflows anyway, and the cap keeps it an integer.
        if (written < 100000) written = written * 10 + (c - DIGIT_0);
        exponentDigits++;
        c = buf[++p];
      }
      if (exponentDigits === 0) return BAD;
      exponent += exponentNegative ? -written : written;
    }
    let value: number;
    if (mantissa === 0) {
      value = negative ? -0 : 0;
    } else if (exact && exponent >= -22 && exponent <= 22) {
      value = exponent < 0 ? mantissa / POW10[-exponent] : mantissa * POW10[exponent];
      if (negative) value = -value;
    } else {
      value = parseFloat(buf.toString('latin1', start, p));
    }
    const single = Math.fround(value);
    if (single === Infinity || single === -Infinity) return BAD;
    out[row] = single;
    return p;
  }

  /** Unsigned decimal into two 32-bit words with exact double arithmetic (every step < 2^37). */
  private parseUint64(buf: Buffer, p: number, words: Uint32Array, row: number): number {
    let c = buf[p];
    let lo = 0;
    let hi = 0;
    let digits = 0;
    let overflow = false;
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      lo = lo * 10 + (c - DIGIT_0);
      const carry = Math.floor(lo / WORD_RANGE);
      lo -= carry * WORD_RANGE;
      hi = hi * 10 + carry;
      if (hi >= WORD_RANGE) {
        overflow = true;
        hi = 0;
      }
      digits++;
      c = buf[++p];
    }
    if (digits === 0 || overflow) return BAD;
    words[2 * row + LOW_WORD] = lo;
    words[2 * row + HIGH_WORD] = hi;
    return p;
  }

  private grow(): void {
    const capacity = Math.max(INITIAL_ROWS, this.capacity * 2);
    const fields = this.types.length;
    for (let f = 0; f < fields; f++) {
      const type = this.types[f];
      if (type === INT32) {
        const next = new Int32Array(capacity);
        next.set(this.int32Columns[f]);
        this.int32Columns[f] = next;
      } else if (type === FLOAT32) {
        const next = new Float32Array(capacity);
        next.set(this.float32Columns[f]);
        this.float32Columns[f] = next;
      } else {
        const next = new BigUint64Array(capacity);
        next.set(this.uint64Columns[f]);
        this.uint64Columns[f] = next;
        this.wordColumns[f] = uint64Words(next);
      }
    }
    this.capacity = capacity;
  }

  private fieldName(f: number): string {
    return (this.layout as HeaderLayout).fields[f].name;
  }

  private failField(buf: Buffer, fieldStart: number, end: number, f: number): never {
    let fieldEnd = fieldStart;
    while (fieldEnd < end && buf[fieldEnd] !== COMMA && buf[fieldEnd] !== LF) fieldEnd++;
    if (fieldEnd > fieldStart && buf[fieldEnd - 1] === CR) fieldEnd--;
    const text = buf.toString('latin1', fieldStart, fieldEnd);
    const spec = (this.layout as HeaderLayout).fields[f];
    throw new InputError({ file: this.file, line: this.line, column: spec.name }, describeBadField(spec.type, text));
  }

  private failMissingFields(present: number): never {
    const fields = this.types.length;
    throw new InputError(
      { file: this.file, line: this.line, column: this.fieldName(present) },
      `missing: the line has ${present} of ${fields} fields`,
    );
  }

  private failExtraFields(buf: Buffer, p: number, end: number): never {
    let count = this.types.length;
    while (p < end && buf[p] !== LF) {
      if (buf[p] === COMMA) count++;
      p++;
    }
    throw new InputError({ file: this.file, line: this.line }, `the line has ${count} fields, expected ${this.types.length}`);
  }
}

function trim<T extends ColumnArray>(column: T, rows: number): T {
  return (column.length === rows ? column : column.slice(0, rows)) as T;
}

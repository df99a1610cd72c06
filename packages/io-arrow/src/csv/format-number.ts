/**
 * Number text for the CSV writer, written straight into byte buffers: no string per cell on the
 * hot path. Floats get the shortest decimal text that reads back to the same float32.
 */

const MINUS = 45;
const DOT = 46;
const DIGIT_0 = 48;
const LOWER_E = 101;
const PLUS = 43;

/** Every integer up to 2^24 is an exact float32 and prints as an integer. */
const EXACT_INTEGER_LIMIT = 16777216;
/** Below this magnitude float32 is subnormal and carries fewer than 24 significant bits. */
const SMALLEST_NORMAL = 2 ** -126;
/** Every power of ten up to 1e22 is an exact double. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Longest text any writer here produces for one value ("-18446744073709551615" is 21). */
export const MAX_NUMBER_TEXT = 32;

const FOUND = 1;
const NO_MATCH = 0;
const OUT_OF_RANGE = -1;
// Result of roundedDecimal, kept in module state so no object is allocated per value.
let foundMantissa = 0;
let foundScale = 0;
const digitScratch = new Uint8Array(24);
const textScratch = Buffer.alloc(MAX_NUMBER_TEXT);

/**
 * The shortest decimal text that reads back (double parse, then float32 rounding) to exactly `value`,
 * which must be a float32; -0 keeps its sign. The text has the form String(number) would give.
 */
export function formatFloat32(value: number): string {
  return textScratch.toString('latin1', 0, writeFloat32(textScratch, 0, value));
}

/**
 * Writes formatFloat32(value) at `pos`; returns the position after it. Nine significant digits
 * always identify a float32. A normal float32 is finer than any 6-digit decimal grid, so a shorter
 * text that identifies it is its 6-digit rounding minus trailing zeros, and the search starts at 6;
 * subnormals are coarser and start at 1.
 */
export function writeFloat32(buf: Uint8Array, pos: number, value: number): number {
  if (value === 0) {
    if (Object.is(value, -0)) buf[pos++] = MINUS;
    buf[pos++] = DIGIT_0;
    return pos;
  }
  const magnitude = Math.abs(value);
  if (value < 0) buf[pos++] = MINUS;
  if (magnitude <= EXACT_INTEGER_LIMIT && Number.isInteger(magnitude)) return writeUnsigned(buf, pos, magnitude);
  for (let precision = magnitude < SMALLEST_NORMAL ? 1 : 6; precision <= 9; precision++) {
    const status = roundedDecimal(magnitude, precision);
    if (status === FOUND) return writeDecimal(buf, pos, foundMantissa, foundScale);
    if (status === OUT_OF_RANGE) return writeAscii(buf, pos, slowText(magnitude, precision));
  }
  return writeAscii(buf, pos, String(magnitude));
}

/** Writes a 32-bit integer in decimal; returns the position after it. */
export function writeInt32(buf: Uint8Array, pos: number, value: number): number {
  if (value < 0) {
    buf[pos++] = MINUS;
    value = -value;
  }
  return writeUnsigned(buf, pos, value);
}

/** Writes ASCII text; returns the position after it. */
export function writeAscii(buf: Uint8Array, pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) buf[pos++] = text.charCodeAt(i);
  return pos;
}

/**
 * Rounds `magnitude` to `precision` significant digits as mantissa * 10^-scale and checks that it
 * reads back. Within 10^±22 this uses exact doubles only (an integer mantissa of at most 9 digits
 * and an exact power of ten), so the candidate is exactly the double a reader parses from the text.
 */
function roundedDecimal(magnitude: number, precision: number): number {
  let lead = Math.floor(Math.log10(magnitude));
  for (let attempt = 0; attempt < 3; attempt++) {
    const scale = precision - 1 - lead;
    if (scale < -22 || scale > 22) return OUT_OF_RANGE;
    const mantissa = Math.round(scale >= 0 ? magnitude * POW10[scale] : magnitude / POW10[-scale]);
    // log10 may be off by one next to a power of ten, and rounding may carry into a new digit.
    if (mantissa >= POW10[precision]) {
      lead++;
      continue;
    }
    if (mantissa < POW10[precision - 1]) {
      lead--;
      continue;
    }
    const candidate = scale >= 0 ? mantissa / POW10[scale] : mantissa * POW10[-scale];
    if (Math.fround(candidate) !== magnitude) return NO_MATCH;
    foundMantissa = mantissa;
    foundScale = scale;
    return FOUND;
  }
  return NO_MATCH;
}

/** The same search with toPrecision and parseFloat, for magnitudes beyond 10^±22. */
function slowText(magnitude: number, fromPrecision: number): string {
  for (let precision = fromPrecision; precision <= 9; precision++) {
    const candidate = parseFloat(magnitude.toPrecision(precision));
    if (Math.fround(candidate) === magnitude) return String(candidate);
  }
  return String(magnitude);
}

/** Writes mantissa * 10^-scale in ECMAScript's Number-to-String layout (plain or exponent form). */
function writeDecimal(buf: Uint8Array, pos: number, mantissa: number, scale: number): number {
  while (mantissa % 10 === 0) {
    mantissa /= 10;
    scale--;
  }
  let k = 0;
  for (let m = mantissa; m > 0; m = Math.floor(m / 10)) digitScratch[k++] = DIGIT_0 + (m % 10);
  // digitScratch holds the k digits in reverse; the value is 0.digits * 10^n.
  const n = k - scale;
  if (k <= n && n <= 21) {
    for (let i = k - 1; i >= 0; i--) buf[pos++] = digitScratch[i];
    for (let i = k; i < n; i++) buf[pos++] = DIGIT_0;
  } else if (0 < n && n <= 21) {
    for (let i = k - 1; i >= 0; i--) {
      buf[pos++] = digitScratch[i];
      if (i === k - n) buf[pos++] = DOT;
    }
  } else if (-6 < n && n <= 0) {
    buf[pos++] = DIGIT_0;
    buf[pos++] = DOT;
    for (let i = n; i < 0; i++) buf[pos++] = DIGIT_0;
    for (let i = k - 1; i >= 0; i--) buf[pos++] = digitScratch[i];
  } else {
    buf[pos++] = digitScratch[k - 1];
    if (k > 1) {
      buf[pos++] = DOT;
      for (let i = k - 2; i >= 0; i--) buf[pos++] = digitScratch[i];
    }
    buf[pos++] = LOWER_E;
    const exponent = n - 1;
    buf[pos++] = exponent < 0 ? MINUS : PLUS;
    pos = writeUnsigned(buf, pos, Math.abs(exponent));
  }
  return pos;
}

/** Writes a non-negative integer below 2^53 in decimal. */
function writeUnsigned(buf: Uint8Array, pos: number, value: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  const end = pos + digits;
  let p = end;
  do {
    const next = Math.floor(value / 10);
    buf[--p] = DIGIT_0 + (value - next * 10);
    value = next;
  } while (value > 0);
  return end;
}

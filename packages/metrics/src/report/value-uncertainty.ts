import { ConfigError } from '@hypertrack/core';

/**
 * Significant digits of the uncertainty: 1 (the original's notation), 2, or 'pdg' (the Particle
 * Data Group rule: two digits when the leading three digits of sigma are 100-354, one for 355-949,
 * and 950-999 round up to two digits of the next power, e.g. 0.0034 -> (34), 0.0062 -> (6)).
 */
export type UncertaintyDigits = 1 | 2 | 'pdg';

function digitsFor(sigma: number, digits: UncertaintyDigits): { places: number; exponent: number } {
  let exponent = Math.floor(Math.log10(sigma));
  // log10 can land one below for exact powers of ten in floating point.
  if (sigma >= 10 ** (exponent + 1)) exponent++;
  if (digits !== 'pdg') return { places: digits, exponent };
  const leading = Math.round(sigma / 10 ** (exponent - 2));
  if (leading <= 354) return { places: 2, exponent };
  if (leading <= 949) return { places: 1, exponent };
  return { places: 2, exponent: exponent + 1 };
}

/** "value(uncertainty)" with the uncertainty in units of the value's last printed digit, e.g. 0.9712(34). */
export function formatValueUncertainty(value: number, sigma: number, digits: UncertaintyDigits = 'pdg'): string {
  if (digits !== 1 && digits !== 2 && digits !== 'pdg') throw new ConfigError('digits', `must be 1, 2 or 'pdg', got ${String(digits)}`);
  if (!Number.isFinite(value)) return 'n/a';
  if (!Number.isFinite(sigma) || sigma < 0) return `${trimFloat(value)}(?)`;
  if (sigma === 0) return `${trimFloat(value)}(0)`;
  const { places, exponent } = digitsFor(sigma, digits);
  let decimals = places - 1 - exponent;
  let scaled = Math.round(sigma * 10 ** decimals);
  if (scaled >= 10 ** places) {
    // Rounding carried into a new digit (0.096 -> 10 with one digit): one decimal fewer.
    decimals--;
    scaled = Math.round(sigma * 10 ** decimals);
  }
  if (decimals >= 0) return `${value.toFixed(decimals)}(${scaled})`;
  // The uncertainty reaches left of the decimal point: print both as integers, value rounded to it.
  const unit = 10 ** -decimals;
  return `${(Math.round(value / unit) * unit).toFixed(0)}(${scaled * unit})`;
}

/**
 * A mean with its spread over `count` values in value(uncertainty) notation. A single value has no
 * spread, and equal values a spread of 0 that is no uncertainty of 0 either: both print the value
 * alone (4 significant digits) instead of "0.43(0)"; no value at all is "n/a". Say how many values
 * there were next to it.
 */
export function formatMeanStd(stats: MeanStd, digits: UncertaintyDigits = 'pdg'): string {
  if (stats.count === 0 || !Number.isFinite(stats.mean)) return 'n/a';
  if (stats.count < MIN_COUNT_FOR_UNCERTAINTY || !(stats.std > 0)) return String(Number(stats.mean.toPrecision(4)));
  return formatValueUncertainty(stats.mean, stats.std, digits);
}

/** Values needed before a standard deviation is printed as an uncertainty. */
export const MIN_COUNT_FOR_UNCERTAINTY = 2;

function trimFloat(x: number): string {
  return String(Number(x.toPrecision(6)));
}

export interface MeanStd {
  readonly mean: number;
  readonly std: number;
  /** Finite values used; NaN entries (e.g. an AUC with one class) are skipped. */
  readonly count: number;
}

/**
 * Mean and standard deviation (ddof 0 as numpy's std by default, or 1 for the sample estimate).
 * Sums run on deviations from the first value, so a constant column gives exactly its value and a
 * zero spread rather than rounding noise such as 0.99799999999999989(11).
 */
export function meanStd(values: ArrayLike<number>, ddof: 0 | 1 = 0): MeanStd {
  let count = 0;
  let shift = NaN;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (count === 0) shift = v;
    const d = v - shift;
    sum += d;
    sq += d * d;
    count++;
  }
  if (count === 0) return { mean: NaN, std: NaN, count };
  const variance = count - ddof > 0 ? Math.max(0, sq - (sum * sum) / count) / (count - ddof) : NaN;
  return { mean: shift + sum / count, std: Math.sqrt(variance), count };
}

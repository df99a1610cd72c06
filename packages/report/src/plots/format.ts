/** Number formats of plot labels. */

/** `digits` significant digits without trailing zeros or exponent noise: 0.5534 -> "0.553". */
export function formatSignificant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'n/a' : value > 0 ? '∞' : '-∞';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e6) return String(Number(value.toPrecision(digits)));
  return value.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

import { InputError } from '@hypertrack/core';

/**
 * Input validation shared by the metrics. In-memory inputs have no file, so the "file" of an
 * InputError names the argument (`truth`, `submission`, `edges`, ...) and the column its field.
 */
export function inputError(input: string, column: string, reason: string): InputError {
  return new InputError({ file: input, column }, reason);
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function checkLength(input: string, column: string, actual: number, expected: number, reference: string): void {
  if (actual !== expected) throw inputError(input, column, `has ${actual} rows but ${reference} has ${expected}`);
}

/** Every entry finite and >= 0; names the first offender. */
export function checkWeights(input: string, column: string, weight: ArrayLike<number>): void {
  for (let i = 0; i < weight.length; i++) {
    const w = weight[i];
    if (!(w >= 0) || w === Infinity) throw inputError(input, column, `value ${w} at row ${i} is not a finite number >= 0`);
  }
}

/**
 * Dense labels: integers >= -1 whose maximum stays within `limit`, so per-label arrays are
 * bounded by the input size. Returns the largest label (-1 when every entry is -1).
 */
export function checkLabels(input: string, column: string, labels: Int32Array, limit: number): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < -1) throw inputError(input, column, `label ${l} at row ${i} is below -1 (-1 marks noise or unassigned hits)`);
    if (l > max) max = l;
  }
  if (max >= limit) {
    throw inputError(input, column, `label ${max} is not a dense index (labels must stay below ${limit}); relabel with denseLabels()`);
  }
  return max;
}

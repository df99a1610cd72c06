import { InputError } from '@hypertrack/core';
import type { RunMetricsRecord } from '../run/files';
import { describe, parseJsonLines } from './parse';

/**
 * The records of a training log (`metrics.jsonl`): one JSON object per line with a finite numeric
 * `iteration`; `phase`, when present, must be a string. Nested objects and arrays are rejected
 * naming the key, since nothing could plot them.
 */
export function parseMetricsLog(text: string, file: string): RunMetricsRecord[] {
  return parseJsonLines(text, file).map(({ line, value }) => {
    const iteration = value.iteration;
    if (typeof iteration !== 'number' || !Number.isFinite(iteration)) {
      throw new InputError({ file, line, column: 'iteration' }, `expected a finite number, got ${describe(iteration)}`);
    }
    if (value.phase !== undefined && typeof value.phase !== 'string') {
      throw new InputError({ file, line, column: 'phase' }, `expected a string, got ${describe(value.phase)}`);
    }
    for (const [key, v] of Object.entries(value)) {
      if (v !== null && typeof v === 'object') throw new InputError({ file, line, column: key }, `expected a number, string, boolean or null, got ${describe(v)}`);
    }
    return value as RunMetricsRecord;
  });
}

import { ConfigError } from '@hypertrack/core';
import { InvalidArgumentError } from 'commander';

/** Option parsers that reject bad values with a message naming the flag's expectation. */

export function integerOption(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got ${n}`);
    return n;
  };
}

export function numberOption(min: number, max: number, { exclusiveMax = false } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
    if (n < min || (exclusiveMax ? n >= max : n > max)) throw new InvalidArgumentError(`expected a number in [${min}, ${max}${exclusiveMax ? ')' : ']'}, got ${n}`);
    return n;
  };
}

/**
 * Event ranges like the original's --event_start/--event_end lists: "1000-1099,1200-1299" or
 * single ids "1005", inclusive.
 */
export function parseEventRanges(value: string): Array<[number, number]> {
  return value.split(',').map((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new ConfigError('--events', `expected ranges like 1000-1099,1200, got "${value}"`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (end < start) throw new ConfigError('--events', `range ${part.trim()} ends before it starts`);
    return [start, end];
  });
}

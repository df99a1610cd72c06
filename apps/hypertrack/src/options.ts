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

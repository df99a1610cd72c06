import { InputError } from '@hypertrack/core';

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Up to 40 characters of a line, for error messages. */
export function excerpt(line: string): string {
  const trimmed = line.trim();
  return JSON.stringify(trimmed.length > 40 ? `${trimmed.slice(0, 40)}...` : trimmed);
}

/**
 * The objects of a JSON-lines text, one per non-blank line. `file` names the source in errors,
 * which give the 1-based line: `metrics.jsonl:7: not valid JSON: "{\"iteration\": 7, \"loss\"..."`.
 * The JSON parser's own wording is left out: it differs between Node versions.
 */
export function parseJsonLines(text: string, file: string): { line: number; value: { [key: string]: JsonValue } }[] {
  const out: { line: number; value: { [key: string]: JsonValue } }[] = [];
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const source = lines[k].endsWith('\r') ? lines[k].slice(0, -1) : lines[k];
    if (source.trim() === '') continue;
    let value: JsonValue;
    try {
      value = JSON.parse(source) as JsonValue;
    } catch {
      throw new InputError({ file, line: k + 1 }, `not valid JSON: ${excerpt(source)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError({ file, line: k + 1 }, `expected a JSON object, got ${describe(value)}`);
    }
    out.push({ line: k + 1, value });
  }
  return out;
}

/** "an array", "a string", "null", ... */
export function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value === 'number' ? 'a number' : typeof value === 'string' ? 'a string' : 'a boolean'} (${JSON.stringify(value)})`;
}

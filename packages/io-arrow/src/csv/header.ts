import { InputError, TRACKML_COLUMNS, type ColumnSpec, type TableKind } from '@hypertrack/core';
import { escapeText } from '../printable';

/** Which table column each field of a CSV line feeds, in file order. */
export interface HeaderLayout {
  readonly fields: readonly ColumnSpec[];
  /** Optional columns the file lacks; the reader fills them with -1. */
  readonly absent: readonly ColumnSpec[];
}

/** Maps the header names to the TrackML schema of `kind`: any order, but exactly the column set. */
export function parseHeader(kind: TableKind, file: string, text: string): HeaderLayout {
  const specs = TRACKML_COLUMNS[kind];
  const names = text.split(',');
  const fields: ColumnSpec[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const spec = specs.find((s) => s.name === name);
    // The name comes from the file: escaped, so control characters cannot reach the terminal raw.
    const column = escapeText(name, 60);
    if (spec === undefined) {
      const expected = specs.map((s) => s.name).join(', ');
      throw new InputError({ file, line: 1, column }, `unknown column for a ${kind} table (expected ${expected})`);
    }
    if (seen.has(name)) throw new InputError({ file, line: 1, column }, 'appears twice in the header');
    seen.add(name);
    fields.push(spec);
  }
  const absent: ColumnSpec[] = [];
  for (const spec of specs) {
    if (seen.has(spec.name)) continue;
    if (!spec.optional) throw new InputError({ file, line: 1, column: spec.name }, 'missing from the header');
    absent.push(spec);
  }
  return { fields, absent };
}

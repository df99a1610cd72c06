import { InputError, TRACKML_COLUMNS, columnOf, type ColumnType, type TableKind, type TableOfKind } from '@hypertrack/core';

const ARRAY_OF_TYPE: { readonly [T in ColumnType]: { new (n: number): unknown; readonly name: string } } = {
  int32: Int32Array,
  float32: Float32Array,
  uint64: BigUint64Array,
};

/**
 * Checks that a table about to be written has every column, each of its typed-array type and all of
 * one length; returns that length. `file` names the output in errors.
 */
export function checkTableShape<K extends TableKind>(kind: K, table: TableOfKind[K], file: string): number {
  const specs = TRACKML_COLUMNS[kind];
  let rows = -1;
  for (const spec of specs) {
    const column = columnOf(kind, table, spec.key) as unknown;
    const expected = ARRAY_OF_TYPE[spec.type];
    if (!(column instanceof (expected as unknown as typeof Int32Array))) {
      throw new InputError({ file, column: spec.name }, `${kind} table lacks the column or it is not a ${expected.name}`);
    }
    const length = (column as Int32Array).length;
    if (rows < 0) rows = length;
    else if (length !== rows) {
      throw new InputError({ file, column: spec.name }, `has ${length} rows, but column '${specs[0].name}' has ${rows}`);
    }
  }
  return rows;
}

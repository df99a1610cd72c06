import { Float32, Int32, Int64, RecordBatch, Struct, makeData, type Data, type Schema, type Table, type Vector } from 'apache-arrow';
import { InputError, TRACKML_COLUMNS, columnOf, type ColumnArray, type TableKind, type TableOfKind } from '@hypertrack/core';

/** Wraps a table's typed arrays as one Arrow record batch without copying them. */
export function recordBatchOf<K extends TableKind>(kind: K, table: TableOfKind[K], rows: number, schema: Schema, eventId: number | null): RecordBatch {
  const children: Data[] = [];
  if (eventId !== null) children.push(makeData({ type: new Int32(), length: rows, nullCount: 0, data: new Int32Array(rows).fill(eventId) }));
  for (const spec of TRACKML_COLUMNS[kind]) {
    const values = columnOf(kind, table, spec.key);
    if (spec.type === 'int32') children.push(makeData({ type: new Int32(), length: rows, nullCount: 0, data: values as Int32Array }));
    else if (spec.type === 'float32') children.push(makeData({ type: new Float32(), length: rows, nullCount: 0, data: values as Float32Array }));
    else children.push(makeData({ type: new Int64(), length: rows, nullCount: 0, data: asInt64(values as BigUint64Array) }));
  }
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children }));
}

/** The same 64 bits seen as signed: TrackML's int64 particle ids, without a copy. */
function asInt64(values: BigUint64Array): BigInt64Array {
  return new BigInt64Array(values.buffer, values.byteOffset, values.length);
}

/**
 * The TrackML table held by an Arrow table whose schema `checkSchema` accepted. Each column is a
 * view over the Arrow buffer (no copy) when the table is a single record batch, as ours are.
 * `particle_id` comes as a BigUint64Array whether the file stores it as Int64 (format version 2)
 * or Uint64 (version 1): the same bits.
 */
export function trackMLTableOf<K extends TableKind>(kind: K, arrow: Table, file: string): TableOfKind[K] {
  const out: Record<string, ColumnArray> = {};
  for (const spec of TRACKML_COLUMNS[kind]) {
    const vector = arrow.getChild(spec.name);
    if (vector === null) {
      out[spec.key] = new Int32Array(arrow.numRows).fill(-1);
      continue;
    }
    const values = valuesOf(vector, file, spec.name);
    out[spec.key] = values instanceof BigInt64Array ? new BigUint64Array(values.buffer, values.byteOffset, values.length) : values;
  }
  return out as unknown as TableOfKind[K];
}

/** The values of a non-null fixed-width column: a view when possible, a concatenated copy otherwise. */
export function valuesOf(vector: Vector, file: string, column: string): ColumnArray | BigInt64Array {
  if (vector.nullCount > 0) throw new InputError({ file, column }, `has ${vector.nullCount} null values`);
  if (vector.data.length === 1) {
    const data = vector.data[0];
    const values = data.values as unknown as ColumnArray | BigInt64Array;
    if (data.offset === 0 && values.length === data.length) return values;
    return values.subarray(data.offset, data.offset + data.length);
  }
  return vector.toArray() as unknown as ColumnArray | BigInt64Array;
}

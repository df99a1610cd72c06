import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { InputError, TRACKML_COLUMNS, columnOf, type ColumnSpec, type TableKind, type TableOfKind, naming } from '@hypertrack/core';
import { withAtomicFiles } from '../atomic-files';
import { checkTableShape } from '../table-shape';
import { MAX_NUMBER_TEXT, writeAscii, writeFloat32, writeInt32 } from './format-number';

/**
 * Writes a TrackML CSV table, gzip-compressed when `path` ends in `.gz`. Floats are written as the
 * shortest text that reads back to the same float32, so read -> write -> read is bit-identical.
 * Atomic: the file appears complete or not at all.
 */
export async function writeTrackMLTable<K extends TableKind>(kind: K, table: TableOfKind[K], path: string): Promise<void> {
  await withAtomicFiles(async (files) => writeTableFile(kind, table, files.temp(path), path));
}

/** Writes the CSV text of `table` to `tempPath`; `finalPath` decides gzip and names the file in errors. */
export async function writeTableFile<K extends TableKind>(kind: K, table: TableOfKind[K], tempPath: string, finalPath: string): Promise<void> {
  const file = finalPath;
  const rows = checkTableShape(kind, table, file);
  const columns = columnsToWrite(kind, table);
  const source = Readable.from(csvChunks(kind, table, columns, rows, file), { objectMode: false });
  // 'wx': the temporary name is fresh, so an existing file there means something else owns it.
  // A system error (a full disk...) names the file asked for, not the temporary one.
  await naming(file, async () => {
    const sink = createWriteStream(tempPath, { flags: 'wx' });
    if (finalPath.endsWith('.gz')) await pipeline(source, createGzip(), sink);
    else await pipeline(source, sink);
  });
}

/** nhits is left out when no row knows it (-1 everywhere), so such a file round-trips unchanged. */
function columnsToWrite<K extends TableKind>(kind: K, table: TableOfKind[K]): readonly ColumnSpec[] {
  return TRACKML_COLUMNS[kind].filter((spec) => {
    if (!spec.optional) return true;
    const values = columnOf(kind, table, spec.key) as Int32Array;
    return values.some((v) => v !== -1);
  });
}

const COMMA = 44;
const LF = 10;
const INT32 = 0;
const FLOAT32 = 1;
const UINT64 = 2;
const CHUNK_BYTES = 1 << 20;

/**
 * The CSV text in ~1 MiB buffers. Numbers are written straight into the buffer (see
 * format-number), so no string is built per cell or per line.
 */
function* csvChunks<K extends TableKind>(
  kind: K,
  table: TableOfKind[K],
  columns: readonly ColumnSpec[],
  rows: number,
  file: string,
): Generator<Buffer> {
  yield Buffer.from(columns.map((spec) => spec.name).join(',') + '\n', 'latin1');
  const types = columns.map((spec) => (spec.type === 'int32' ? INT32 : spec.type === 'float32' ? FLOAT32 : UINT64));
  const values = columns.map((spec) => columnOf(kind, table, spec.key));
  const rowBytes = columns.length * (MAX_NUMBER_TEXT + 1);
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let pos = 0;
  for (let row = 0; row < rows; row++) {
    if (pos + rowBytes > CHUNK_BYTES) {
      yield buf.subarray(0, pos);
      buf = Buffer.allocUnsafe(CHUNK_BYTES);
      pos = 0;
    }
    for (let c = 0; c < types.length; c++) {
      if (c > 0) buf[pos++] = COMMA;
      const type = types[c];
      if (type === FLOAT32) {
        const v = (values[c] as Float32Array)[row];
        if (!Number.isFinite(v)) {
          throw new InputError({ file, line: row + 2, column: columns[c].name }, `${v} cannot be written: the reader rejects non-finite values`);
        }
        pos = writeFloat32(buf, pos, v);
      } else if (type === INT32) {
        pos = writeInt32(buf, pos, (values[c] as Int32Array)[row]);
      } else {
        pos = writeAscii(buf, pos, String((values[c] as BigUint64Array)[row]));
      }
    }
    buf[pos++] = LF;
  }
  if (pos > 0) yield buf.subarray(0, pos);
}

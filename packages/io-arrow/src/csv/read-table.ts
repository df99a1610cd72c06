import { InputError, type TableKind, type TableOfKind, Int32Index, Uint64Index } from '@hypertrack/core';
import { readByteChunks } from './byte-source';
import { CsvTableParser } from './table-parser';

export interface ParsedTable<K extends TableKind> {
  readonly table: TableOfKind[K];
  /** Bytes of CSV text parsed (after decompression). */
  readonly bytes: number;
  /** hit_id -> row, for hits and truth tables (built for the duplicate check, reused by callers). */
  readonly hitIndex: Int32Index | null;
}

/**
 * Reads one TrackML CSV table (plain or gzip) into typed-array columns, strictly validated.
 * Columns may come in any order; an absent optional `nhits` is filled with -1.
 * @throws InputError naming the file, the 1-based line and the column of the first problem.
 */
export async function readTrackMLTable<K extends TableKind>(kind: K, path: string): Promise<TableOfKind[K]> {
  return (await parseTrackMLFile(kind, path)).table;
}

export async function parseTrackMLFile<K extends TableKind>(kind: K, path: string): Promise<ParsedTable<K>> {
  const file = path;
  const parser = new CsvTableParser(kind, file);
  for await (const chunk of readByteChunks(path, file)) parser.push(chunk);
  const table = parser.finish();
  return { table, bytes: parser.bytes, hitIndex: checkUniqueKeys(kind, table, file) };
}

/** Hits and truth rows are keyed by hit_id, particles by particle_id: each key at most once. */
function checkUniqueKeys<K extends TableKind>(kind: K, table: TableOfKind[K], file: string): Int32Index | null {
  if (kind === 'hits' || kind === 'truth') {
    const hitId = (table as TableOfKind['hits' | 'truth']).hitId;
    const index = new Int32Index(hitId);
    const dup = index.duplicate;
    if (dup) {
      throw new InputError(
        { file, line: dup.row + 2, column: 'hit_id' },
        `duplicate hit_id ${hitId[dup.row]} (first on line ${dup.firstRow + 2})`,
      );
    }
    return index;
  }
  if (kind === 'particles') {
    const particleId = (table as TableOfKind['particles']).particleId;
    const dup = new Uint64Index(particleId).duplicate;
    if (dup) {
      throw new InputError(
        { file, line: dup.row + 2, column: 'particle_id' },
        `duplicate particle_id ${particleId[dup.row]} (first on line ${dup.firstRow + 2})`,
      );
    }
  }
  return null;
}

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, InputError, type TableKind } from '@hypertrack/core';

/** Table kinds in the order they are read and written. */
export const TABLE_KINDS: readonly TableKind[] = ['hits', 'particles', 'truth', 'cells'];

/** What `readTrackMLEvent` reads when not told otherwise (cells are large and unused downstream). */
export const DEFAULT_EVENT_KINDS: readonly TableKind[] = ['hits', 'particles', 'truth'];

const EVENT_CSV = /^event(\d{9,})-(hits|particles|truth|cells)\.csv(\.gz)?$/;

/** `event000001000`: TrackML's prefix of every file of an event (id zero-padded to 9 digits). */
export function eventStem(eventId: number): string {
  checkEventId(eventId);
  return `event${String(eventId).padStart(9, '0')}`;
}

export function checkEventId(eventId: number): void {
  if (!Number.isSafeInteger(eventId) || eventId < 0) throw new ConfigError('eventId', `must be a non-negative integer, got ${eventId}`);
}

/** Canonical order of a set of kinds; hits and particles are required, duplicates rejected. */
export function orderKinds(kinds: readonly TableKind[]): TableKind[] {
  for (const kind of kinds) {
    if (!TABLE_KINDS.includes(kind)) throw new ConfigError('kinds', `unknown table kind '${kind}' (expected ${TABLE_KINDS.join(', ')})`);
  }
  if (new Set(kinds).size !== kinds.length) throw new ConfigError('kinds', `lists a kind twice: ${kinds.join(', ')}`);
  for (const required of ['hits', 'particles'] as const) {
    if (!kinds.includes(required)) throw new ConfigError('kinds', `must include '${required}', got ${kinds.join(', ')}`);
  }
  return TABLE_KINDS.filter((kind) => kinds.includes(kind));
}

/** Event ids that have a hits file (`eventNNNNNNNNN-hits.csv` or `.csv.gz`) in `dir`, ascending. */
export async function listTrackMLEvents(dir: string): Promise<number[]> {
  const ids = new Set<number>();
  for (const name of await readDirectory(dir)) {
    const match = EVENT_CSV.exec(name);
    if (match && match[2] === 'hits') ids.add(Number(match[1]));
  }
  return [...ids].sort((a, b) => a - b);
}

export async function readDirectory(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new InputError({ file: dir }, 'directory not found');
    if (code === 'ENOTDIR') throw new InputError({ file: dir }, 'not a directory');
    throw error;
  }
}

/**
 * Path of the `kind` file of an event: `.csv` or `.csv.gz`. Exactly one must exist; with both it is
 * unclear which one is current, so that is an error too.
 */
export async function locateEventFile(dir: string, eventId: number, kind: TableKind): Promise<string> {
  const name = `${eventStem(eventId)}-${kind}.csv`;
  const plain = join(dir, name);
  const gzip = `${plain}.gz`;
  const [hasPlain, hasGzip] = await Promise.all([isFile(plain), isFile(gzip)]);
  if (hasPlain && hasGzip) throw new InputError({ file: plain }, `both ${name} and ${name}.gz exist in ${dir}; keep one`);
  if (hasPlain) return plain;
  if (hasGzip) return gzip;
  throw new InputError({ file: plain }, `missing: event ${eventId} in ${dir} has neither ${name} nor ${name}.gz`);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

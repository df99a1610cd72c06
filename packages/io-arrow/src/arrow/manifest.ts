import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '@hypertrack/core';
import { quoteText } from '../printable';
import { ARROW_LAYOUTS, DATASET_FILE, PER_EVENT_FILE, type ArrowLayout } from './format';

/**
 * `manifest.json` of an Arrow store: every Arrow file of the store with its size and SHA-256, so
 * that a damaged, truncated or swapped file is found before its data is used, and the files of one
 * write are never mixed with those of another. Written last into the store's temporary folder, so
 * it is committed with the files by the same rename. `sha256sum -c` can check it:
 * `jq -r '.files[] | "\(.sha256)  \(.name)"' manifest.json | sha256sum -c`.
 */

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'hypertrack-arrow-store-manifest';
export const MANIFEST_VERSION = 1;

/** One record batch of a dataset file: where it is and the SHA-256 of its bytes (message and body). */
export interface ManifestBatch {
  readonly offset: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ManifestFile {
  /** File name inside the store folder. */
  readonly name: string;
  readonly bytes: number;
  /** SHA-256 of the whole file, lowercase hex. */
  readonly sha256: string;
  /**
   * Dataset files: each record batch (one per event, in batch order) with its own SHA-256, so that
   * loading one event verifies just the bytes it reads...
   */
  readonly batches?: readonly ManifestBatch[];
  /** ...and the SHA-256 of every byte outside the batches (magic, footer), verified on open. */
  readonly outsideBatchesSha256?: string;
}

export interface StoreManifest {
  readonly format: string;
  readonly version: number;
  readonly layout: ArrowLayout;
  readonly files: readonly ManifestFile[];
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The manifest's text: files sorted by name, one key per line, indented by one space. */
export function manifestText(layout: ArrowLayout, files: readonly ManifestFile[]): string {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const manifest: StoreManifest = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, layout, files: sorted };
  return `${JSON.stringify(manifest, null, 1)}\n`;
}

const HEX64 = /^[0-9a-f]{64}$/;
const isSize = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * The manifest of the store in folder `dir`, or null when it has none (stores written before
 * manifests existed). A manifest that is not what the writer writes is an error naming it.
 */
export async function readManifest(dir: string, names: readonly string[]): Promise<StoreManifest | null> {
  if (!names.includes(MANIFEST_FILE)) return null;
  let value: unknown;
  try {
    value = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (error) {
    if ((error as { code?: unknown }).code !== undefined) throw new InputError({ file: MANIFEST_FILE }, `cannot read: ${(error as Error).message}`);
    throw new InputError({ file: MANIFEST_FILE }, 'is not valid JSON (damaged?)');
  }
  return checkManifest(value);
}

function checkManifest(value: unknown): StoreManifest {
  const fail = (reason: string): never => {
    throw new InputError({ file: MANIFEST_FILE }, reason);
  };
  const record = value as Partial<StoreManifest> | null;
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return fail('is not a JSON object');
  if (record.format !== MANIFEST_FORMAT) return fail(`'format' is ${quoteText(String(record.format))}, expected "${MANIFEST_FORMAT}"`);
  if (record.version !== MANIFEST_VERSION) return fail(`version ${quoteText(String(record.version))} is not supported (this reader reads version ${MANIFEST_VERSION})`);
  const layout = record.layout;
  if (!ARROW_LAYOUTS.includes(layout as ArrowLayout)) return fail(`'layout' is ${quoteText(String(layout))}, expected ${ARROW_LAYOUTS.join(' or ')}`);
  if (!Array.isArray(record.files)) return fail("'files' is not a list");
  const seen = new Set<string>();
  const files = (record.files as unknown[]).map((entry, i) => {
    const file = entry as Partial<ManifestFile> | null;
    const where = `'files'[${i}]`;
    if (file === null || typeof file !== 'object') return fail(`${where} is not an object`);
    const { name } = file;
    if (typeof name !== 'string' || !(PER_EVENT_FILE.test(name) || DATASET_FILE.test(name))) {
      return fail(`${where}: 'name' ${quoteText(String(name))} is not an Arrow file of a store`);
    }
    if (seen.has(name)) return fail(`lists ${name} twice`);
    seen.add(name);
    if (!isSize(file.bytes)) return fail(`${name}: 'bytes' is not a size`);
    if (typeof file.sha256 !== 'string' || !HEX64.test(file.sha256)) return fail(`${name}: 'sha256' is not 64 hex digits`);
    const out: ManifestFile = { name, bytes: file.bytes, sha256: file.sha256 };
    if (file.batches === undefined && file.outsideBatchesSha256 === undefined) return out;
    if (!Array.isArray(file.batches) || typeof file.outsideBatchesSha256 !== 'string' || !HEX64.test(file.outsideBatchesSha256)) {
      return fail(`${name}: 'batches' and 'outsideBatchesSha256' must come together`);
    }
    let end = 0;
    for (const batch of file.batches as Partial<ManifestBatch>[]) {
      const ok = batch !== null && typeof batch === 'object' && isSize(batch.offset) && isSize(batch.bytes) && typeof batch.sha256 === 'string' && HEX64.test(batch.sha256);
      if (!ok || (batch.offset as number) < end || (batch.offset as number) + (batch.bytes as number) > file.bytes) {
        return fail(`${name}: 'batches' are not ordered ranges of the file with a sha256 each`);
      }
      end = (batch.offset as number) + (batch.bytes as number);
    }
    return { ...out, batches: file.batches as ManifestBatch[], outsideBatchesSha256: file.outsideBatchesSha256 };
  });
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, layout: layout as ArrowLayout, files };
}

/** The error for bytes whose SHA-256 is not the manifest's. */
export function checksumMismatch(name: string, what = ''): InputError {
  return new InputError(
    { file: name },
    `checksum does not match ${MANIFEST_FILE}${what}: the file is damaged or was changed after the store was written`,
  );
}

/** The error for a file whose size is not the manifest's. */
export function sizeMismatch(name: string, size: number, expected: number): InputError {
  const why = size < expected ? 'truncated?' : 'changed after the store was written?';
  return new InputError({ file: name }, `is ${size} bytes, ${MANIFEST_FILE} says ${expected} (${why})`);
}

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HyperTrackError, InputError, writeFolderAtomic, type Shard } from '@hypertrack/core';

/** The manifest every shard's folder holds, written last: a folder with it is complete. */
export const PARTIAL_FILE = 'partial.json';
export const PARTIAL_FORMAT = 'hypertrack-partial';

/** The commands whose work splits into shards by event. */
export type PartialKind = 'pretrain-voxdyn' | 'infer' | 'score';

/** What one shard did: which part of which job, on which events, under which settings. */
export interface PartialManifest {
  readonly format: typeof PARTIAL_FORMAT;
  readonly version: 1;
  readonly kind: PartialKind;
  readonly shard: Shard;
  /** This shard's events, in the order it processed them. */
  readonly eventIds: readonly number[];
  /** Every event of the job, which the shards together must cover. */
  readonly allEventIds: readonly number[];
  /** The settings every shard of the job must share, and their hash. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly configHash: string;
  /** The files the shard wrote beside this manifest. */
  readonly files: readonly string[];
}

export interface ShardResult {
  readonly folder: string;
  readonly manifest: PartialManifest;
}

/** A shard's folder under the job's output: `shard-<i>-of-<n>`. */
export function shardFolder(out: string, shard: Shard): string {
  return join(out, `shard-${shard.index}-of-${shard.count}`);
}

/** SHA-256 of the settings as JSON with sorted keys (first 16 hex digits). */
export function configHash(config: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Writes a shard's folder whole or not at all: `fill` writes the results into a temporary folder,
 * the manifest goes in last, and one rename puts the folder in place (core's writeFolderAtomic), so
 * a killed task leaves no folder that a merge would take for complete.
 */
export async function writePartial(
  folder: string,
  part: Omit<PartialManifest, 'format' | 'version' | 'configHash' | 'files'>,
  fill: (temporary: string) => Promise<void>,
): Promise<PartialManifest> {
  let manifest: PartialManifest | null = null;
  await writeFolderAtomic(folder, async (temporary) => {
    await fill(temporary);
    const files = (await readdir(temporary)).sort();
    manifest = { format: PARTIAL_FORMAT, version: 1, ...part, configHash: configHash(part.config), files };
    await writeFile(join(temporary, PARTIAL_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  });
  return manifest as unknown as PartialManifest;
}

/** The shard folders a merge was pointed at: each folder itself, or the `shard-*` folders inside it. */
export async function partialFolders(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    if (existsSync(join(path, PARTIAL_FILE))) {
      out.push(path);
      continue;
    }
    const names = existsSync(path) ? (await readdir(path)).filter((name) => /^shard-\d+-of-\d+$/.test(name)) : [];
    if (names.length === 0) throw new InputError({ file: path }, `no ${PARTIAL_FILE} and no shard-<i>-of-<n> folders inside: not the output of a sharded run`);
    out.push(...names.map((name) => join(path, name)));
  }
  return out;
}

/**
 * Reads and checks the partials of one job: one kind, one config hash, no event in two shards,
 * and together every event of the job (naming the shards missing). Sorted by shard index.
 */
export async function readPartials(folders: readonly string[]): Promise<ShardResult[]> {
  const partials: ShardResult[] = [];
  for (const folder of folders) partials.push({ folder, manifest: await readManifest(join(folder, PARTIAL_FILE)) });
  if (partials.length === 0) throw new HyperTrackError('no shards to merge');
  partials.sort((a, b) => a.manifest.shard.index - b.manifest.shard.index);
  const first = partials[0];
  const owner = new Map<number, string>();
  for (const partial of partials) {
    const { manifest } = partial;
    const where = join(partial.folder, PARTIAL_FILE);
    if (manifest.kind !== first.manifest.kind) throw new InputError({ file: where }, `is a ${manifest.kind} shard, ${first.folder} a ${first.manifest.kind} one`);
    if (manifest.configHash !== first.manifest.configHash) {
      const keys = [...new Set([...Object.keys(manifest.config), ...Object.keys(first.manifest.config)])].filter(
        (key) => canonicalJson(manifest.config[key]) !== canonicalJson(first.manifest.config[key]),
      );
      throw new InputError({ file: where }, `was run with other settings than ${first.folder} (${keys.map((key) => `${key}: ${canonicalJson(first.manifest.config[key])} vs ${canonicalJson(manifest.config[key])}`).join('; ')})`);
    }
    if (manifest.shard.count !== first.manifest.shard.count || canonicalJson(manifest.allEventIds) !== canonicalJson(first.manifest.allEventIds)) {
      throw new InputError({ file: where }, `belongs to another job than ${first.folder} (another number of shards or other events)`);
    }
    for (const id of manifest.eventIds) {
      const other = owner.get(id);
      if (other !== undefined) throw new InputError({ file: where }, `event ${id} is also in ${other}`);
      owner.set(id, partial.folder);
    }
  }
  const count = first.manifest.shard.count;
  const present = new Set(partials.map((p) => p.manifest.shard.index));
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i));
  if (missing.length > 0) throw new HyperTrackError(`shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} of ${first.manifest.kind} missing (have ${partials.map((p) => p.folder).join(', ')}): run them, then merge again`);
  const uncovered = first.manifest.allEventIds.filter((id) => !owner.has(id));
  if (uncovered.length > 0) throw new HyperTrackError(`events ${uncovered.slice(0, 10).join(', ')}${uncovered.length > 10 ? ', ...' : ''} are in no shard`);
  return partials;
}

async function readManifest(file: string): Promise<PartialManifest> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file }, code === 'ENOENT' ? 'missing: the shard did not finish (its folder holds no manifest)' : `not valid JSON (${(error as Error).message})`);
  }
  const m = value as Partial<Record<keyof PartialManifest, unknown>>;
  const ints = (v: unknown) => Array.isArray(v) && v.every((x) => Number.isSafeInteger(x));
  const shard = m.shard as Shard | undefined;
  if (m.format !== PARTIAL_FORMAT || m.version !== 1) throw new InputError({ file }, `not a ${PARTIAL_FORMAT} manifest of version 1`);
  if (!['pretrain-voxdyn', 'infer', 'score'].includes(m.kind as string)) throw new InputError({ file, column: 'kind' }, `unknown kind ${JSON.stringify(m.kind)}`);
  if (shard === undefined || !Number.isSafeInteger(shard.index) || !Number.isSafeInteger(shard.count) || shard.index < 0 || shard.index >= shard.count) {
    throw new InputError({ file, column: 'shard' }, `expected {index, count} with 0 <= index < count, got ${JSON.stringify(m.shard)}`);
  }
  if (!ints(m.eventIds) || !ints(m.allEventIds)) throw new InputError({ file, column: 'eventIds' }, 'expected lists of integer event ids');
  if (m.config === null || typeof m.config !== 'object' || typeof m.configHash !== 'string') throw new InputError({ file, column: 'config' }, 'expected the settings and their hash');
  if (configHash(m.config as Record<string, unknown>) !== m.configHash) throw new InputError({ file, column: 'configHash' }, 'does not match the settings recorded beside it');
  return value as PartialManifest;
}

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, writeFileAtomic, type TrackMLEvent } from '@hypertrack/core';
import { toPhoenixEvent, type PhoenixExportOptions } from './export';
import { toPhoenixGeometry, type DetectorOutline, type PhoenixGeometryOptions } from './geometry';
import type { PhoenixEventFile } from './types';

export interface PhoenixFiles {
  /** The event file (Phoenix JSON). */
  readonly event: string;
  /** Also write the detector's geometry as glTF here (needs `detector`). */
  readonly geometry?: string;
}

export interface PhoenixWriteOptions extends PhoenixExportOptions, PhoenixGeometryOptions {
  /** The detector: its geometry for `files.geometry`, and its field for the reconstructed tracks' pT (unless `bFieldTesla` is given). */
  readonly detector?: DetectorOutline & { readonly bFieldTesla?: number };
}

export interface PhoenixWritten {
  /** Bytes written per file. */
  eventBytes: number;
  geometryBytes?: number;
  /** What was written, one line per file, for printing. */
  lines: string[];
}

/** 9,930,393 bytes -> "9.9 MB", 812 -> "812 B". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const digits = (v: number) => (v < 9.95 ? v.toFixed(1) : String(Math.round(v)));
  const kB = digits(bytes / 1e3);
  return Number(kB) < 1000 ? `${kB} kB` : `${digits(bytes / 1e6)} MB`;
}

/** "9.9 MB: 108,307 track hits, 19,202 noise hits, 10,220 true tracks": the size and every collection of a file. */
export function describePhoenixFile(file: PhoenixEventFile, bytes: number): string {
  const counts: string[] = [];
  for (const event of Object.values(file)) {
    for (const [name, list] of [...Object.entries(event.Hits), ...Object.entries(event.Tracks)]) counts.push(`${list.length.toLocaleString('en-US')} ${name.toLowerCase()}`);
  }
  return `${formatBytes(bytes)}: ${counts.length > 0 ? counts.join(', ') : 'no objects'}`;
}

/**
 * Writes one event for Phoenix (`toPhoenixEvent`) and, when asked, the detector geometry
 * (`toPhoenixGeometry`), each atomically; returns the sizes and a line per file to print.
 */
export async function writePhoenixFiles(files: PhoenixFiles, event: TrackMLEvent, options: PhoenixWriteOptions = {}): Promise<PhoenixWritten> {
  const detector = options.detector;
  if (files.geometry !== undefined && !detector) throw new ConfigError('detector', 'is needed to write a geometry file');
  const phoenix = toPhoenixEvent(event, { ...options, bFieldTesla: options.bFieldTesla ?? detector?.bFieldTesla });
  const json = JSON.stringify(phoenix);
  const gltf = files.geometry !== undefined && detector ? JSON.stringify(toPhoenixGeometry(detector, options)) : undefined;
  // Both folders first, so that a geometry path that cannot be written leaves no event file behind.
  for (const file of [files.event, files.geometry]) if (file !== undefined) await makeFolderFor(file);
  await writeFileAtomic(files.event, json);
  const written: PhoenixWritten = { eventBytes: Buffer.byteLength(json), lines: [] };
  written.lines.push(`${files.event} (${describePhoenixFile(phoenix, written.eventBytes)})`);
  if (gltf !== undefined && files.geometry !== undefined && detector) {
    await writeFileAtomic(files.geometry, gltf);
    written.geometryBytes = gltf.length;
    written.lines.push(`${files.geometry} (${formatBytes(gltf.length)}: the ${detector.name} detector, ${detector.layers.length} layers, as glTF)`);
  }
  return written;
}

async function makeFolderFor(file: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(file, code === 'EEXIST' || code === 'ENOTDIR' ? `cannot write: ${dirname(file)} is not a folder (a file is in the way)` : `cannot create its folder (${code ?? (error as Error).message})`);
  }
}

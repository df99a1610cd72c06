import { Field, Float32, Int32, Int64, Schema, type DataType } from 'apache-arrow';
import { InputError, TRACKML_COLUMNS, type ColumnType, type TableKind } from '@hypertrack/core';
import { eventStem } from '../event-files';
import { quoteText } from '../printable';

/**
 * The HyperTrack Arrow event format: one Arrow IPC file (Feather v2, uncompressed) per table kind,
 * columns named as in the TrackML CSV files, and schema metadata saying what the file is.
 *
 * Version 2 stores `particle_id` as Int64, TrackML's type; version 1 stored it as Uint64. Both are
 * read; only version 2 is written.
 */

export const ARROW_FORMAT = 'hypertrack-trackml-arrow';
export const ARROW_FORMAT_VERSION = '2';
/** Versions this reader reads, each with the Arrow type of its `particle_id` columns. */
const PARTICLE_ID_TYPE_OF_VERSION: ReadonlyMap<string, string> = new Map([
  ['1', 'Uint64'],
  ['2', 'Int64'],
]);

/** Schema metadata keys. */
export const META_FORMAT = 'hypertrack.format';
export const META_VERSION = 'hypertrack.format_version';
export const META_KIND = 'hypertrack.kind';
export const META_LAYOUT = 'hypertrack.layout';
/** Per-event layout: the file's event id as a decimal string. */
export const META_EVENT_ID = 'hypertrack.event_id';
/** Dataset layout: JSON array of the event ids, one per record batch, in batch order. */
export const META_EVENT_IDS = 'hypertrack.event_ids';
/** Optional: JSON of the `EventProducer` that made the events (a simulator and its configuration). */
export const META_PRODUCER = 'hypertrack.producer';

/**
 * What made a store's events, e.g. a simulator, its version and its configuration, so that events
 * of different versions are never mixed up. `config` is any JSON value.
 */
export interface EventProducer {
  readonly name: string;
  readonly version: string;
  readonly config: unknown;
}

/**
 * - `per-event`: `event{id:09d}-{kind}.arrow` per event and kind, one record batch each.
 * - `dataset`: `{kind}.arrow` per kind, an `event_id` Int32 column first, one record batch per event.
 */
export type ArrowLayout = 'per-event' | 'dataset';
export const ARROW_LAYOUTS: readonly ArrowLayout[] = ['per-event', 'dataset'];

export const EVENT_ID_COLUMN = 'event_id';

/**
 * Arrow types written. The 64-bit particle ids (BigUint64Array in memory) are written as Int64, as
 * TrackML types them: the same 64 bits, so ids below 2^63 (every TrackML and simulated id) read the
 * same in any Arrow reader, and larger ones come back unchanged here.
 */
const ARROW_TYPE: { readonly [T in ColumnType]: () => DataType } = {
  int32: () => new Int32(),
  float32: () => new Float32(),
  uint64: () => new Int64(),
};

export function arrowFileName(kind: TableKind, layout: ArrowLayout, eventId?: number): string {
  return layout === 'dataset' ? `${kind}.arrow` : `${eventStem(eventId as number)}-${kind}.arrow`;
}

export const PER_EVENT_FILE = /^event(\d{9,})-(hits|particles|truth|cells)\.arrow$/;
export const DATASET_FILE = /^(hits|particles|truth|cells)\.arrow$/;

export function tableSchema(kind: TableKind, layout: ArrowLayout, eventIds: readonly number[], producer?: EventProducer): Schema {
  const fields = TRACKML_COLUMNS[kind].map((spec) => new Field(spec.name, ARROW_TYPE[spec.type](), false));
  if (layout === 'dataset') fields.unshift(new Field(EVENT_ID_COLUMN, new Int32(), false));
  const metadata = new Map<string, string>([
    [META_FORMAT, ARROW_FORMAT],
    [META_VERSION, ARROW_FORMAT_VERSION],
    [META_KIND, kind],
    [META_LAYOUT, layout],
  ]);
  if (layout === 'dataset') metadata.set(META_EVENT_IDS, JSON.stringify(eventIds));
  else metadata.set(META_EVENT_ID, String(eventIds[0]));
  if (producer !== undefined) metadata.set(META_PRODUCER, JSON.stringify(producer));
  return new Schema(fields, metadata);
}

/** The producer recorded in a schema's metadata, or null when the file records none. */
export function producerOf(file: string, schema: Schema): EventProducer | null {
  const text = schema.metadata.get(META_PRODUCER);
  if (text === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const record = value as Partial<EventProducer> | null;
  if (record === null || typeof record !== 'object' || typeof record.name !== 'string' || typeof record.version !== 'string' || !('config' in record)) {
    throw new InputError({ file }, `schema metadata '${META_PRODUCER}' is not a JSON object with name, version and config`);
  }
  return { name: record.name, version: record.version, config: record.config };
}

/**
 * Checks that `schema` is a HyperTrack Arrow table of `kind` in `layout` and returns its event ids
 * (one for a per-event file, one per record batch for a dataset file).
 */
export function checkSchema(file: string, schema: Schema, kind: TableKind, layout: ArrowLayout): number[] {
  const meta = schema.metadata;
  const format = meta.get(META_FORMAT);
  if (format === undefined) {
    throw new InputError({ file }, `schema metadata '${META_FORMAT}' is missing: not a HyperTrack event file (expected "${ARROW_FORMAT}")`);
  }
  if (format !== ARROW_FORMAT) throw new InputError({ file }, `schema metadata '${META_FORMAT}' is ${quoteText(format)}, expected "${ARROW_FORMAT}"`);
  const version = meta.get(META_VERSION);
  const particleIdType = version === undefined ? undefined : PARTICLE_ID_TYPE_OF_VERSION.get(version);
  if (particleIdType === undefined) {
    const known = [...PARTICLE_ID_TYPE_OF_VERSION.keys()].map((v) => `"${v}"`).join(' and ');
    throw new InputError({ file }, `format version ${quoteOrNull(version)} is not supported (this reader reads versions ${known})`);
  }
  const fileKind = meta.get(META_KIND);
  if (fileKind !== kind) throw new InputError({ file }, `holds a ${quoteOrNull(fileKind)} table, expected "${kind}"`);
  const fileLayout = meta.get(META_LAYOUT);
  if (fileLayout !== layout) throw new InputError({ file }, `has layout ${quoteOrNull(fileLayout)}, expected "${layout}"`);
  const typeName: { readonly [T in ColumnType]: string } = { int32: 'Int32', float32: 'Float32', uint64: particleIdType };

  const expected = TRACKML_COLUMNS[kind].map((spec) => ({ name: spec.name, type: spec.type, optional: spec.optional === true }));
  if (layout === 'dataset') expected.unshift({ name: EVENT_ID_COLUMN, type: 'int32', optional: false });
  for (const column of expected) {
    const field = schema.fields.find((f) => f.name === column.name);
    if (field === undefined) {
      if (column.optional) continue;
      throw new InputError({ file, column: column.name }, 'missing from the Arrow schema');
    }
    const actual = String(field.type);
    if (actual !== typeName[column.type]) {
      const versionNote = column.type === 'uint64' ? ` (format version ${version})` : '';
      throw new InputError({ file, column: column.name }, `has Arrow type ${actual}, expected ${typeName[column.type]}${versionNote}`);
    }
  }
  return layout === 'dataset' ? parseEventIds(file, meta.get(META_EVENT_IDS)) : [parseEventId(file, meta.get(META_EVENT_ID))];
}

function parseEventId(file: string, text: string | undefined): number {
  const id = text !== undefined && /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(id)) throw new InputError({ file }, `schema metadata '${META_EVENT_ID}' is ${quoteOrNull(text)}, expected an event id`);
  return id;
}

function parseEventIds(file: string, text: string | undefined): number[] {
  let ids: unknown;
  try {
    ids = JSON.parse(text ?? 'null');
  } catch {
    ids = null;
  }
  if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id >= 0)) {
    throw new InputError({ file }, `schema metadata '${META_EVENT_IDS}' is ${quoteOrNull(text, 80)}, expected a JSON array of event ids`);
  }
  return ids as number[];
}

/** Metadata text as echoed in an error: quoted and escaped (see printable), or null when absent. */
function quoteOrNull(text: string | undefined, max = 40): string {
  return text === undefined ? 'null' : quoteText(text, max);
}

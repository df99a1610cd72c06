import { closeSync, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordBatchReader, Table, tableFromIPC, tableToIPC, type Schema } from 'apache-arrow';
import { InputError, type TableKind, type TableOfKind, type TrackMLEvent } from '@hypertrack/core';
import { TABLE_KINDS, readDirectory } from '../event-files';
import { Int32Index } from '@hypertrack/core';
import { trackMLTableOf, valuesOf } from './columns';
import { allocateOwned, checkArrowFileMagic, openOrFail, readArrowFile, readInto } from './file-bytes';
import { EVENT_ID_COLUMN, PER_EVENT_FILE, arrowFileName, checkSchema, producerOf, type ArrowLayout, type EventProducer } from './format';

/** An opened Arrow event store (a folder in the per-event or the dataset layout). */
export interface ArrowStore {
  readonly path: string;
  readonly layout: ArrowLayout;
  /** Ids of the events in the store, ascending for per-event stores, in batch order for datasets. */
  readonly eventIds: readonly number[];
  /** What made the events, as recorded in the hits file's metadata (of the first event, per-event); null if nothing is. */
  readonly producer: EventProducer | null;
  has(eventId: number): boolean;
  /**
   * Reads one event. Its columns are views over the bytes just read (one buffer per table file,
   * or per record batch for datasets): nothing is copied after the read.
   */
  load(eventId: number): TrackMLEvent;
}

/**
 * Opens the Arrow event store in folder `path`, detecting its layout: `hits.arrow` means dataset,
 * `event*-hits.arrow` means per-event. Dataset files are checked here (format, version, kind,
 * columns, event ids); per-event files are checked when loaded.
 */
export async function openArrowStore(path: string): Promise<ArrowStore> {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new InputError({ file: path }, 'not found');
  }
  if (!isDirectory) throw new InputError({ file: path }, 'expected a folder holding an Arrow event store, got a file');
  const names = await readDirectory(path);
  const hasDataset = names.includes(arrowFileName('hits', 'dataset'));
  const perEventIds = names
    .map((name) => PER_EVENT_FILE.exec(name))
    .filter((match): match is RegExpExecArray => match !== null && match[2] === 'hits')
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
  if (hasDataset && perEventIds.length > 0) {
    throw new InputError({ file: path }, 'holds both a dataset (hits.arrow) and per-event files (event*-hits.arrow); keep one layout per folder');
  }
  if (hasDataset) return DatasetStore.open(path, names);
  if (perEventIds.length > 0) {
    const first = arrowFileName('hits', 'per-event', perEventIds[0]);
    const { schema } = await readFooter(join(path, first), first);
    return new PerEventStore(path, perEventIds, producerOf(first, schema));
  }
  throw new InputError({ file: path }, 'no Arrow event store here (expected hits.arrow or event<9 digits>-hits.arrow)');
}

abstract class StoreBase implements ArrowStore {
  private readonly positions: Map<number, number>;

  constructor(
    readonly path: string,
    readonly layout: ArrowLayout,
    readonly eventIds: readonly number[],
    readonly producer: EventProducer | null,
  ) {
    this.positions = new Map(eventIds.map((id, i) => [id, i]));
  }

  has(eventId: number): boolean {
    return this.positions.has(eventId);
  }

  load(eventId: number): TrackMLEvent {
    const position = this.positions.get(eventId);
    if (position === undefined) {
      const first = this.eventIds[0];
      const last = this.eventIds[this.eventIds.length - 1];
      throw new InputError({ file: this.path }, `event ${eventId} is not in the store (${this.eventIds.length} events, ${first} to ${last})`);
    }
    const tables = new Map<TableKind, TableOfKind[TableKind]>();
    for (const kind of TABLE_KINDS) {
      const table = this.loadTable(kind, eventId, position);
      if (table !== undefined) tables.set(kind, table);
    }
    const event: TrackMLEvent = {
      eventId,
      hits: this.required(tables, 'hits', eventId) as TableOfKind['hits'],
      particles: this.required(tables, 'particles', eventId) as TableOfKind['particles'],
    };
    const truth = tables.get('truth');
    if (truth !== undefined) event.truth = truth as TableOfKind['truth'];
    const cells = tables.get('cells');
    if (cells !== undefined) event.cells = cells as TableOfKind['cells'];
    return event;
  }

  protected abstract loadTable(kind: TableKind, eventId: number, position: number): TableOfKind[TableKind] | undefined;

  private required(tables: Map<TableKind, TableOfKind[TableKind]>, kind: TableKind, eventId: number): TableOfKind[TableKind] {
    const table = tables.get(kind);
    if (table === undefined) throw new InputError({ file: join(this.path, arrowFileName(kind, this.layout, eventId)) }, 'file not found');
    return table;
  }
}

class PerEventStore extends StoreBase {
  constructor(path: string, eventIds: number[], producer: EventProducer | null) {
    super(path, 'per-event', eventIds, producer);
  }

  protected loadTable(kind: TableKind, eventId: number): TableOfKind[TableKind] | undefined {
    const file = arrowFileName(kind, 'per-event', eventId);
    const full = join(this.path, file);
    if (!existsSync(full)) return undefined;
    const arrow = decode(readArrowFile(full, file), file);
    const [fileEventId] = checkSchema(file, arrow.schema, kind, 'per-event');
    if (fileEventId !== eventId) throw new InputError({ file }, `schema metadata says event ${fileEventId}, the file name says ${eventId}`);
    return trackMLTableOf(kind, arrow, file);
  }
}

/** Where one record batch sits in a dataset file (from the file footer). */
interface BatchBlock {
  offset: number;
  length: number;
}

interface DatasetFile {
  path: string;
  file: string;
  /** The schema as an IPC stream message, to put in front of one batch read from disk. */
  schemaMessage: Uint8Array;
  blocks: BatchBlock[];
}

/** Arrow's end-of-stream marker: continuation token, then a zero length. */
const END_OF_STREAM = Int32Array.of(-1, 0);

class DatasetStore extends StoreBase {
  private constructor(
    path: string,
    eventIds: readonly number[],
    private readonly files: Map<TableKind, DatasetFile>,
    producer: EventProducer | null,
  ) {
    super(path, 'dataset', eventIds, producer);
  }

  static async open(path: string, names: readonly string[]): Promise<DatasetStore> {
    const files = new Map<TableKind, DatasetFile>();
    let eventIds: number[] | null = null;
    let producer: EventProducer | null = null;
    for (const kind of TABLE_KINDS) {
      const file = arrowFileName(kind, 'dataset');
      if (!names.includes(file)) continue;
      const { schema, blocks } = await readFooter(join(path, file), file);
      const ids = checkSchema(file, schema, kind, 'dataset');
      if (ids.length !== blocks.length) {
        throw new InputError({ file }, `schema metadata lists ${ids.length} events, the file has ${blocks.length} record batches`);
      }
      const duplicate = new Int32Index(Int32Array.from(ids)).duplicate;
      if (duplicate) throw new InputError({ file }, `schema metadata lists event ${ids[duplicate.row]} twice`);
      if (eventIds === null) {
        eventIds = ids;
        producer = producerOf(file, schema);
      } else if (ids.length !== eventIds.length || ids.some((id, i) => id !== (eventIds as number[])[i])) {
        throw new InputError({ file }, `holds events ${JSON.stringify(ids)}, but hits.arrow holds ${JSON.stringify(eventIds)}`);
      }
      const streamOfSchema = tableToIPC(new Table(schema), 'stream');
      files.set(kind, {
        path: join(path, file),
        file,
        schemaMessage: streamOfSchema.slice(0, streamOfSchema.byteLength - END_OF_STREAM.byteLength),
        blocks,
      });
    }
    if (!files.has('particles')) throw new InputError({ file: join(path, arrowFileName('particles', 'dataset')) }, 'file not found');
    return new DatasetStore(path, eventIds as number[], files, producer);
  }

  /**
   * Reads only this event's record batch: the bytes go into one fresh buffer laid out as an IPC
   * stream (schema message, the batch as stored, end marker), which Arrow decodes into views.
   */
  protected loadTable(kind: TableKind, eventId: number, position: number): TableOfKind[TableKind] | undefined {
    const dataset = this.files.get(kind);
    if (dataset === undefined) return undefined;
    const { file, schemaMessage, blocks } = dataset;
    const block = blocks[position];
    const size = schemaMessage.byteLength + block.length + END_OF_STREAM.byteLength;
    const bytes = allocateOwned(size);
    bytes.set(schemaMessage, 0);
    const fd = openOrFail(dataset.path, file);
    try {
      readInto(fd, bytes, schemaMessage.byteLength, block.length, block.offset, file);
    } finally {
      closeSync(fd);
    }
    bytes.set(new Uint8Array(END_OF_STREAM.buffer), size - END_OF_STREAM.byteLength);
    const arrow = decode(bytes, file);
    if (arrow.numRows > 0) {
      const column = arrow.getChild(EVENT_ID_COLUMN);
      const ids = column === null ? null : (valuesOf(column, file, EVENT_ID_COLUMN) as Int32Array);
      if (ids === null || ids.some((id) => id !== eventId)) {
        throw new InputError({ file, column: EVENT_ID_COLUMN }, `record batch ${position} should hold event ${eventId} only`);
      }
    }
    return trackMLTableOf(kind, arrow, file);
  }
}

async function readFooter(path: string, file: string): Promise<{ schema: Schema; blocks: BatchBlock[] }> {
  await checkArrowFileMagic(path, file);
  const handle = await open(path, 'r');
  try {
    // From a file handle Arrow reads just the footer: the schema and where each batch starts.
    const reader = await RecordBatchReader.from(handle);
    await reader.open();
    const footer = reader.footer;
    if (footer === null) throw new InputError({ file }, 'has no Arrow file footer');
    const blocks: BatchBlock[] = [];
    for (let i = 0; i < footer.numRecordBatches; i++) {
      const block = footer.getRecordBatch(i);
      if (block === null) throw new InputError({ file }, `footer lacks record batch ${i}`);
      blocks.push({ offset: Number(block.offset), length: block.metaDataLength + Number(block.bodyLength) });
    }
    return { schema: reader.schema, blocks };
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ file }, `unreadable Arrow footer: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

function decode(bytes: Uint8Array, file: string): Table {
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    throw new InputError({ file }, `corrupt Arrow data: ${(error as Error).message}`);
  }
}

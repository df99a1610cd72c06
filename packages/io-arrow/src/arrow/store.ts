import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordBatchReader, Table, tableFromIPC, tableToIPC, type Schema } from 'apache-arrow';
import { InputError, Int32Index, type TableKind, type TableOfKind, type TrackMLEvent } from '@hypertrack/core';
import { TABLE_KINDS, readDirectory } from '../event-files';
import { trackMLTableOf, valuesOf } from './columns';
import { allocateOwned, checkArrowFileMagic, checkArrowMagic, identityOf, openOrFail, readInto, readWholeFile } from './file-bytes';
import { DATASET_FILE, EVENT_ID_COLUMN, PER_EVENT_FILE, arrowFileName, checkSchema, producerOf, type ArrowLayout, type EventProducer } from './format';
import { MANIFEST_FILE, checksumMismatch, readManifest, sha256, sizeMismatch, type ManifestBatch, type ManifestFile, type StoreManifest } from './manifest';
import { recoverStoreFolder } from './store-folder';

/** An opened Arrow event store (a folder in the per-event or the dataset layout). */
export interface ArrowStore {
  readonly path: string;
  readonly layout: ArrowLayout;
  /** Ids of the events in the store, ascending for per-event stores, in batch order for datasets. */
  readonly eventIds: readonly number[];
  /** What made the events, as recorded in the hits file's metadata (of the first event, per-event); null if nothing is. */
  readonly producer: EventProducer | null;
  /** Whether the store has a manifest.json, against which every load is checked (older stores have none). */
  readonly verified: boolean;
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
 *
 * A store with a `manifest.json` is verified against it: the folder must hold exactly the Arrow
 * files it lists; sizes and the bytes outside record batches are checked here, and every file (per
 * event) or record batch (dataset) is checked by SHA-256 on its first load, before its data is
 * returned. A store without a manifest (written before manifests existed) opens unverified.
 * What a killed write left beside the store is repaired or tidied first (see store-folder).
 */
export async function openArrowStore(path: string): Promise<ArrowStore> {
  await recoverStoreFolder(path);
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
  if (!hasDataset && perEventIds.length === 0) {
    throw new InputError({ file: path }, 'no Arrow event store here (expected hits.arrow or event<9 digits>-hits.arrow)');
  }
  const layout: ArrowLayout = hasDataset ? 'dataset' : 'per-event';
  const verifier = new Verifier(await readManifest(path, names), layout, names);
  if (layout === 'dataset') return DatasetStore.open(path, names, verifier);
  const first = arrowFileName('hits', 'per-event', perEventIds[0]);
  // The producer is read from the first hits file's footer: verified before it is read.
  if (verifier.manifest !== null) verifier.checkWholeFile(first, readWholeFile(join(path, first), first));
  const { schema } = await readFooter(join(path, first), first);
  return new PerEventStore(path, perEventIds, producerOf(first, schema), verifier);
}

/**
 * Checks a store's files against its manifest (does nothing for a store without one). Files are
 * named as the other errors of a store name them: by their name in the store folder.
 */
class Verifier {
  private readonly files: ReadonlyMap<string, ManifestFile>;
  /** Per file, the identity (see identityOf) of the copy whose bytes matched. */
  private readonly verified = new Map<string, string>();
  /** Per dataset file, the record batches whose bytes matched. */
  private readonly verifiedBatches = new Map<string, Set<number>>();

  constructor(
    readonly manifest: StoreManifest | null,
    layout: ArrowLayout,
    names: readonly string[],
  ) {
    this.files = new Map((manifest?.files ?? []).map((file) => [file.name, file]));
    if (manifest === null) return;
    if (manifest.layout !== layout) {
      throw new InputError({ file: MANIFEST_FILE }, `describes a ${manifest.layout} store, but the folder holds a ${layout} store`);
    }
    const storeFile = layout === 'dataset' ? DATASET_FILE : PER_EVENT_FILE;
    for (const name of names) {
      if (storeFile.test(name) && !this.files.has(name)) {
        throw new InputError({ file: name }, `is not listed in ${MANIFEST_FILE}: not part of the store as written (added or left by another write?)`);
      }
    }
    const present = new Set(names);
    for (const name of this.files.keys()) {
      if (!present.has(name)) throw new InputError({ file: name }, `file not found, but ${MANIFEST_FILE} lists it (removed after the store was written?)`);
    }
  }

  lists(name: string): boolean {
    return this.files.has(name);
  }

  /** The manifest entry of a file, or null when the store has no manifest. */
  entry(name: string): ManifestFile | null {
    if (this.manifest === null) return null;
    const file = this.files.get(name);
    if (file === undefined) throw new InputError({ file: name }, `is not listed in ${MANIFEST_FILE}: not part of the store as written`);
    return file;
  }

  /** The whole file as read: its size and SHA-256, once per copy of the file. */
  checkWholeFile(name: string, read: { bytes: Uint8Array; identity: string }): void {
    const file = this.entry(name);
    if (file === null || this.verified.get(name) === read.identity) return;
    if (read.bytes.byteLength !== file.bytes) throw sizeMismatch(name, read.bytes.byteLength, file.bytes);
    if (sha256(read.bytes) !== file.sha256) throw checksumMismatch(name);
    this.verified.set(name, read.identity);
  }

  /**
   * A dataset file when the store is opened: its size, and the bytes outside its record batches
   * (file magic, footer with the schema and the batch positions). Returns the manifest's batches.
   */
  checkDatasetFile(name: string, fd: number): readonly ManifestBatch[] | null {
    const file = this.entry(name);
    if (file === null) return null;
    const size = fstatSync(fd).size;
    if (size !== file.bytes) throw sizeMismatch(name, size, file.bytes);
    if (file.batches === undefined || file.outsideBatchesSha256 === undefined) {
      throw new InputError({ file: MANIFEST_FILE }, `${name}: a dataset file needs 'batches' and 'outsideBatchesSha256'`);
    }
    const hash = createHash('sha256');
    const hashRange = (from: number, to: number): void => {
      if (to <= from) return;
      const bytes = Buffer.allocUnsafe(to - from);
      readInto(fd, bytes, 0, to - from, from, name);
      hash.update(bytes);
    };
    let position = 0;
    for (const batch of file.batches) {
      hashRange(position, batch.offset);
      position = batch.offset + batch.bytes;
    }
    hashRange(position, size);
    if (hash.digest('hex') !== file.outsideBatchesSha256) throw checksumMismatch(name, ' (outside the record batches)');
    return file.batches;
  }

  /** One record batch of a dataset file as read, once per opened store. */
  checkBatch(name: string, position: number, bytes: Uint8Array, batches: readonly ManifestBatch[] | null): void {
    if (batches === null) return;
    let done = this.verifiedBatches.get(name);
    if (done?.has(position)) return;
    if (sha256(bytes) !== batches[position].sha256) throw checksumMismatch(name, ` (record batch ${position}, event data)`);
    if (done === undefined) this.verifiedBatches.set(name, (done = new Set()));
    done.add(position);
  }
}

abstract class StoreBase implements ArrowStore {
  private readonly positions: Map<number, number>;
  readonly verified: boolean;

  constructor(
    readonly path: string,
    readonly layout: ArrowLayout,
    readonly eventIds: readonly number[],
    readonly producer: EventProducer | null,
    verifier: Verifier,
  ) {
    this.positions = new Map(eventIds.map((id, i) => [id, i]));
    this.verified = verifier.manifest !== null;
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
  constructor(
    path: string,
    eventIds: number[],
    producer: EventProducer | null,
    private readonly verifier: Verifier,
  ) {
    super(path, 'per-event', eventIds, producer, verifier);
  }

  protected loadTable(kind: TableKind, eventId: number): TableOfKind[TableKind] | undefined {
    const file = arrowFileName(kind, 'per-event', eventId);
    const full = join(this.path, file);
    if (!existsSync(full)) {
      if (this.verifier.lists(file)) throw new InputError({ file }, `file not found, but ${MANIFEST_FILE} lists it (removed after the store was opened?)`);
      return undefined;
    }
    const read = readWholeFile(full, file);
    this.verifier.checkWholeFile(file, read);
    checkArrowMagic(read.bytes, file);
    const arrow = decode(read.bytes, file);
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
  /** The file's identity when the store was opened: loads refuse a file rewritten since. */
  identity: string;
  /** The manifest's record batches, or null without a manifest. */
  batches: readonly ManifestBatch[] | null;
}

/** Arrow's end-of-stream marker: continuation token, then a zero length. */
const END_OF_STREAM = Int32Array.of(-1, 0);

class DatasetStore extends StoreBase {
  private constructor(
    path: string,
    eventIds: readonly number[],
    private readonly files: Map<TableKind, DatasetFile>,
    producer: EventProducer | null,
    private readonly verifier: Verifier,
  ) {
    super(path, 'dataset', eventIds, producer, verifier);
  }

  static async open(path: string, names: readonly string[], verifier: Verifier): Promise<DatasetStore> {
    const files = new Map<TableKind, DatasetFile>();
    let eventIds: number[] | null = null;
    let producer: EventProducer | null = null;
    for (const kind of TABLE_KINDS) {
      const file = arrowFileName(kind, 'dataset');
      if (!names.includes(file)) continue;
      const fd = openOrFail(join(path, file), file);
      let identity: string;
      let batches: readonly ManifestBatch[] | null;
      try {
        identity = identityOf(fstatSync(fd));
        batches = verifier.checkDatasetFile(file, fd);
      } finally {
        closeSync(fd);
      }
      const { schema, blocks } = await readFooter(join(path, file), file);
      if (batches !== null && (batches.length !== blocks.length || batches.some((b, i) => b.offset !== blocks[i].offset || b.bytes !== blocks[i].length))) {
        throw new InputError({ file }, `the record batches of its Arrow footer are not those of ${MANIFEST_FILE} (damaged?)`);
      }
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
        identity,
        batches,
      });
    }
    if (!files.has('particles')) throw new InputError({ file: join(path, arrowFileName('particles', 'dataset')) }, 'file not found');
    return new DatasetStore(path, eventIds as number[], files, producer, verifier);
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
      // The footer read at open says where the batch is: in another copy of the file it is not.
      if (identityOf(fstatSync(fd)) !== dataset.identity) {
        throw new InputError({ file }, 'was rewritten since the store was opened (by another write?); open the store again');
      }
      readInto(fd, bytes, schemaMessage.byteLength, block.length, block.offset, file);
    } finally {
      closeSync(fd);
    }
    this.verifier.checkBatch(file, position, bytes.subarray(schemaMessage.byteLength, schemaMessage.byteLength + block.length), dataset.batches);
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

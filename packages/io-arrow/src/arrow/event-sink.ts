import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, InputError, type TableKind, type TrackMLEvent, naming } from '@hypertrack/core';
import { TABLE_KINDS, checkEventId, orderKinds } from '../event-files';
import { checkTableShape } from '../table-shape';
import { tableOf } from '../write-event';
import { recordBatchOf } from './columns';
import { ArrowFileOutput } from './file-output';
import { ARROW_LAYOUTS, DATASET_FILE, META_EVENT_IDS, PER_EVENT_FILE, arrowFileName, tableSchema, type ArrowLayout, type EventProducer } from './format';
import { MANIFEST_FILE, manifestText, readManifest, sha256, type ManifestFile } from './manifest';
import { StoreFolderWrite, carryEntry, type CommitHooks } from './store-folder';

export interface ArrowSinkOptions {
  layout: ArrowLayout;
  /** Tables of a dataset; each appended event must have exactly these. Default: those of the first event. */
  kinds?: readonly TableKind[];
  /** Recorded in every file's schema metadata (`openArrowStore(...).producer` reads it back). */
  producer?: EventProducer;
  /** Test seam of the final renames. */
  hooks?: CommitHooks;
}

/** Hidden temporary files of the per-file writer of earlier versions (`.name.pid-8hex.tmp`). */
const OLD_TEMPORARY = /^\..+\.\d+-[0-9a-f]{8}\.tmp$/;

/**
 * Receives events one at a time and writes them into a new store folder beside `outDir` (see
 * store-folder); `commit` adds the manifest and replaces `outDir` with it in one rename, so a
 * reader sees the old store or the new one, whole, and nothing in between. `abort` removes the
 * new folder. Writing per-event into an existing per-event store adds or replaces events: the
 * events not written again, and files that are not part of a store, are carried over (as hard
 * links). A dataset replaces the dataset there. The two layouts never share a folder.
 */
export class ArrowEventSink {
  private datasetOutputs: Map<TableKind, ArrowFileOutput> | null = null;
  private readonly written: string[] = [];
  private readonly entries: ManifestFile[] = [];
  private readonly eventIds: number[] = [];
  private readonly seen = new Set<number>();

  private constructor(
    private readonly folder: StoreFolderWrite,
    private readonly layout: ArrowLayout,
    private readonly kinds: readonly TableKind[] | null,
    private readonly producer: EventProducer | undefined,
    private readonly hooks: CommitHooks,
  ) {}

  static async open(outDir: string, options: ArrowSinkOptions): Promise<ArrowEventSink> {
    if (!ARROW_LAYOUTS.includes(options.layout)) {
      throw new ConfigError('layout', `must be one of ${ARROW_LAYOUTS.join(', ')}, got ${JSON.stringify(options.layout)}`);
    }
    const kinds = options.kinds === undefined ? null : orderKinds(options.kinds);
    const folder = await StoreFolderWrite.begin(outDir);
    try {
      await checkLayoutOfExisting(folder, options.layout);
    } catch (error) {
      await folder.abort();
      throw error;
    }
    return new ArrowEventSink(folder, options.layout, kinds, options.producer, options.hooks ?? {});
  }

  /** Ids of the events appended so far, in order. */
  get appended(): readonly number[] {
    return this.eventIds;
  }

  append(event: TrackMLEvent): void {
    checkEventId(event.eventId);
    if (this.seen.has(event.eventId)) throw new ConfigError('events', `event ${event.eventId} is given twice`);
    if (this.layout === 'dataset') this.appendToDataset(event);
    else this.writeEventFiles(event);
    this.seen.add(event.eventId);
    this.eventIds.push(event.eventId);
  }

  /** Completes every file, writes the manifest and moves the store into place; returns the Arrow files' paths. */
  async commit(): Promise<string[]> {
    if (this.eventIds.length === 0) throw new ConfigError('events', 'nothing to write: no event was given');
    for (const [kind, output] of this.datasetOutputs ?? []) {
      // Arrow's file writer puts the schema only in the footer, written here, so the event list can
      // be completed now, when it is known, even for a stream of events of unknown length.
      output.schema.metadata.set(META_EVENT_IDS, JSON.stringify(this.eventIds));
      this.entries.push(output.finish(arrowFileName(kind, 'dataset')));
    }
    const old = await this.folder.existing();
    if (old !== null) await this.carryOver(old);
    const manifest = this.folder.shownPath(MANIFEST_FILE);
    await naming(manifest, () => writeFile(this.folder.pathOf(MANIFEST_FILE), manifestText(this.layout, this.entries), { flag: 'wx' }));
    await this.folder.commit(this.hooks);
    return [...this.written];
  }

  async abort(): Promise<void> {
    for (const output of this.datasetOutputs?.values() ?? []) output.abandon();
    await this.folder.abort();
  }

  /**
   * Copies into the new folder what of the old one stays: for a per-event store the events not
   * written again (with their manifest entries; hashed now if the old store had no manifest), and
   * anything that is not a store file. A rewritten event loses all its old files, so no stale cells
   * file survives beside new hits.
   */
  private async carryOver(old: string): Promise<void> {
    const names = await readdir(old);
    const manifest = await readManifest(old, names);
    const known = new Map((manifest?.files ?? []).map((file) => [file.name, file]));
    for (const name of names) {
      if (name === MANIFEST_FILE || OLD_TEMPORARY.test(name)) continue;
      if (DATASET_FILE.test(name)) continue; // Only a new dataset meets these (see checkLayoutOfExisting): replaced.
      const event = PER_EVENT_FILE.exec(name);
      if (event !== null && this.seen.has(Number(event[1]))) continue;
      const to = this.folder.pathOf(name);
      await naming(this.folder.shownPath(name), () => carryEntry(join(old, name), to));
      if (event === null) continue;
      const entry = known.get(name);
      // A file the old manifest does not list stays unlisted: the store refuses it as the old one did.
      if (entry !== undefined) this.entries.push(entry);
      else if (manifest === null) {
        const bytes = await readFile(to);
        this.entries.push({ name, bytes: bytes.byteLength, sha256: sha256(bytes) });
      }
    }
  }

  private openDataset(first: TrackMLEvent): Map<TableKind, ArrowFileOutput> {
    const kinds = this.kinds ?? TABLE_KINDS.filter((kind) => tableOf(first, kind) !== undefined);
    const outputs = new Map<TableKind, ArrowFileOutput>();
    this.datasetOutputs = outputs;
    for (const kind of kinds) {
      const name = arrowFileName(kind, 'dataset');
      const target = this.folder.shownPath(name);
      outputs.set(kind, new ArrowFileOutput(this.folder.pathOf(name), tableSchema(kind, 'dataset', [], this.producer), { target, hashBatches: true }));
      this.written.push(target);
    }
    return outputs;
  }

  private appendToDataset(event: TrackMLEvent): void {
    const outputs = this.datasetOutputs ?? this.openDataset(event);
    for (const kind of TABLE_KINDS) {
      if (tableOf(event, kind) !== undefined && !outputs.has(kind)) {
        throw new InputError({ file: arrowFileName(kind, 'dataset') }, `event ${event.eventId} has a ${kind} table, but the dataset has no ${kind} file`);
      }
    }
    for (const [kind, output] of outputs) {
      const file = arrowFileName(kind, 'dataset');
      const table = tableOf(event, kind);
      if (table === undefined) throw new InputError({ file }, `event ${event.eventId} has no ${kind} table`);
      const rows = checkTableShape(kind, table, file);
      output.append(recordBatchOf(kind, table, rows, output.schema, event.eventId));
    }
  }

  private writeEventFiles(event: TrackMLEvent): void {
    for (const kind of TABLE_KINDS) {
      const table = tableOf(event, kind);
      if (table === undefined) {
        if (kind === 'hits' || kind === 'particles') throw new InputError({ file: `event ${event.eventId}` }, `has no ${kind} table`);
        continue;
      }
      const name = arrowFileName(kind, 'per-event', event.eventId);
      const rows = checkTableShape(kind, table, name);
      const target = this.folder.shownPath(name);
      const schema = tableSchema(kind, 'per-event', [event.eventId], this.producer);
      const output = new ArrowFileOutput(this.folder.pathOf(name), schema, { target });
      try {
        output.append(recordBatchOf(kind, table, rows, schema, null));
        this.entries.push(output.finish(name));
      } catch (error) {
        output.abandon();
        throw error;
      }
      this.written.push(target);
    }
  }
}

/** A per-event store and a dataset never share a folder (neither could be opened). */
async function checkLayoutOfExisting(folder: StoreFolderWrite, layout: ArrowLayout): Promise<void> {
  const old = await folder.existing();
  if (old === null) return;
  const names = await readdir(old);
  const other: ArrowLayout = layout === 'dataset' ? 'per-event' : 'dataset';
  const clash = names.find((name) => (other === 'dataset' ? DATASET_FILE : PER_EVENT_FILE).test(name));
  if (clash !== undefined) {
    throw new InputError(
      { file: folder.outDir },
      `holds a ${other} store (${clash}); a ${layout} store cannot share its folder: write into another folder or remove that store first`,
    );
  }
}

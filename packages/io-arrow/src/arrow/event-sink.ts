import { mkdir, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigError, InputError, type TableKind, type TrackMLEvent } from '@hypertrack/core';
import { AtomicFiles } from '../atomic-files';
import { TABLE_KINDS, checkEventId, orderKinds } from '../event-files';
import { checkTableShape } from '../table-shape';
import { tableOf } from '../write-event';
import { recordBatchOf } from './columns';
import { ArrowFileOutput } from './file-output';
import { ARROW_LAYOUTS, META_EVENT_IDS, arrowFileName, tableSchema, type ArrowLayout, type EventProducer } from './format';

export interface ArrowSinkOptions {
  layout: ArrowLayout;
  /** Tables of a dataset; each appended event must have exactly these. Default: those of the first event. */
  kinds?: readonly TableKind[];
  /** Recorded in every file's schema metadata (`openArrowStore(...).producer` reads it back). */
  producer?: EventProducer;
}

/**
 * Receives events one at a time and writes them into an Arrow store folder. Nothing is visible in
 * the folder until `commit`; `abort` removes every temporary file (and the folder, if this sink
 * created it and it is still empty).
 */
export class ArrowEventSink {
  private readonly files = new AtomicFiles();
  private datasetOutputs: Map<TableKind, ArrowFileOutput> | null = null;
  private readonly written: string[] = [];
  private readonly eventIds: number[] = [];
  private readonly seen = new Set<number>();

  private constructor(
    readonly outDir: string,
    private readonly layout: ArrowLayout,
    private readonly kinds: readonly TableKind[] | null,
    private readonly createdDir: string | undefined,
    private readonly producer: EventProducer | undefined,
  ) {}

  static async open(outDir: string, options: ArrowSinkOptions): Promise<ArrowEventSink> {
    if (!ARROW_LAYOUTS.includes(options.layout)) {
      throw new ConfigError('layout', `must be one of ${ARROW_LAYOUTS.join(', ')}, got ${JSON.stringify(options.layout)}`);
    }
    const kinds = options.kinds === undefined ? null : orderKinds(options.kinds);
    const createdDir = await mkdir(outDir, { recursive: true });
    return new ArrowEventSink(outDir, options.layout, kinds, createdDir, options.producer);
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

  /** Completes every file and moves them into place; returns their paths. */
  async commit(): Promise<string[]> {
    if (this.eventIds.length === 0) throw new ConfigError('events', 'nothing to write: no event was given');
    for (const output of this.datasetOutputs?.values() ?? []) {
      // Arrow's file writer puts the schema only in the footer, written here, so the event list can
      // be completed now, when it is known, even for a stream of events of unknown length.
      output.schema.metadata.set(META_EVENT_IDS, JSON.stringify(this.eventIds));
      output.finish();
    }
    await this.files.commit();
    return [...this.written];
  }

  async abort(): Promise<void> {
    for (const output of this.datasetOutputs?.values() ?? []) output.abandon();
    await this.files.abort();
    if (this.createdDir !== undefined) {
      // Only the folders this sink made, innermost first, and only while they are empty.
      let dir = resolve(this.outDir);
      const top = resolve(this.createdDir);
      for (;;) {
        const removed = await rmdir(dir).then(
          () => true,
          () => false,
        );
        if (!removed || dir === top) break;
        dir = resolve(dir, '..');
      }
    }
  }

  private openDataset(first: TrackMLEvent): Map<TableKind, ArrowFileOutput> {
    const kinds = this.kinds ?? TABLE_KINDS.filter((kind) => tableOf(first, kind) !== undefined);
    const outputs = new Map<TableKind, ArrowFileOutput>();
    this.datasetOutputs = outputs;
    for (const kind of kinds) {
      const target = join(this.outDir, arrowFileName(kind, 'dataset'));
      outputs.set(kind, new ArrowFileOutput(this.files.temp(target), tableSchema(kind, 'dataset', [], this.producer)));
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
      const target = join(this.outDir, name);
      const schema = tableSchema(kind, 'per-event', [event.eventId], this.producer);
      const output = new ArrowFileOutput(this.files.temp(target), schema);
      try {
        output.append(recordBatchOf(kind, table, rows, schema, null));
        output.finish();
      } catch (error) {
        output.abandon();
        throw error;
      }
      this.written.push(target);
    }
  }
}

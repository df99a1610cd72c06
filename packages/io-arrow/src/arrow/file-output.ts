import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { AsyncByteQueue, RecordBatchFileWriter, type RecordBatch, type Schema } from 'apache-arrow';
import { namingSync } from '@hypertrack/core';
import type { ManifestFile } from './manifest';

type SinkInput = Parameters<AsyncByteQueue['write']>[0];

/**
 * Hands every byte the Arrow writer produces straight to a file descriptor, hashing it on the way
 * (SHA-256 of the whole file; for a dataset file also of each record batch and of the bytes outside
 * the batches, see manifest). Arrow's own sink is an in-memory queue that grows until someone
 * drains it; writing through keeps memory at one event while a large dataset file is appended
 * batch by batch.
 */
class FileDescriptorSink extends AsyncByteQueue {
  position = 0;
  private readonly whole = createHash('sha256');
  private readonly outside: Hash | null;
  private batch: { hash: Hash; offset: number } | null = null;
  readonly batches: { offset: number; bytes: number; sha256: string }[] = [];

  constructor(
    private readonly fd: number,
    hashBatches: boolean,
  ) {
    super();
    this.outside = hashBatches ? createHash('sha256') : null;
  }

  override write(value: SinkInput): void {
    if (!ArrayBuffer.isView(value)) throw new TypeError('Arrow writer produced a non-binary chunk');
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(this.fd, bytes, done, bytes.byteLength - done);
    this.whole.update(bytes);
    if (this.outside !== null) (this.batch?.hash ?? this.outside).update(bytes);
    this.position += bytes.byteLength;
  }

  override close(): void {
    // The descriptor belongs to ArrowFileOutput, which closes it after the footer is written.
  }

  /** The bytes written from now until `endBatch` are one record batch. */
  startBatch(): void {
    if (this.outside !== null) this.batch = { hash: createHash('sha256'), offset: this.position };
  }

  endBatch(): void {
    if (this.batch === null) return;
    this.batches.push({ offset: this.batch.offset, bytes: this.position - this.batch.offset, sha256: this.batch.hash.digest('hex') });
    this.batch = null;
  }

  digest(name: string): ManifestFile {
    const file: ManifestFile = { name, bytes: this.position, sha256: this.whole.digest('hex') };
    if (this.outside === null) return file;
    return { ...file, batches: this.batches, outsideBatchesSha256: this.outside.digest('hex') };
  }
}

export interface ArrowFileOutputOptions {
  /** The path to name in errors (the file asked for), when `path` is a temporary one. Default `path`. */
  target?: string;
  /** Hash each record batch on its own (dataset files, whose events are loaded batch by batch). */
  hashBatches?: boolean;
}

/**
 * One Arrow IPC file being written: schema fixed up front, record batches appended, then a footer.
 * A system error (a full disk...) becomes an OutputError naming the target.
 */
export class ArrowFileOutput {
  private fd: number | null;
  private readonly writer = new RecordBatchFileWriter();
  private readonly sink: FileDescriptorSink;
  private readonly target: string;

  constructor(
    readonly path: string,
    readonly schema: Schema,
    options: ArrowFileOutputOptions = {},
  ) {
    this.target = options.target ?? path;
    // 'wx': the path is a fresh temporary name; an existing file there would belong to someone else.
    const fd = namingSync(this.target, () => openSync(path, 'wx'));
    this.fd = fd;
    this.sink = new FileDescriptorSink(fd, options.hashBatches === true);
    namingSync(this.target, () => this.writer.reset(this.sink, schema));
  }

  append(batch: RecordBatch): void {
    // Arrow's writer silently starts a new stream when a batch's fields differ from the file's.
    if (!sameFields(batch.schema, this.schema)) throw new Error('record batch fields differ from the file schema');
    this.sink.startBatch();
    namingSync(this.target, () => this.writer.write(batch));
    this.sink.endBatch();
  }

  /** Writes the footer and closes the file; returns its size and checksums for the manifest, as `name`. */
  finish(name = basename(this.target)): ManifestFile {
    namingSync(this.target, () => this.writer.finish());
    this.closeDescriptor();
    return this.sink.digest(name);
  }

  /** Closes the file without a footer; the caller removes it. */
  abandon(): void {
    try {
      this.closeDescriptor();
    } catch {
      // Abandoned after another error, which is the one to report.
    }
  }

  private closeDescriptor(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    namingSync(this.target, () => closeSync(fd));
  }
}

function sameFields(a: Schema, b: Schema): boolean {
  return (
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f.name === b.fields[i].name && f.nullable === b.fields[i].nullable && String(f.type) === String(b.fields[i].type))
  );
}

import { closeSync, openSync, writeSync } from 'node:fs';
import { AsyncByteQueue, RecordBatchFileWriter, type RecordBatch, type Schema } from 'apache-arrow';

type SinkInput = Parameters<AsyncByteQueue['write']>[0];

/**
 * Hands every byte the Arrow writer produces straight to a file descriptor. Arrow's own sink is an
 * in-memory queue that grows until someone drains it; writing through keeps memory at one event
 * while a large dataset file is appended batch by batch.
 */
class FileDescriptorSink extends AsyncByteQueue {
  constructor(private readonly fd: number) {
    super();
  }

  override write(value: SinkInput): void {
    if (!ArrayBuffer.isView(value)) throw new TypeError('Arrow writer produced a non-binary chunk');
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(this.fd, bytes, done, bytes.byteLength - done);
  }

  override close(): void {
    // The descriptor belongs to ArrowFileOutput, which closes it after the footer is written.
  }
}

/** One Arrow IPC file being written: schema fixed up front, record batches appended, then a footer. */
export class ArrowFileOutput {
  private fd: number | null;
  private readonly writer = new RecordBatchFileWriter();

  constructor(
    readonly path: string,
    readonly schema: Schema,
  ) {
    // 'wx': the path is a fresh temporary name; an existing file there would belong to someone else.
    this.fd = openSync(path, 'wx');
    this.writer.reset(new FileDescriptorSink(this.fd), schema);
  }

  append(batch: RecordBatch): void {
    // Arrow's writer silently starts a new stream when a batch's fields differ from the file's.
    if (!sameFields(batch.schema, this.schema)) throw new Error('record batch fields differ from the file schema');
    this.writer.write(batch);
  }

  finish(): void {
    this.writer.finish();
    this.closeDescriptor();
  }

  /** Closes the file without a footer; the caller removes it. */
  abandon(): void {
    this.closeDescriptor();
  }

  private closeDescriptor(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }
}

function sameFields(a: Schema, b: Schema): boolean {
  return (
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f.name === b.fields[i].name && f.nullable === b.fields[i].nullable && String(f.type) === String(b.fields[i].type))
  );
}

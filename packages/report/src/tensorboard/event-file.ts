import { openSync, writeSync, fsyncSync, closeSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from './crc32c';
import { encodeEvent, type ScalarValue } from './protobuf';

/** One TFRecord: uint64 length, masked CRC of the length, the data, masked CRC of the data (little-endian). */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/**
 * A TensorBoard event file under `dir` (`events.out.tfevents.<seconds>.<host>.<pid>`), appended one
 * record at a time: TensorBoard reads it while it grows, and a run killed mid-write leaves at most
 * a truncated last record, which readers skip. A run that resumes at step s opens a new file that
 * starts with SessionLog START at s, so TensorBoard drops what the killed run logged after s.
 */
export class TensorBoardWriter {
  readonly path: string;
  private fd: number | null;

  constructor(dir: string, options: { resumeStep?: number; now?: () => number } = {}) {
    mkdirSync(dir, { recursive: true });
    const now = options.now ?? (() => Date.now() / 1000);
    this.now = now;
    this.path = join(dir, `events.out.tfevents.${Math.floor(now())}.${hostname()}.${process.pid}`);
    this.fd = openSync(this.path, 'a');
    this.append(encodeEvent(now(), 0, { fileVersion: 'brain.Event:2' }));
    if (options.resumeStep !== undefined && options.resumeStep > 0) this.append(encodeEvent(now(), options.resumeStep, { sessionStart: true }));
  }

  private readonly now: () => number;

  /** Scalars of one step (non-finite values are written as they are: TensorBoard shows NaN). */
  scalars(step: number, values: readonly ScalarValue[]): void {
    if (values.length > 0) this.append(encodeEvent(this.now(), step, { scalars: values }));
  }

  private append(event: Uint8Array): void {
    if (this.fd === null) throw new Error(`the TensorBoard file ${this.path} is closed`);
    writeSync(this.fd, tfRecord(event));
  }

  /** Flushes to disk and closes the file. */
  close(): void {
    if (this.fd === null) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
  }
}

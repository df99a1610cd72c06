import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from '@hypertrack/core';

const MAGIC = 'ARROW1';

/**
 * A buffer that owns its whole ArrayBuffer (never a slice of Node's shared pool, so Arrow's 8-byte
 * aligned offsets stay aligned and Arrow hands out views instead of copies), left unzeroed because
 * it is filled from the file at once.
 */
export function allocateOwned(size: number): Uint8Array {
  return Buffer.allocUnsafeSlow(size);
}

/** Reads `length` bytes at `position` into `target` at `offset`. */
export function readInto(fd: number, target: Uint8Array, offset: number, length: number, position: number, file: string): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, target, offset + done, length - done, position + done);
    if (n === 0) throw new InputError({ file }, 'file is shorter than its Arrow footer says (truncated?)');
    done += n;
  }
}

/** The whole file in a fresh ArrayBuffer, checked to start and end with the Arrow file magic. */
export function readArrowFile(path: string, file: string): Uint8Array {
  const fd = openOrFail(path, file);
  try {
    const size = fstatSync(fd).size;
    const bytes = allocateOwned(size);
    readInto(fd, bytes, 0, size, 0, file);
    checkMagic(bytes.subarray(0, 6), bytes.subarray(Math.max(0, size - 6)), size, file);
    return bytes;
  } finally {
    closeSync(fd);
  }
}

/** Checks the Arrow file magic at both ends without reading the body. */
export async function checkArrowFileMagic(path: string, file: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw openError(error, file);
  }
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(6);
    const tail = Buffer.alloc(6);
    if (size >= 12) {
      await handle.read(head, 0, 6, 0);
      await handle.read(tail, 0, 6, size - 6);
    }
    checkMagic(head, tail, size, file);
  } finally {
    await handle.close();
  }
}

export function openOrFail(path: string, file: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw openError(error, file);
  }
}

function checkMagic(head: Uint8Array, tail: Uint8Array, size: number, file: string): void {
  const text = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (size < 12 || text(head) !== MAGIC || text(tail) !== MAGIC) {
    throw new InputError({ file }, 'not an Arrow IPC file (no ARROW1 magic at both ends)');
  }
}

function openError(error: unknown, file: string): InputError {
  const code = (error as { code?: unknown }).code;
  return new InputError({ file }, code === 'ENOENT' ? 'file not found' : `cannot open: ${(error as Error).message}`);
}

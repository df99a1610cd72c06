import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
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

/**
 * Which file a descriptor reads: device, inode, size and modification time. A store whose file
 * has another identity than the one verified (or opened) was rewritten meanwhile.
 */
export function identityOf(info: Stats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}`;
}

/** The whole file in a fresh ArrayBuffer, and the identity of the file read. */
export function readWholeFile(path: string, file: string): { bytes: Uint8Array; identity: string } {
  const fd = openOrFail(path, file);
  try {
    const info = fstatSync(fd);
    const bytes = allocateOwned(info.size);
    readInto(fd, bytes, 0, info.size, 0, file);
    return { bytes, identity: identityOf(info) };
  } finally {
    closeSync(fd);
  }
}

/** Checks that the bytes of a whole file start and end with the Arrow file magic. */
export function checkArrowMagic(bytes: Uint8Array, file: string): void {
  const size = bytes.byteLength;
  checkMagic(bytes.subarray(0, 6), bytes.subarray(Math.max(0, size - 6)), size, file);
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

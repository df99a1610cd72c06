import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '@hypertrack/core';

const READ_CHUNK = 1 << 20;
const GUNZIP_CHUNK = 1 << 18;

/**
 * The bytes of a text file, decompressed when it is gzip. Gzip is recognised by its magic bytes
 * (1f 8b), not by the file name, so a renamed file still reads. Errors become InputErrors naming
 * `label`.
 */
export async function* readByteChunks(path: string, label: string): AsyncGenerator<Buffer> {
  const gzip = await startsWithGzipMagic(path, label);
  const raw = createReadStream(path, { highWaterMark: READ_CHUNK });
  if (!gzip) {
    try {
      for await (const chunk of raw) yield chunk as Buffer;
    } catch (error) {
      throw readError(error, label);
    } finally {
      raw.destroy();
    }
    return;
  }
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  raw.on('error', (error) => gunzip.destroy(error));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if (isZlibError(error)) throw new InputError({ file: label }, `corrupt gzip data (${messageOf(error)})`);
    throw readError(error, label);
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}

async function startsWithGzipMagic(path: string, label: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw readError(error, label);
  }
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (error) {
    throw readError(error, label);
  } finally {
    await handle.close();
  }
}

// Duck-typed, not instanceof Error: errors made by Node's internals come from another realm under
// test sandboxes (jest), where instanceof fails.
function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function readError(error: unknown, label: string): Error {
  if (error instanceof InputError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new InputError({ file: label }, 'file not found');
  if (code === 'EISDIR') return new InputError({ file: label }, 'is a directory, expected a file');
  return new InputError({ file: label }, `cannot read: ${messageOf(error)}`);
}

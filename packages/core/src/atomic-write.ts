import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a whole file or nothing: the data goes to a hidden temporary sibling (same folder, so the
 * rename is atomic on one file system), which replaces `path` only once complete. Creates the
 * folder if needed; on failure removes the temporary file and rethrows.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The names in folder `dir`, none when it does not exist (yet) or is not a folder. */
export async function folderEntries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/** Whether process `pid` still runs (on this machine): the owner of a temporary name or a lock. */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const TEMPORARY = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temporary files that `writeFileAtomic` left in `dir` when its process was killed
 * mid-write (those of running processes stay). Returns the names removed.
 */
export async function removeAbandonedTemporaries(dir: string): Promise<string[]> {
  const names = await folderEntries(dir);
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (match === null || isProcessAlive(Number(match[1]))) continue;
    await rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

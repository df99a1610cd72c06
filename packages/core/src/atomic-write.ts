import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeFolders, outputErrorOf } from './output-error';

/**
 * Writes a whole file or nothing: the data goes to a hidden temporary sibling (same folder, so the
 * rename is atomic on one file system), which replaces `path` only once complete. Creates the
 * folder if needed; on failure removes the temporary file and throws, a system error as an
 * OutputError naming `path` and what to do.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  makeFolders(dirname(path), path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw outputErrorOf(error, path);
  }
}

/**
 * Writes a whole folder or nothing: `fill` writes into a hidden temporary sibling, which then
 * takes the place of `path` in one rename. An existing `path` is first renamed aside and removed
 * only once the new folder is in place, so a kill at any moment leaves the old folder or the new
 * one (and temporaries that removeAbandonedTemporaries tidies), never a mix.
 */
export async function writeFolderAtomic(path: string, fill: (temporary: string) => Promise<void>): Promise<void> {
  const parent = dirname(path);
  makeFolders(parent, path);
  const stem = `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}`;
  const temporary = join(parent, `${stem}.tmp`);
  const aside = join(parent, `${stem}-old.tmp`);
  try {
    await mkdir(temporary);
    await fill(temporary);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (exists) await rename(path, aside);
    await rename(temporary, path);
    if (exists) await rm(aside, { recursive: true, force: true });
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw outputErrorOf(error, path);
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

const TEMPORARY = /^\.(.+)\.(\d+)-[0-9a-f]{8}(-old)?\.tmp$/;

/**
 * Removes the temporary files and folders that `writeFileAtomic` and `writeFolderAtomic` left in
 * `dir` when their process was killed mid-write (those of running processes stay), and puts back a
 * folder set aside whose replacement never arrived. Returns the names removed.
 */
export async function removeAbandonedTemporaries(dir: string): Promise<string[]> {
  const names = await folderEntries(dir);
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (match === null || isProcessAlive(Number(match[2]))) continue;
    const target = join(dir, match[1]);
    // A folder set aside by writeFolderAtomic whose replacement never arrived goes back in place.
    if (match[3] !== undefined && (await folderEntries(dir)).every((entry) => entry !== match[1])) {
      await rename(join(dir, name), target);
      continue;
    }
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeFolders, naming } from '@hypertrack/core';

/**
 * A group of output files that appear together or not at all. Each file is written under a hidden
 * temporary name in its target folder (so the final rename is atomic on one file system) and only
 * renamed into place once every file of the group is complete. A system error on the way (a full
 * disk, no permission, a file where a folder should be) becomes an `OutputError` naming the target.
 */
export class AtomicFiles {
  private readonly pending: { temp: string; target: string }[] = [];

  /** A temporary sibling path of `target` to write (its folder is created); `commit` moves it to `target`. */
  temp(target: string): string {
    makeFolders(dirname(target), target);
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    this.pending.push({ temp, target });
    return temp;
  }

  async commit(): Promise<void> {
    while (this.pending.length > 0) {
      const { temp, target } = this.pending[0];
      await naming(target, () => rename(temp, target));
      this.pending.shift();
    }
  }

  /** Removes every temporary file not yet committed; never throws. */
  async abort(): Promise<void> {
    const pending = this.pending.splice(0);
    await Promise.all(pending.map(({ temp }) => rm(temp, { force: true }).catch(() => undefined)));
  }
}

/** Runs `write`, then commits its files; on any error removes them and rethrows. */
export async function withAtomicFiles<T>(write: (files: AtomicFiles) => Promise<T>): Promise<T> {
  const files = new AtomicFiles();
  try {
    const result = await write(files);
    await files.commit();
    return result;
  } catch (error) {
    await files.abort();
    throw error;
  }
}

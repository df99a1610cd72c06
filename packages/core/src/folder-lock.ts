import { openSync, writeSync, closeSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors';
import { isProcessAlive } from './atomic-write';
import { makeFolders, outputErrorOf } from './output-error';

/** The lock file a folder's owner holds. */
export const LOCK_FILE = '.hypertrack.lock';

export interface FolderLock {
  readonly path: string;
  release(): void;
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly purpose: string;
}

/**
 * Makes this process the one owner of `dir` (created if needed) until `release()`: a second
 * process gets a ConfigError naming `key`, the owner's pid and since when. A lock left by a
 * process that no longer runs on this host is taken over. The lock file is created with O_EXCL,
 * so of two processes racing for a free folder exactly one wins.
 */
export function lockFolder(dir: string, purpose: string, key = '--logdir'): FolderLock {
  makeFolders(dir, dir);
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          // Only our own lock is removed (a folder handed over by hand keeps its new owner's).
          if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outputErrorOf(error, path);
    }
    const owner = readOwner(path);
    if (owner !== null && owner.pid !== process.pid && (owner.host !== me.host || isProcessAlive(owner.pid))) {
      throw new ConfigError(key, `${dir} is in use by another ${owner.purpose} (pid ${owner.pid} on ${owner.host}, since ${owner.since}); wait for it to finish or choose another ${key}`);
    }
    // Stale (its process is gone) or unreadable: move it aside under a name of our own, then race for a fresh one.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
      rmSync(aside, { force: true });
    } catch {
      // Another process moved it first; the next attempt tells who owns the folder now.
    }
  }
  throw new ConfigError(key, `cannot lock ${dir}: its lock file ${path} keeps changing; is another process starting there?`);
}

function readOwner(path: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

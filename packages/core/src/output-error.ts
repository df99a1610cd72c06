import { mkdirSync } from 'node:fs';
import { HyperTrackError } from './errors';

/**
 * A file or folder could not be written. The message is one line: the path the caller asked for
 * (never a hidden temporary name), what the system said, and what to do about it, e.g.
 * `data/store/hits.arrow: cannot write: no space left on the device (ENOSPC); free some space or write elsewhere`.
 */
export class OutputError extends HyperTrackError {
  constructor(
    /** The output the caller asked for. */
    readonly path: string,
    /** The system's error code (ENOSPC, EACCES, ...), if a system error was the cause. */
    readonly code: string | undefined,
    readonly reason: string,
  ) {
    super(`${path}: cannot write: ${reason}`);
  }
}

const ADVICE: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device (ENOSPC); free some space or write elsewhere',
  EDQUOT: 'disk quota exceeded (EDQUOT); free some space or write elsewhere',
  EFBIG: 'the file is too large for this file system (EFBIG); write elsewhere',
  EACCES: 'permission denied (EACCES); write into a folder you may write to',
  EPERM: 'operation not permitted (EPERM); write into a folder you may write to',
  EROFS: 'the file system is read-only (EROFS); write elsewhere',
  ENOENT: 'a folder on the way does not exist or was removed while writing (ENOENT); check the path',
  ENOTDIR: 'a part of the path is a file, not a folder (ENOTDIR); check the path',
  EISDIR: 'a folder is in the way (EISDIR); choose another name or remove the folder',
  EEXIST: 'something is already in the way (EEXIST); choose another name or remove it',
  ENOTEMPTY: 'a folder that is not empty is in the way (ENOTEMPTY); choose another name or remove it',
  EBUSY: 'the path is busy, e.g. a mount point (EBUSY); write into a folder below it',
  EXDEV: 'the path crosses file systems (EXDEV); write elsewhere',
  EMFILE: 'too many open files (EMFILE); raise the limit (ulimit -n) or close other programs',
  ENFILE: 'too many open files on the system (ENFILE); close other programs',
  ENAMETOOLONG: 'the name is too long (ENAMETOOLONG); choose a shorter path',
  EIO: 'input/output error from the device (EIO); check the disk',
};

/**
 * The error to throw when writing `path` failed with `error`: a system error (it has a string
 * `code`, as Node's file-system errors do) becomes an OutputError naming `path`; anything else
 * (our own errors, bugs) is returned unchanged.
 */
export function outputErrorOf(error: unknown, path: string): unknown {
  if (error instanceof HyperTrackError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return error;
  const reason = ADVICE[code] ?? `${firstLine(error)} (${code})`;
  return new OutputError(path, code, reason);
}

/** Runs `write` and turns a system error from it into an OutputError naming `path`. */
export async function naming<T>(path: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw outputErrorOf(error, path);
  }
}

/** The synchronous form of `naming`. */
export function namingSync<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    throw outputErrorOf(error, path);
  }
}

/**
 * Creates folder `dir` and the folders above it (`mkdir -p`); errors name `shown`. There, EEXIST
 * means a file stands where a folder should be. Returns the first folder created, if any.
 */
export function makeFolders(dir: string, shown: string): string | undefined {
  try {
    return mkdirSync(dir, { recursive: true });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') {
      throw new OutputError(shown, 'EEXIST', 'a file is in the way where a folder should be (EEXIST); check the path');
    }
    throw outputErrorOf(error, shown);
  }
}

/** Node's message without the syscall and paths it appends ("ENOSPC: no space left on device, write"). */
function firstLine(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  const text = typeof message === 'string' ? message : String(error);
  return text.split('\n')[0].replace(/^E[A-Z0-9]+: /, '').replace(/, [a-z]+( .*)?$/, '');
}

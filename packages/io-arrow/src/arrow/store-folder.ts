import { randomBytes } from 'node:crypto';
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, readdir, readlink, rename, rm, rmdir, stat, symlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError, folderEntries, isProcessAlive, OutputError, makeFolders, naming, outputErrorOf } from '@hypertrack/core';
import { MANIFEST_FILE } from './manifest';

/**
 * A store folder is replaced as a whole, by renames of whole folders, so that no reader ever sees
 * the files of two writes side by side:
 *
 * 1. the new store is written into a hidden sibling, `.<name>.<pid>-<8 hex>.writing`;
 * 2. an existing store is renamed aside to `.<name>.<pid>-<8 hex>.replaced`;
 * 3. the new folder is renamed to `<name>`;
 * 4. the old one is deleted.
 *
 * The old store is deleted only once the new one is in place. A write killed at any point leaves
 * either the old store or the new one at `<name>`, except between steps 2 and 3, where `<name>` is
 * missing and the old store waits aside: `recoverStoreFolder` (run by every write and open of the
 * store) renames it back, removes the `.writing` folders of dead writers, and removes `.replaced`
 * folders of dead writers once a complete store (one with a manifest) is in place.
 */

const LEFTOVER = /^\.(.+)\.(\d+)-([0-9a-f]{8})\.(writing|replaced)$/;

interface Leftover {
  readonly path: string;
  readonly pid: number;
  readonly kind: 'writing' | 'replaced';
}

/**
 * The folder a store path stands for: the path made absolute, through symbolic links (a link to
 * a store keeps pointing at the new one; the renames happen beside the real folder).
 */
export function storeTarget(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    // Missing (or a link to a folder that is missing, e.g. moved aside by a killed write).
    try {
      if (lstatSync(absolute).isSymbolicLink()) return resolve(dirname(absolute), readlinkSync(absolute));
    } catch {
      // Nothing there at all.
    }
    return absolute;
  }
}

async function leftoversOf(target: string): Promise<Leftover[]> {
  const name = basename(target);
  const found: Leftover[] = [];
  // An unreadable parent folder hides leftovers; the store itself may still be readable.
  const entries = await folderEntries(dirname(target)).catch(() => [] as string[]);
  for (const entry of entries.sort()) {
    const match = LEFTOVER.exec(entry);
    if (match === null || match[1] !== name) continue;
    found.push({ path: join(dirname(target), entry), pid: Number(match[2]), kind: match[4] as Leftover['kind'] });
  }
  return found;
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** What `recoverStoreFolder` did. */
export interface Recovery {
  /** The `.replaced` folder renamed back to the store's name, if any. */
  readonly restored: string | null;
  /** Leftover folders removed. */
  readonly removed: readonly string[];
}

/**
 * Repairs what a killed write of the store at `path` left behind (see above); leftovers of
 * writers that still run are left alone. Removal is best effort (a read-only medium keeps them);
 * failing to restore a missing store is an InputError that says where the old store waits.
 */
export async function recoverStoreFolder(path: string): Promise<Recovery> {
  const target = storeTarget(path);
  const dead = (await leftoversOf(target)).filter((leftover) => !isProcessAlive(leftover.pid));
  let restored: string | null = null;
  const targetExisted = await isFolder(target);
  if (!targetExisted) {
    const aside = dead.find((leftover) => leftover.kind === 'replaced');
    if (aside !== undefined) {
      try {
        await rename(aside.path, target);
      } catch (error) {
        throw new InputError(
          { file: path },
          `not found, and the store it held waits in ${aside.path} after an interrupted write, but renaming it back failed ` +
            `(${(error as Error).message.split('\n')[0]}); rename it to ${target}`,
        );
      }
      restored = aside.path;
    }
  }
  const committed = await stat(join(target, MANIFEST_FILE)).then(
    (s) => s.isFile(),
    () => false,
  );
  const removed: string[] = [];
  for (const leftover of dead) {
    if (leftover.path === restored) continue;
    // An old store moved aside is deleted only when a complete new store is in place, and never
    // when this call found the store missing (then the folder aside may be the only copy).
    if (leftover.kind === 'replaced' && !(targetExisted && committed)) continue;
    const gone = await rm(leftover.path, { recursive: true, force: true }).then(
      () => true,
      () => false,
    );
    if (gone) removed.push(leftover.path);
  }
  return { restored, removed };
}

/** Test seam: runs between moving the old store aside and moving the new one into place. */
export interface CommitHooks {
  afterAside?(): void | Promise<void>;
}

/** One write of a store folder: files go into `temp`; `commit` replaces the store with it. */
export class StoreFolderWrite {
  private constructor(
    /** The path the caller gave, named in messages. */
    readonly outDir: string,
    /** That path made absolute, through links. */
    readonly target: string,
    /** The hidden sibling folder being written. */
    readonly temp: string,
    private readonly token: string,
    private readonly createdParent: string | undefined,
  ) {}

  static async begin(outDir: string): Promise<StoreFolderWrite> {
    const target = storeTarget(outDir);
    const cwd = process.cwd();
    if (cwd === target || cwd.startsWith(target + sep)) {
      throw new OutputError(outDir, undefined, 'it is the current folder or holds it, and a store is replaced as a whole; write the store into a subfolder');
    }
    await recoverStoreFolder(outDir);
    const existing = await lstat(target).catch(() => null);
    if (existing !== null && !existing.isDirectory()) throw new OutputError(outDir, undefined, 'a file is in the way of the store folder; choose another path');
    const createdParent = makeFolders(dirname(target), outDir);
    const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const temp = join(dirname(target), `.${basename(target)}.${token}.writing`);
    await naming(outDir, () => mkdir(temp));
    return new StoreFolderWrite(outDir, target, temp, token, createdParent);
  }

  /** Where to write file `name` of the new store. */
  pathOf(name: string): string {
    return join(this.temp, name);
  }

  /** File `name` as messages show it: inside the folder the caller asked for. */
  shownPath(name: string): string {
    return join(this.outDir, name);
  }

  /** The store folder as it is now (the one `commit` replaces), or null when there is none. */
  async existing(): Promise<string | null> {
    return (await isFolder(this.target)) ? this.target : null;
  }

  /** Moves the new folder into place, replacing (then deleting) the old one. */
  async commit(hooks: CommitHooks = {}): Promise<void> {
    const target = this.target;
    const old = await stat(target).catch(() => null);
    if (old === null || !old.isDirectory()) {
      await naming(this.outDir, () => rename(this.temp, target));
      return;
    }
    await chmod(this.temp, old.mode & 0o7777).catch(() => undefined);
    const aside = join(dirname(target), `.${basename(target)}.${this.token}.replaced`);
    await naming(this.outDir, () => rename(target, aside));
    try {
      await hooks.afterAside?.();
      await rename(this.temp, target);
    } catch (error) {
      // The old store goes back; should even that fail, the next write or open renames it back.
      await rename(aside, target).catch(() => undefined);
      throw outputErrorOf(error, this.outDir);
    }
    await rm(aside, { recursive: true, force: true }).catch(() => undefined);
  }

  /** Removes the folder being written, and the folders above it that `begin` created. */
  async abort(): Promise<void> {
    await rm(this.temp, { recursive: true, force: true }).catch(() => undefined);
    if (this.createdParent === undefined) return;
    const top = resolve(this.createdParent);
    let dir = dirname(this.target);
    for (;;) {
      const removed = await rmdir(dir).then(
        () => true,
        () => false,
      );
      if (!removed || dir === top || dirname(dir) === dir) break;
      dir = dirname(dir);
    }
  }
}

/**
 * Puts a copy of `from` at `to` without copying data where it can: files are hard-linked (copied
 * where links are not supported), folders rebuilt entry by entry, symbolic links recreated.
 */
export async function carryEntry(from: string, to: string): Promise<void> {
  const info = await lstat(from);
  if (info.isDirectory()) {
    await mkdir(to, { mode: info.mode & 0o7777 });
    for (const name of await readdir(from)) await carryEntry(join(from, name), join(to, name));
  } else if (info.isSymbolicLink()) {
    await symlink(await readlink(from), to);
  } else if (info.isFile()) {
    await link(from, to).catch(() => copyFile(from, to));
  }
  // Sockets, pipes and devices are not data of a store folder: left behind.
}

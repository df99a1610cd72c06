import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE, lockFolder } from './index';

describe('lockFolder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hypertrack-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the folder to one owner; a second gets an error naming the owner; release frees it', () => {
    const lock = lockFolder(join(dir, 'run'), 'trainer');
    expect(JSON.parse(readFileSync(join(dir, 'run', LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'trainer' });
    // A live process on this host owns it: the parent of this test stands in for another trainer.
    writeFileSync(lock.path, JSON.stringify({ pid: process.ppid, host: hostname(), since: '2026-12-03T20:00:00.000Z', purpose: 'trainer' }));
    expect(() => lockFolder(join(dir, 'run'), 'trainer')).toThrow(
      `--logdir: ${join(dir, 'run')} is in use by another trainer (pid ${process.ppid} on ${hostname()}, since 2026-12-03T20:00:00.000Z); wait for it to finish or choose another --logdir`,
    );
    // Its release does not remove a lock that is no longer its own.
    lock.release();
    expect(existsSync(lock.path)).toBe(true);
    rmSync(lock.path);
    const again = lockFolder(join(dir, 'run'), 'trainer');
    again.release();
    expect(existsSync(again.path)).toBe(false);
  });

  it('takes over the lock of a process that is gone', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, host: hostname(), since: '2026-12-03T20:00:00.000Z', purpose: 'trainer' }));
    const lock = lockFolder(dir, 'trainer');
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});

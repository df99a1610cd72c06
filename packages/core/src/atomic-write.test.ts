import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { folderEntries, isProcessAlive, removeAbandonedTemporaries, writeFileAtomic, writeFolderAtomic } from './atomic-write';
import { lockFolder } from './folder-lock';
import { OutputError } from './output-error';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'core-atomic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the folder, writes the file and leaves no temporary file', async () => {
    const path = join(dir, 'a', 'b', 'out.json');
    await writeFileAtomic(path, '{"x":1}');
    expect(readFileSync(path, 'utf8')).toBe('{"x":1}');
    await writeFileAtomic(path, '{"x":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"x":2}');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['out.json']);
  });

  it('leaves nothing behind when the target cannot be written', async () => {
    // The target is an existing folder: the rename fails after the temporary file was written.
    const target = join(dir, 'taken');
    await writeFileAtomic(join(target, 'inner.txt'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('cleaning up after killed writers', () => {
  it('removes the temporaries of dead processes only, and lists a missing folder as empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-clean-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
      writeFileSync(join(dir, `.metrics.jsonl.${dead}-0123abcd.tmp`), 'half');
      writeFileSync(join(dir, `.config.json.${process.pid}-89abcdef.tmp`), 'being written');
      writeFileSync(join(dir, 'metrics.jsonl'), 'kept');
      expect(isProcessAlive(process.pid)).toBe(true);
      expect(isProcessAlive(dead)).toBe(false);
      expect(await removeAbandonedTemporaries(dir)).toEqual([`.metrics.jsonl.${dead}-0123abcd.tmp`]);
      expect((await folderEntries(dir)).sort()).toEqual([`.config.json.${process.pid}-89abcdef.tmp`, 'metrics.jsonl']);
      expect(await folderEntries(join(dir, 'missing'))).toEqual([]);
      expect(await folderEntries(join(dir, 'metrics.jsonl'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('writeFolderAtomic', () => {
  it('replaces a folder whole, and a failing fill leaves the old one untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hypertrack-folder-'));
    const target = join(dir, 'shard-0-of-2');
    await writeFolderAtomic(target, async (t) => writeFileSync(join(t, 'a.txt'), 'first'));
    await expect(
      writeFolderAtomic(target, async (t) => {
        writeFileSync(join(t, 'a.txt'), 'second');
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    expect(readdirSync(dir)).toEqual(['shard-0-of-2']);
    expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('first');
    await writeFolderAtomic(target, async (t) => writeFileSync(join(t, 'b.txt'), 'second'));
    expect(readdirSync(target)).toEqual(['b.txt']);
    expect(readdirSync(dir)).toEqual(['shard-0-of-2']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('after a kill between its two renames, the tidy puts the old folder back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hypertrack-folder-'));
    // A dead writer's leftovers: the old folder set aside, the new one complete but not renamed.
    const dead = 2 ** 22 + 17;
    mkdirSync(join(dir, `.shard.${dead}-0123abcd-old.tmp`));
    writeFileSync(join(dir, `.shard.${dead}-0123abcd-old.tmp`, 'a.txt'), 'old');
    mkdirSync(join(dir, `.shard.${dead}-0123abcd.tmp`));
    expect(await removeAbandonedTemporaries(dir)).toEqual([`.shard.${dead}-0123abcd.tmp`]);
    expect(readdirSync(dir)).toEqual(['shard']);
    expect(readFileSync(join(dir, 'shard', 'a.txt'), 'utf8')).toBe('old');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('write errors name the path asked for', () => {
  it('a file in the way of a folder, for a file, a folder and a lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hypertrack-output-'));
    writeFileSync(join(dir, 'afile'), 'x');
    const target = join(dir, 'afile', 'run', 'results.json');
    const inTheWay = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot write: (a file is in the way where a folder should be \\(EEXIST\\)|a part of the path is a file, not a folder \\(ENOTDIR\\)); check the path$`);
    await expect(writeFileAtomic(target, '{}')).rejects.toThrow(inTheWay(target));
    await expect(writeFolderAtomic(join(dir, 'afile', 'shard'), async () => {})).rejects.toThrow(OutputError);
    expect(() => lockFolder(join(dir, 'afile', 'logs'), 'test')).toThrow(inTheWay(join(dir, 'afile', 'logs')));
    expect(readdirSync(dir)).toEqual(['afile']);
    rmSync(dir, { recursive: true, force: true });
  });
});

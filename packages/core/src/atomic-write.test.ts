import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write';

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

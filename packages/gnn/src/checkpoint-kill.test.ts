import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '@hypertrack/nn';
import { latestCheckpoint, loadCheckpoint, tidyCheckpoints } from './index';

const child = resolve(__dirname, 'testing', 'resave-forever.cts');
const root = resolve(__dirname, '..', '..', '..');

/** Starts the re-saving child, kills it (SIGKILL) `delayMs` after its first save. */
function killWhileResaving(dir: string, delayMs: number): Promise<void> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--conditions=@hypertrack/source', '--require', 'tsx/cjs', '-e', `require(${JSON.stringify(child)})`, '--', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.stdout.on('data', () => setTimeout(() => proc.kill('SIGKILL'), delayMs));
    proc.on('exit', (code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`child ended with ${code}: ${stderr}`))));
  });
}

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

describe('a run killed while it re-saves its last step', () => {
  it('always resumes from that step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gnn-kill-'));
    try {
      for (const delayMs of [0, 7, 19, 43, 97, 151, 233]) {
        await killWhileResaving(dir, delayMs);
        await tidyCheckpoints(dir);
        const latest = await latestCheckpoint(dir);
        expect(latest).toBe(join(dir, 'step-000000005'));
        const checkpoint = await loadCheckpoint(latest as string);
        expect(checkpoint.meta.step).toBe(5);
        expect(checkpoint.optimizer.size).toBeGreaterThan(0);
        checkpoint.dispose();
        // Nothing of the killed process is left behind.
        expect(readdirSync(dir).sort()).toEqual(['latest_checkpoint', 'step-000000005']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('puts back a step moved aside when the kill came between the two renames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gnn-kill-'));
    try {
      await killWhileResaving(dir, 0);
      await tidyCheckpoints(dir);
      // The state a kill between "step aside" and "rename in" leaves: the old step under its aside name.
      const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
      const aside = join(dir, `step-000000005.old-${dead}`);
      cpSync(join(dir, 'step-000000005'), aside, { recursive: true });
      rmSync(join(dir, 'step-000000005'), { recursive: true });
      expect(await latestCheckpoint(dir)).toBeNull();
      expect(await tidyCheckpoints(dir)).toEqual([`restored step-000000005 from step-000000005.old-${dead} (a re-save was killed)`]);
      expect(await latestCheckpoint(dir)).toBe(join(dir, 'step-000000005'));
      expect(existsSync(aside)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('skips a step folder without weights and removes half-written ones of dead processes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gnn-kill-'));
    try {
      await killWhileResaving(dir, 0);
      await tidyCheckpoints(dir);
      cpSync(join(dir, 'step-000000005'), join(dir, 'step-000000009'), { recursive: true });
      rmSync(join(dir, 'step-000000009', 'model.safetensors'));
      expect(await latestCheckpoint(dir)).toBe(join(dir, 'step-000000005'));
      const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
      cpSync(join(dir, 'step-000000005'), join(dir, `step-000000006.partial-${dead}`), { recursive: true });
      cpSync(join(dir, 'step-000000005'), join(dir, `step-000000007.partial-${process.pid}`), { recursive: true });
      expect(await tidyCheckpoints(dir)).toEqual([`removed step-000000006.partial-${dead} (left by a killed run)`]);
      expect(readdirSync(dir).sort()).toEqual(['latest_checkpoint', 'step-000000005', `step-000000007.partial-${process.pid}`, 'step-000000009']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

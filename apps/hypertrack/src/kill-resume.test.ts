import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@hypertrack/core';
import { runCli } from './program';

// The kill test: a training run killed with SIGKILL at 20 seeded random moments (a
// checkpoint after every step, so many kills land in checkpoint writes), restarted each time with
// the same command, ends with exactly the metrics and weights of a run that was never killed.
const quiet = { write: () => true };
const cli = (...argv: string[]) => runCli(argv, { stdout: quiet, stderr: quiet });

let dir: string;
let args: (logdir: string) => string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hypertrack-kill-'));
  const events = join(dir, 'events');
  expect(await cli('simulate', '--events', '5', '--pileup', '10', '--format', 'arrow', '--out', events, '--seed', '4', '--no-progress')).toBe(0);
  const models = join(dir, 'models');
  expect(await cli('pretrain-voxdyn', '--in', events, '--events', '0-1', '--ncell', '1024', '--niter', '3', '--out', models, '--no-plots', '--no-progress')).toBe(0);
  args = (logdir) => [
    'train', '--in', events, '--events', '2-3', '--val-events', '4', '--validate', '--vd-model', join(models, 'voxdyn_node2node_hyper_ncell_1024.vdm'),
    '--set', 'model.nstack=2', '--set', 'model.hDim=8', '--set', 'model.mDim=8', '--set', 'model.zDim=6', '--set', 'model.correlateHidden=[4]',
    '--rfactor-start', '0.2', '--iterations', '40', '--save-period', '0', '--print-every', '1', '--logdir', logdir, '--no-progress',
  ];
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The training command in a child process from the sources; resolves with its exit code or signal.
 * With `kill`, SIGKILL comes `afterMs` after the child's backend is up (its first line: the kill
 * falls in loading) or after its first step (it falls in steps and checkpoint writes); the second
 * makes progress however slow the machine, the first covers the start.
 */
function train(logdir: string, kill?: { from: 'backend' | 'first step'; afterMs: number }): Promise<number | NodeJS.Signals | null> {
  const main = `require(${JSON.stringify(join(__dirname, 'main.ts'))})`;
  const child = spawn(process.execPath, ['--conditions=@hypertrack/source', '--require', 'tsx/cjs', '-e', main, '--', 'hypertrack', ...args(logdir)], {
    cwd: join(__dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    if (kill !== undefined && timer === null) timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
  };
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (kill?.from === 'backend' && stderr.includes('tensor backend')) arm();
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (kill?.from === 'first step' && /^step \d+, /m.test(stdout)) arm();
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (timer !== null) clearTimeout(timer);
      if (code !== null && code !== 0) reject(new Error(`training exited with ${code}: ${stderr}`));
      else resolve(code ?? signal);
    });
  });
}

/** metrics.jsonl without the wall-clock and process-dependent fields. */
function metrics(logdir: string): unknown[] {
  return readFileSync(join(logdir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const { step_ms: _s, vd_ms: _v, tensors: _t, tensor_mb: _m, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return rest;
    });
}

const finalWeights = (logdir: string) => ['model.safetensors', 'optimizer.safetensors'].map((file) => readFileSync(join(logdir, 'checkpoints', 'default', 'step-000000040', file)));

it('resumes after SIGKILL at 20 random moments and ends exactly as an uninterrupted run', async () => {
  const straight = join(dir, 'straight');
  expect(await train(straight)).toBe(0);
  const killed = join(dir, 'killed');
  const rng = Rng.fromSeed(2026);
  const outcomes: Array<number | NodeJS.Signals | null> = [];
  const reached: string[] = [];
  for (let kill = 0; kill < 20; kill++) {
    outcomes.push(await train(killed, { from: kill % 2 === 0 ? 'backend' : 'first step', afterMs: rng.uniform() * (kill % 2 === 0 ? 700 : 400) }));
    const pointer = join(killed, 'checkpoints', 'default', 'latest_checkpoint');
    reached.push(existsSync(pointer) ? readFileSync(pointer, 'utf8').trim() : 'none');
  }
  // The kills spread over the run (measured here: all 20 killed, the newest checkpoint at 11 different steps).
  expect(outcomes.filter((o) => o === 'SIGKILL').length).toBeGreaterThanOrEqual(10);
  expect(new Set(reached).size).toBeGreaterThanOrEqual(4);
  expect(await train(killed)).toBe(0);
  expect(metrics(killed)).toEqual(metrics(straight));
  const [model, optimizer] = finalWeights(killed);
  const [modelStraight, optimizerStraight] = finalWeights(straight);
  expect(model.equals(modelStraight)).toBe(true);
  expect(optimizer.equals(optimizerStraight)).toBe(true);
  // Nothing half-written is left: the folder holds the last step, the pointer and no temporaries.
  expect(readdirSync(join(killed, 'checkpoints', 'default')).filter((name) => !/^step-\d{9}$/.test(name))).toEqual(['latest_checkpoint']);
}, 600_000);

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// `hypertrack slurm` against a real Slurm: tools/slurm/local-cluster.sh starts munge, slurmctld and
// slurmd on this machine (CI installs them as root; elsewhere this fails saying what to install).
const root = resolve(__dirname, '../../..');
const launcher = join(root, 'apps/hypertrack/bin/hypertrack.cjs');
const clusterScript = join(root, 'tools/slurm/local-cluster.sh');
const slurmDir = mkdtempSync(join(tmpdir(), 'hypertrack-slurm-'));
const env = { ...process.env, HYPERTRACK_SLURM_DIR: slurmDir, SLURM_CONF: join(slurmDir, 'slurm.conf'), HYPERTRACK_FROM_SOURCES: '1' };
let dir: string;

function hypertrack(...args: string[]): { code: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [launcher, ...args], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

function ok(result: { code: number; stdout: string; stderr: string }): string {
  if (result.code !== 0) throw new Error(`exit ${result.code}:\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
  return result.stdout;
}

beforeAll(() => {
  const started = spawnSync('bash', [clusterScript, 'start'], { env, encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`the local Slurm cluster did not start: ${started.stderr.trim()}`);
  dir = mkdtempSync(join(tmpdir(), 'hypertrack-slurm-run-'));
  ok(hypertrack('simulate', '--events', '12', '--pileup', '3', '--seed', '4', '--format', 'arrow', '--out', 'events', '--no-progress'));
  ok(hypertrack('pretrain-voxdyn', '--in', 'events', '--events', '0-3', '--ncell', '1024', '--niter', '3', '--out', 'vd', '--no-progress', '--no-plots'));
}, 300_000);

afterAll(() => {
  spawnSync('bash', [clusterScript, 'stop'], { env });
  rmSync(slurmDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const infer = ['--vd-model', 'vd/voxdyn_node2node_hyper_ncell_1024.vdm', '--gnn', join(root, 'models/gnn-tune6-mu2'), '--in', 'events', '--events', '4-11', '--backend', 'wasm', '--no-progress'];

it('--dry-run prints the array and the merge scripts', () => {
  const out = ok(hypertrack('slurm', 'infer', ...infer, '--logdir', 'runs/dry', '--array', '4', '--mem', '2G', '--time', '0:10:00', '--dry-run'));
  expect(out).toContain('#SBATCH --array=0,1,2,3');
  expect(out).toContain('#SBATCH --mem=2G');
  expect(out).toContain('#SBATCH --time=0:10:00');
  expect(out).toMatch(/ infer --vd-model .* --logdir runs\/dry --shard "\$SLURM_ARRAY_TASK_ID\/4"\n/);
  expect(out).toMatch(/ merge runs\/dry --out runs\/dry\n/);
  expect(out).toContain('--dependency=afterok:<array job id>');
});

it('a 4-task array over 8 events, merged, gives the results of one process; a rerun submits only the missing shards', () => {
  ok(hypertrack('infer', ...infer, '--logdir', 'runs/single'));
  const out = ok(hypertrack('slurm', 'infer', ...infer, '--logdir', 'runs/array', '--array', '4', '--wait'));
  expect(out).toMatch(/^submitted array job \d+ \(shards 0\/4, 1\/4, 2\/4, 3\/4\) and merge job \d+/m);
  expect(out).toContain('results (8 events');
  const json = (run: string, file: string) => JSON.parse(readFileSync(join(dir, 'runs', run, file), 'utf8'));
  for (const file of ['score/tracking.json', 'score/efficiency.json', 'score/hit-mixing.json', 'roc/1-gnn.json', 'event-display.json']) expect(json('array', file)).toEqual(json('single', file));
  const physics = (run: string) => json(run, 'results.json').columns.filter((c: { kind: string }) => c.kind === 'physics');
  expect(physics('array')).toEqual(physics('single'));
  // A lost shard: the same command submits it alone, and the merge again.
  rmSync(join(dir, 'runs/array/shard-2-of-4'), { recursive: true });
  const again = ok(hypertrack('slurm', 'infer', ...infer, '--logdir', 'runs/array', '--array', '4', '--wait'));
  expect(again).toMatch(/^submitted array job \d+ \(shards 2\/4\) and merge job \d+/m);
  expect(physics('array')).toEqual(physics('single'));
}, 600_000);

it('Voxel-Dynamics pretraining as a 4-task array gives the single-process model file byte for byte', () => {
  const vd = ['--in', 'events', '--events', '0-11', '--centroids', 'vd/voxdyn_node2node_hyper_ncell_1024.vdm', '--no-progress', '--no-plots'];
  ok(hypertrack('pretrain-voxdyn', ...vd, '--out', 'vd-single'));
  const out = ok(hypertrack('slurm', 'pretrain-voxdyn', ...vd, '--out', 'vd-array', '--array', '4', '--wait'));
  expect(out).toMatch(/wrote vd-array\/voxdyn_node2node_hyper_ncell_1024\.vdm: ncell 1024, 12 events \(0-11\), .*merged from 4 shards/);
  const name = 'voxdyn_node2node_hyper_ncell_1024.vdm';
  expect(readFileSync(join(dir, 'vd-array', name)).equals(readFileSync(join(dir, 'vd-single', name)))).toBe(true);
}, 600_000);

it('a shard that fails is resubmitted --retries times, then reported by shard with its log', () => {
  ok(hypertrack('simulate', '--events', '4', '--pileup', '2', '--seed', '9', '--out', 'csv', '--no-progress'));
  ok(hypertrack('submission', '--truth', 'csv', '--out', 'sub.csv'));
  // Event 3 claims a hit its truth does not have: the shard that scores it fails, every time.
  const lines = readFileSync(join(dir, 'sub.csv'), 'utf8').trimEnd().split('\n');
  const last = lines.map((line) => line.startsWith('3,')).lastIndexOf(true);
  lines[last] = '3,99999999,1';
  writeFileSync(join(dir, 'bad.csv'), `${lines.join('\n')}\n`);
  const run = hypertrack('slurm', 'score', '--truth', 'csv', '--submission', 'bad.csv', '--logdir', 'runs/bad', '--no-progress', '--array', '2', '--wait', '--retries', '1');
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^shard\(s\) 1\/2 failed \(logs: runs\/bad\/slurm\/hypertrack-score-\d+_<shard>\.out\); resubmitting them \(retry 1 of 1\)$/m);
  expect(run.stdout).toMatch(/^submitted array job \d+ \(shards 1\/2\) and merge job \d+/m);
  expect(run.stderr).toMatch(/^hypertrack: error: shard\(s\) 1\/2 failed .*; run the same command again to submit only what is missing$/m);
  // The failing task's own log says why, in one line.
  const logs = readdirSync(join(dir, 'runs/bad/slurm')).filter((f) => /_1\.out$/.test(f));
  expect(logs.length).toBe(2);
  expect(readFileSync(join(dir, 'runs/bad/slurm', logs[0]), 'utf8')).toMatch(/^hypertrack: error: .*bad\.csv.*99999999/m);
}, 600_000);

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The README's commands, run as a newcomer would: every ```bash block after the first (the two
// install commands, which CI itself runs), in order, in one shell, in a fresh folder that holds
// the clone's tracked files and its node_modules but no data, runs or logs of its own. The CLI
// runs from its sources (the launcher's path in a fresh clone), so a stale build cannot answer.
const root = resolve(__dirname, '../../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((match) => match[1]);

it('the first block is the two commands of a fresh machine, the second of which CI runs', () => {
  const lines = blocks[0].trim().split('\n');
  expect(lines.map((line) => line.split('#')[0].trim())).toEqual(['npm ci --no-audit --no-fund && npm run demo', 'npm ci --no-audit --no-fund && npm test']);
  expect(readFileSync(join(root, '.ci/run'), 'utf8')).toContain('\nnpm ci --no-audit --no-fund && npm test\n');
});

it('runs every other block of the README as written, in order', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(3);
  const dir = mkdtempSync(join(tmpdir(), 'hypertrack-readme-'));
  try {
    const tracked = spawnSync('git', ['ls-tree', '--name-only', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const entry of [...tracked, 'node_modules']) {
      if (['data', 'runs', 'logs'].includes(entry) || !existsSync(join(root, entry))) continue;
      symlinkSync(join(root, entry), join(dir, entry));
    }
    const script = ['set -euo pipefail', ...blocks.slice(1)].join('\n');
    const run = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true', HYPERTRACK_FROM_SOURCES: '1' }, maxBuffer: 64 * 2 ** 20 });
    if (run.status !== 0) throw new Error(`the README's commands stopped (exit ${run.status}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    // What the commands say they make is there.
    expect(readdirSync(join(dir, 'data/tour')).filter((f) => f.startsWith('event000000000-')).sort()).toEqual(
      ['cells', 'hits', 'particles', 'truth'].map((part) => `event000000000-${part}.csv`),
    );
    for (const report of ['runs/tour-score/report.html', 'runs/tour-infer/report.html']) expect(existsSync(join(dir, report))).toBe(true);
    expect(existsSync(join(dir, 'runs/tour-train/checkpoints/default/step-000000006/model.safetensors'))).toBe(true);
    // The shipped GNN's results row, with its DMS.
    expect(run.stdout).toMatch(/VD\(TPR\)\s+VD\(FPR\)\s+GNN\(TPR\)[^\n]*DMS[^\n]*\n0\.\d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './program';
import { loadTune, TUNE5 } from '@hypertrack/pipeline';
import { traceProblems } from '@hypertrack/report';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

let dir: string;
let events: string;
let vdModel: string;
let smallConfig: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hypertrack-train-'));
  events = join(dir, 'events');
  expect((await cli('simulate', '--events', '6', '--pileup', '10', '--format', 'arrow', '--out', events, '--seed', '3', '--no-progress')).code).toBe(0);
  const models = join(dir, 'models');
  expect((await cli('pretrain-voxdyn', '--in', events, '--events', '0-2', '--ncell', '2048', '--niter', '3', '--out', models, '--no-plots', '--no-progress')).code).toBe(0);
  vdModel = join(models, 'voxdyn_node2node_hyper_ncell_2048.vdm');
  smallConfig = join(dir, 'small.json');
  writeFileSync(smallConfig, JSON.stringify({ model: { nstack: 2, hDim: 8, mDim: 8, zDim: 6, correlateHidden: [4] }, training: { learningRate: 0.003 } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Events 0-2 built the VD model; the GNN trains on others (3-4), as it must.
const base = () => ['train', '--in', events, '--events', '3-4', '--val-events', '5', '--vd-model', vdModel, '--config', smallConfig, '--rfactor-start', '0.2', '--no-progress'];
const losses = (logdir: string) =>
  readFileSync(join(logdir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      // Wall-clock fields differ between runs, and tensor counts by what earlier runs in this
      // process left behind; everything else must agree exactly.
      const { step_ms: _step, vd_ms: _vd, tensors: _t, tensor_mb: _mb, ...rest } = JSON.parse(line) as {
        iteration: number;
        loss: number;
        val_edge_auc: number;
        trn_edge_auc: number;
        step_ms: number;
        vd_ms: number;
        tensors: number;
        tensor_mb: number;
      };
      return rest;
    });

describe('hypertrack train', () => {
  it('trains, logs metrics and checkpoints, and resumes exactly after a stop', async () => {
    const straight = join(dir, 'straight');
    const run = await cli(...base(), '--logdir', straight, '--iterations', '4', '--validate', '--print-every', '2');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/tensor backend: wasm/);
    expect(run.stdout).toMatch(/^step 2, loss \d\.\d{4}, trn AUC [\d.-]+, val AUC [\d.-]+, without self-loops [\d.-]+, lr 3\.00e-3/m);
    expect(run.stdout).toContain('iterations reached: 4 steps');
    const reference = losses(straight);
    // No tensor outlives its step (a leak shows as a count growing with the iteration).
    const counts = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).tensors);
    expect(new Set(counts).size).toBe(1);
    expect(reference.map((r) => r.iteration)).toEqual([0, 1, 2, 3]);
    expect(reference.every((r) => Number.isFinite(r.loss) && r.val_edge_auc <= 1)).toBe(true);
    expect(readdirSync(join(straight, 'checkpoints', 'default'))).toEqual(['latest_checkpoint', 'step-000000004']);
    // The TensorBoard scalars of every step, as the independent reader sees them.
    const [board] = readdirSync(join(straight, 'tensorboard'));
    const boardEvents = execFileSync('/usr/bin/python3', [join(__dirname, '..', '..', '..', 'packages', 'report', 'src', 'tensorboard', 'read_events.py'), join(straight, 'tensorboard', board)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { step: number; scalars?: Array<[string, number]> });
    const trainAuc = boardEvents.filter((e) => e.scalars !== undefined).map((e) => [e.step, e.scalars?.find(([tag]) => tag === 'auc/train')?.[1]]);
    expect(trainAuc).toEqual(reference.map((r) => [r.iteration, Math.fround(r.trn_edge_auc as number)]));
    expect(readdirSync(join(straight, 'checkpoints', 'default', 'step-000000004')).sort()).toEqual(['model.safetensors', 'optimizer.safetensors', 'trainer.json']);
    const config = JSON.parse(readFileSync(join(straight, 'config.json'), 'utf8'));
    expect(config.model.hDim).toBe(8);
    expect(config.data.ncell).toBe(2048);

    const resumed = join(dir, 'resumed');
    expect((await cli(...base(), '--logdir', resumed, '--iterations', '2', '--validate')).code).toBe(0);
    // Without --epoch a run folder with checkpoints resumes from the newest (latest_checkpoint).
    expect(readFileSync(join(resumed, 'checkpoints', 'default', 'latest_checkpoint'), 'utf8')).toBe('step-000000002\n');
    const again = await cli(...base(), '--logdir', resumed, '--iterations', '4', '--validate');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('resumed from');
    expect(losses(resumed)).toEqual(reference);

    // The trained model through the whole chain: graph, GNN, cut clustering, results row.
    const inferDir = join(dir, 'infer');
    const infer = await cli('infer', '--vd-model', vdModel, '--gnn', join(straight, 'checkpoints', 'default'), '--in', events, '--events', '4-5', '--rfactor', '0.2', '--logdir', inferDir, '--no-progress');
    expect(infer.code).toBe(0);
    expect(infer.stdout).toMatch(/results \(2 events; times without the first one \(warm-up\); VD hyper ncell 2048, cluster cut, edge threshold 0\.55, rfactor 0\.2; times in ms\)/);
    const table = infer.stdout.trim().split('\n').slice(-2);
    expect(table[0].split(/ {2,}/)).toEqual(['VD(TPR)', 'VD(FPR)', 'GNN(TPR)', 'GNN(FPR)', 'GNN(AUC)', 'AUC(noself)', 'DMS', 'EFF', 'PUR', 'time_VD', 'time_GNN', 'time_CC', 'time_cluster']);
    const results = JSON.parse(readFileSync(join(inferDir, 'results.json'), 'utf8'));
    const column = (key: string) => results.columns.find((c: { key: string }) => c.key === key).mean;
    expect(column('vdTpr')).toBeGreaterThan(0.3);
    expect(column('gnnAuc')).toBeGreaterThan(0);
    expect(column('gnnAucNoSelf')).toBeGreaterThan(0);
    expect(column('dms')).toBeGreaterThanOrEqual(0);
    expect(readdirSync(inferDir).sort()).toEqual(['event-display.json', 'infer', 'results.json', 'results.log', 'roc', 'run.json', 'score']);

    // A tune file's cluster section sets the cut; a flag goes over it.
    const tune = join(dir, 'tune-cut.json');
    writeFileSync(tune, JSON.stringify({ cluster: { edgeThreshold: 0.8 } }));
    const common = ['infer', '--vd-model', vdModel, '--gnn', join(straight, 'checkpoints', 'default'), '--in', events, '--events', '4-5', '--rfactor', '0.2', '--no-progress', '--config', tune];
    expect((await cli(...common)).stdout).toContain('edge threshold 0.8,');
    expect((await cli(...common, '--edge-threshold', '0.6')).stdout).toContain('edge threshold 0.6,');
    expect((await cli(...common, '--set', 'cluster.edgeThreshold=0.7')).stdout).toContain('edge threshold 0.7,');

    // A resume with other settings is refused, naming them, unless asked for.
    const changed = await cli(...base(), '--logdir', resumed, '--iterations', '5', '--epoch', '-1', '--learning-rate', '0.001', '--seed', '7');
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`--allow-changes: resuming ${resumed} with other settings than it ran with (training.learningRate: 0.003 -> 0.001; seed: 12345 -> 7); pass --allow-changes to go on with them`);
    const allowed = await cli(...base(), '--logdir', resumed, '--iterations', '5', '--epoch', '-1', '--learning-rate', '0.001', '--allow-changes');
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('note: resuming with changed settings (training.learningRate: 0.003 -> 0.001); the old config is config-before-step-4.json');
    expect(JSON.parse(readFileSync(join(resumed, 'config-before-step-4.json'), 'utf8')).training.learningRate).toBe(0.003);
    expect(JSON.parse(readFileSync(join(resumed, 'config.json'), 'utf8')).training.learningRate).toBe(0.001);

    const fresh = await cli(...base(), '--logdir', resumed, '--iterations', '4', '--epoch', '0');
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toContain('already holds checkpoints: resume with --epoch -1');
  });

  it('switches the transformer on at the AUC threshold, trains it end to end, resumes exactly in that phase, and clusters with it', async () => {
    const transformerBase = () => [...base(), '--cluster', 'transformer', '--auc-threshold', '0', '--validate'];
    const straight = join(dir, 'transformer');
    const run = await cli(...transformerBase(), '--logdir', straight, '--iterations', '4', '--print-every', '1');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^step 1: training edge AUC [\d.]+ > 0: the transformer joins \(GNN \+ transformer end to end, fresh optimizer and schedule\)$/m);
    expect(run.stdout).toMatch(/^step 3, loss [\d.]+, trn AUC [\d.]+, val AUC [\d.]+, without self-loops [\d.]+, cluster BCE [\d.]+, trn DMS [\d.]+, lr /m);
    const lines = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.transformer_active)).toEqual([0, 1, 1, 1]);
    expect(lines[0].transformer_joined_auc).toBe(lines[0].trn_edge_auc);
    expect(lines[0].cluster_bce_loss).toBeUndefined();
    for (const l of lines.slice(1)) {
      expect(l.cluster_bce_loss).toBeGreaterThan(0);
      expect(l.trials).toBeGreaterThan(0);
      expect(l.val_cluster_bce_loss).toBeGreaterThanOrEqual(0);
    }
    const step = join(straight, 'checkpoints', 'default', 'step-000000004');
    expect(readdirSync(step).sort()).toEqual(['model.safetensors', 'optimizer.safetensors', 'trainer.json', 'transformer.safetensors']);
    const meta = JSON.parse(readFileSync(join(step, 'trainer.json'), 'utf8'));
    expect(meta.latentLoss).toMatchObject({ since: 1, spec: { name: 'transformer', module: '@hypertrack/pipeline', factory: 'transformerLatentLoss' } });
    expect(meta.latentLoss.spec.options.model).toEqual({ hDim: 64, nstackDec: 4, heads: 4, inDim: 9 });

    // Stopped after the switch and resumed: the same numbers as the straight run.
    const resumed = join(dir, 'transformer-resumed');
    expect((await cli(...transformerBase(), '--logdir', resumed, '--iterations', '2')).code).toBe(0);
    const again = await cli(...transformerBase(), '--logdir', resumed, '--iterations', '4', '--epoch', '-1');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/the transformer trains along since step 1 \(training edge AUC [\d.]+\)/);
    expect(losses(resumed)).toEqual(losses(straight));

    const withoutIt = await cli(...base(), '--logdir', resumed, '--iterations', '5', '--epoch', '-1');
    expect(withoutIt.code).toBe(1);
    expect(withoutIt.stderr).toMatch(/--cluster: .*step-000000004 trains the transformer along with the GNN \(since step 1\); go on with --cluster transformer/);

    // Inference with the checkpoint's transformer: the results row with time_cluster filled.
    const infer = await cli('infer', '--vd-model', vdModel, '--gnn', join(straight, 'checkpoints', 'default'), '--in', events, '--events', '4-5', '--rfactor', '0.2', '--cluster', 'transformer', '--no-progress');
    expect(infer.code).toBe(0);
    expect(infer.stderr).toMatch(/transformer: .*step-000000004 \(step 4, 133505 parameters\)/);
    expect(infer.stdout).toContain('cluster transformer, edge threshold 0.55');
    const row = infer.stdout.trim().split('\n').slice(-1)[0].split(/ {2,}/);
    expect(Number.parseFloat(row[12])).toBeGreaterThan(0);
    const edgeOnly = join(dir, 'edge-only');
    expect((await cli(...base(), '--logdir', edgeOnly, '--iterations', '1')).code).toBe(0);
    const none = await cli('infer', '--vd-model', vdModel, '--gnn', join(edgeOnly, 'checkpoints', 'default'), '--in', events, '--events', '4-5', '--rfactor', '0.2', '--cluster', 'transformer', '--no-progress');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('step 1 holds no transformer: it was trained with --cluster none, or before the edge AUC reached --auc-threshold');
  });

  it('stops on SIGTERM after the current step with a checkpoint and exit code 143, and resumes from it', async () => {
    const logdir = join(dir, 'sigterm');
    const root = join(__dirname, '..', '..', '..');
    // From the sources, as `node main.cjs train ...` runs (with -e, argv[1] is the first argument: 'hypertrack' fills it).
    const main = `require(${JSON.stringify(join(__dirname, 'main.ts'))})`;
    const child = spawn(process.execPath, ['--conditions=@hypertrack/source', '--require', 'tsx/cjs', '-e', main, '--', 'hypertrack', ...base(), '--logdir', logdir, '--iterations', '100000', '--print-every', '1'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const first = stdout === '';
        stdout += chunk.toString();
        if (first && /^step \d+, /m.test(stdout)) child.kill('SIGTERM');
      });
      child.on('exit', (exitCode) => resolve(exitCode));
    });
    expect(stderr).toContain('SIGTERM: stopping after this step and writing a checkpoint');
    expect(code).toBe(143);
    const stopped = stdout.match(/stopped by signal: (\d+) steps; checkpoint (\S+)/);
    expect(stopped).not.toBeNull();
    const steps = Number(stopped?.[1]);
    expect(readdirSync(join(logdir, 'checkpoints', 'default'))).toEqual(['latest_checkpoint', `step-${String(steps).padStart(9, '0')}`]);
    const resumed = await cli(...base(), '--logdir', logdir, '--iterations', String(steps + 1), '--epoch', '-1');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`at step ${steps}`);

    // A second signal exits at once, and what is on disk still resumes.
    const twice = spawn(process.execPath, ['--conditions=@hypertrack/source', '--require', 'tsx/cjs', '-e', main, '--', 'hypertrack', ...base(), '--logdir', logdir, '--iterations', '100000', '--print-every', '1'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let twiceErr = '';
    let signalled = false;
    twice.stderr.on('data', (chunk: Buffer) => {
      twiceErr += chunk.toString();
      if (twiceErr.includes('SIGINT: stopping after this step')) twice.kill('SIGINT');
    });
    const twiceCode = await new Promise<number | null>((resolve) => {
      twice.stdout.on('data', (chunk: Buffer) => {
        if (!signalled && /^step \d+, /m.test(chunk.toString())) {
          signalled = true;
          twice.kill('SIGINT');
        }
      });
      twice.on('exit', (exitCode) => resolve(exitCode));
    });
    expect(twiceCode).toBe(130);
    expect(twiceErr).toContain('SIGINT again: exiting now; the same command resumes from the last checkpoint');
    const after = await cli(...base(), '--logdir', logdir, '--iterations', String(steps + 2));
    expect(after.code).toBe(0);
  }, 120_000);

  it('draws a seed with --randomized-seed, prints it and stores it, and that seed reproduces the run', async () => {
    const drawn = join(dir, 'randomized');
    const run = await cli(...base(), '--logdir', drawn, '--iterations', '2', '--randomized-seed');
    expect(run.code).toBe(0);
    const seed = Number(run.stdout.match(/^seed (\d+) \(randomized; reproduce the run with --seed \1\)$/m)?.[1]);
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(seed).toBeLessThanOrEqual(10_000);
    expect(JSON.parse(readFileSync(join(drawn, 'config.json'), 'utf8')).seed).toBe(seed);
    const again = join(dir, 'randomized-again');
    expect((await cli(...base(), '--logdir', again, '--iterations', '2', '--seed', String(seed))).code).toBe(0);
    expect(losses(again)).toEqual(losses(drawn));
    const both = await cli(...base(), '--logdir', join(dir, 'both'), '--randomized-seed', '--seed', '3');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--randomized-seed: draws the seed: leave out --seed');
  });

  it('validates on every n-th step, and shows a time-limited run against its budget', async () => {
    const logdir = join(dir, 'every');
    const withProgress = base().filter((arg) => arg !== '--no-progress');
    const run = await cli(...withProgress, '--logdir', logdir, '--iterations', '4', '--validate', '--validate-every', '2', '--time-limit', '600');
    expect(run.code).toBe(0);
    expect(losses(logdir).map((line) => 'val_edge_auc' in line)).toEqual([true, false, true, false]);
    expect(run.stderr).toMatch(/^train: 1\/4 steps, [\d.]+ steps\/s, elapsed [\d.]+s of 10m00s, ETA /m);
  });

  it('trains on cylindrical coordinates as well with --hit-features, and infers with what the checkpoint says', async () => {
    const logdir = join(dir, 'features');
    const run = await cli(...base(), '--logdir', logdir, '--iterations', '2', '--hit-features', 'xyz-cylindrical');
    expect(run.code).toBe(0);
    const config = JSON.parse(readFileSync(join(logdir, 'config.json'), 'utf8'));
    expect([config.model.hitFeatures, config.model.coordDim]).toEqual(['xyz-cylindrical', 7]);
    const meta = JSON.parse(readFileSync(join(logdir, 'checkpoints', 'default', 'step-000000002', 'trainer.json'), 'utf8'));
    expect(meta.gnn.hitFeatures).toBe('xyz-cylindrical');
    const resume = await cli(...base(), '--logdir', logdir, '--iterations', '3', '--epoch', '-1');
    expect(resume.code).toBe(1);
    expect(resume.stderr).toContain('--hit-features: ');
    expect(resume.stderr).toContain('was trained on hit features xyz-cylindrical, this run asks for xyz');
    const inferDir = join(dir, 'features-infer');
    const infer = await cli('infer', '--vd-model', vdModel, '--gnn', join(logdir, 'checkpoints', 'default'), '--in', events, '--events', '4-5', '--rfactor', '0.2', '--logdir', inferDir, '--no-progress');
    expect(infer.code).toBe(0);
    const results = JSON.parse(readFileSync(join(inferDir, 'results.json'), 'utf8'));
    expect(results.columns.find((c: { key: string }) => c.key === 'gnnAuc').mean).toBeGreaterThan(0);
    const bad = await cli(...base(), '--logdir', join(dir, 'features-bad'), '--hit-features', 'rz');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--hit-features: expected one of xyz, xyz-cylindrical, got "rz"');
  });

  it('refuses what it cannot do with one clear line', async () => {
    const logdir = join(dir, 'bad');
    const cut = await cli(...base(), '--logdir', logdir, '--cluster', 'cut');
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain("--cluster: 'cut' does not train: choose none (the edge predictor alone) or transformer");
    const threshold = await cli(...base(), '--logdir', logdir, '--auc-threshold', '0.9');
    expect(threshold.code).toBe(1);
    expect(threshold.stderr).toContain('--auc-threshold: needs --cluster transformer');
    const mismatch = await cli(...base(), '--logdir', logdir, '--ncell', '512');
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('is node2node hyper, ncell 2048, but the run asks for node2node hyper, ncell 512');
    const every = await cli(...base(), '--logdir', logdir, '--validate-every', '5');
    expect(every.code).toBe(1);
    expect(every.stderr).toContain('--validate-every: needs --validate');
    const leak = await cli(...base().map((a) => (a === '3-4' ? '1-4' : a)), '--logdir', logdir);
    expect(leak.code).toBe(1);
    expect(leak.stderr).toContain(`--events: 2 of these events (1-2) also trained the VD model ${vdModel} (its events: 0-2); on them its graph holds every true pair`);
    const leakVal = await cli(...base().map((a) => (a === '5' ? '0' : a)), '--logdir', logdir);
    expect(leakVal.code).toBe(1);
    expect(leakVal.stderr).toContain('--val-events: 1 of these events (0) also trained the VD model');
    // One trainer per run folder: a live owner's lock is refused, naming it.
    const owned = join(dir, 'owned');
    mkdirSync(owned);
    writeFileSync(join(owned, '.hypertrack.lock'), JSON.stringify({ pid: process.ppid, host: hostname(), since: '2026-12-03T20:00:00.000Z', purpose: 'trainer' }));
    const second = await cli(...base(), '--logdir', owned, '--iterations', '1');
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`--logdir: ${owned} is in use by another trainer (pid ${process.ppid} on ${hostname()}`);
    expect(readdirSync(owned)).toEqual(['.hypertrack.lock']);
    const setTypo = await cli(...base(), '--logdir', logdir, '--set', 'training.learningRat=1');
    expect(setTypo.code).toBe(1);
    expect(setTypo.stderr).toContain("--set: column 'training.learningRat': unknown key");
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ training: { learningRat: 1 } }));
    const badKey = await cli(...base().filter((a) => a !== smallConfig && a !== '--config'), '--config', typo, '--logdir', logdir);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain("column 'training.learningRat': unknown key");
  });

  it("trains on the VD model's own events only when told to, and inference says when it runs on them", async () => {
    const logdir = join(dir, 'overlap');
    const run = await cli(...base().map((a) => (a === '3-4' ? '2-3' : a)), '--logdir', logdir, '--iterations', '1', '--allow-vd-overlap');
    expect(run.code).toBe(0);
    const inferDir = join(dir, 'overlap-infer');
    const infer = await cli('infer', '--vd-model', vdModel, '--gnn', join(logdir, 'checkpoints', 'default'), '--in', events, '--events', '2-3', '--rfactor', '0.2', '--logdir', inferDir, '--no-progress');
    expect(infer.code).toBe(0);
    expect(infer.stderr).toContain(`note: 1 of these events (2) also trained the VD model ${vdModel}`);
    const pre = await cli('infer', '--pre-only', '--vd-model', vdModel, '--in', events, '--events', '4-5', '--no-progress');
    expect(pre.code).toBe(0);
    expect(pre.stderr).not.toContain('also trained the VD model');
  });

  it('shows every flag in --help, grouped as the config is, with the tune-5 defaults', async () => {
    const help = await cli('train', '--help');
    expect(help.code).toBe(0);
    const headings = help.stdout.split('\n').filter((line) => /^[A-Z][^:]*:$/.test(line));
    expect(headings).toEqual(['Configuration:', 'Events and graph:', 'Run folder and checkpoints:', 'Length, seeds and validation:', 'Optimisation (tune section training):', 'Model:', 'Transformer:', 'Hardware and output:', 'Options:']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('--learning-rate <lr> learning rate (tune training.learningRate; tune-5: 0.0005)');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('--save-period <seconds> seconds between checkpoints (one is always written at the end) (default: 1200)');
    const both = await cli(...base(), '--logdir', join(dir, 'single'), '--single-worker', '--workers', '2');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('--single-worker: contradicts --workers; give one of them');
  });

  it('runs a progressive recipe stage after stage from one config, and resumes inside a stage', async () => {
    const recipe = join(dir, 'progressive.yaml');
    writeFileSync(
      recipe,
      [
        'tune: small.json',
        'stages:',
        '  - name: low',
        '    set: { data.rfactorStart: 0.1, data.rfactorEnd: 0.1 }',
        '    steps: 3',
        '  - name: high',
        '    set: { data.rfactorStart: 0.25, data.rfactorEnd: 0.25, training.learningRate: 0.001 }',
        '    steps: 2',
        '',
      ].join('\n'),
    );
    const flags = (logdir: string) => ['train', '--in', events, '--events', '3-4', '--vd-model', vdModel, '--config', recipe, '--logdir', logdir, '--save-period', '0', '--no-progress'];
    const logdir = join(dir, 'recipe');
    const run = await cli(...flags(logdir));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`stage 1/2 'low' starts in ${join(logdir, '1-low')}`);
    expect(run.stdout).toContain(`stage 2/2 'high' starts from stage 'low' at step 3 in ${join(logdir, '2-high')}`);
    expect(run.stdout).toContain('recipe done: low to step 3 (iterations reached), high to step 5 (iterations reached)');
    const high = losses(join(logdir, '2-high'));
    // The steps go on from stage 1's, at stage 2's learning rate (under the warm-cos schedule).
    expect(high.map((l) => l.iteration)).toEqual([3, 4]);
    for (const line of high) expect((line as unknown as { lr: number }).lr).toBeCloseTo(0.001, 6);
    expect(JSON.parse(readFileSync(join(logdir, '2-high', 'config.json'), 'utf8')).data.rfactorStart).toBe(0.25);
    // Stopped inside stage 2 (its last step and completion undone): the same command goes on from step 4.
    const progress = JSON.parse(readFileSync(join(logdir, 'stages.json'), 'utf8'));
    expect(progress.started).toEqual({ low: 0, high: 3 });
    writeFileSync(join(logdir, 'stages.json'), JSON.stringify({ ...progress, completed: progress.completed.slice(0, 1) }));
    rmSync(join(logdir, '2-high', 'checkpoints', 'default', 'step-000000005'), { recursive: true });
    rmSync(join(logdir, '2-high', 'checkpoints', 'default', 'latest_checkpoint'));
    const again = await cli(...flags(logdir));
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("stage 1/2 'low'");
    expect(again.stdout).toContain(`stage 2/2 'high' resumes in ${join(logdir, '2-high')}`);
    expect(losses(join(logdir, '2-high'))).toEqual(high);
    const flagged = await cli(...flags(join(dir, 'recipe-bad')), '--iterations', '4');
    expect(flagged.code).toBe(1);
    expect(flagged.stderr).toContain(`--iterations: the recipe ${recipe} sets where each stage starts and ends`);
  });

  it('profiles every stage of every iteration as a Chrome trace that sums to the iteration time', async () => {
    const logdir = join(dir, 'profile');
    const run = await cli(...base(), '--logdir', logdir, '--iterations', '3', '--validate', '--profile');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^profile over 3 iterations \([\d.]+ ms each\):$/m);
    expect(run.stdout).toMatch(/^ {2}backward +[\d.]+ ms\/iteration +[\d.]+%$/m);
    const trace = JSON.parse(readFileSync(join(logdir, 'profile', 'trace.json'), 'utf8')) as { traceEvents: Array<{ name: string; cat?: string; ph: string; ts: number; dur?: number; tid: number }> };
    expect(traceProblems(trace)).toEqual([]);
    const spans = trace.traceEvents.filter((e) => e.ph === 'X');
    const iterations = spans.filter((e) => e.cat === 'iteration');
    expect(iterations.map((e) => e.name)).toEqual(['iteration 0', 'iteration 1', 'iteration 2']);
    const within = (outer: { ts: number; dur?: number }) => (e: { ts: number; dur?: number }) => e.ts >= outer.ts && e.ts + (e.dur ?? 0) <= outer.ts + (outer.dur ?? 0) + 1;
    const sum = (events: Array<{ dur?: number }>) => events.reduce((s, e) => s + (e.dur ?? 0), 0);
    for (const iteration of iterations) {
      const stages = spans.filter((e) => e.cat === 'stage' && within(iteration)(e));
      expect(stages.map((e) => e.name)).toEqual(['data', 'graph', 'train step', 'validation']);
      expect(Math.abs(sum(stages) - (iteration.dur ?? 0))).toBeLessThanOrEqual(0.05 * (iteration.dur ?? 0));
      const step = stages[2];
      const parts = spans.filter((e) => e.cat === 'train step' && within(step)(e));
      expect(parts.map((e) => e.name)).toEqual(['gradients', 'reduce', 'optimizer']);
      expect(Math.abs(sum(parts) - (step.dur ?? 0))).toBeLessThanOrEqual(0.05 * (step.dur ?? 0) + 1);
      // The event's own stages on its lane, within the gradients.
      const event = spans.filter((e) => e.cat === 'event' && e.tid === 1 && within(parts[0])(e));
      expect(event.map((e) => e.name)).toEqual(['prepare', 'forward', 'edge losses', 'backward', 'auc']);
      expect(sum(event)).toBeLessThanOrEqual((parts[0].dur ?? 0) + 1);
    }
    expect(trace.traceEvents.filter((e) => e.ph === 'C')).toHaveLength(3);
  });

  it('starts from another run with --checkpoint (weights) or --resume (everything), and makes a dated run folder when none is given', async () => {
    const source = join(dir, 'source');
    expect((await cli(...base(), '--logdir', source, '--iterations', '2')).code).toBe(0);
    const step2 = join(source, 'checkpoints', 'default');
    const weights = await cli(...base(), '--logdir', join(dir, 'from-weights'), '--iterations', '1', '--checkpoint', step2);
    expect(weights.code).toBe(0);
    expect(weights.stderr).toContain(`resumed from ${join(step2, 'step-000000002')} at step 0 (weights only: fresh optimizer and schedule)`);
    // --resume in a new folder goes on exactly as the source run itself would.
    const moved = join(dir, 'moved');
    expect((await cli(...base(), '--logdir', moved, '--iterations', '4', '--resume', step2)).code).toBe(0);
    expect((await cli(...base(), '--logdir', source, '--iterations', '4')).code).toBe(0);
    expect(losses(moved)).toEqual(losses(source).slice(2));
    const two = await cli(...base(), '--logdir', join(dir, 'two'), '--resume', step2, '--checkpoint', step2);
    expect(two.code).toBe(1);
    expect(two.stderr).toContain('--resume: give one starting point: --checkpoint is given too');

    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const debug = await cli(...base().filter((a) => a !== '--val-events' && a !== '5'), '--debug', '--save-every', '2');
      expect(debug.code).toBe(0);
      const folder = debug.stdout.match(/^run folder: (logs\/\d{4}_\d{4}_\d{4}_\d{2}_debug_small) \(give --logdir \1 to resume it\)$/m)?.[1] as string;
      expect(folder).toBeDefined();
      expect(debug.stdout).toContain('iterations reached: 3 steps');
      expect(debug.stdout.match(/^step \d, /gm)).toHaveLength(3);
      expect(readdirSync(join(dir, folder)).sort()).toEqual(['checkpoints', 'config.json', 'metrics.jsonl']);
      expect(readdirSync(join(dir, folder, 'checkpoints', 'default'))).toEqual(['latest_checkpoint', 'step-000000002', 'step-000000003']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('ships configs/tune-5.json equal to the built-in tune-5', () => {
    const file = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'configs', 'tune-5.json'), 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(TUNE5)));
  });

  it('ships configs/tune-6.json as the configuration the shipped gnn-tune6-mu2 was trained with', async () => {
    const root = join(__dirname, '..', '..', '..');
    const tune6 = await loadTune(join(root, 'configs', 'tune-6.json'));
    const shipped = JSON.parse(readFileSync(join(root, 'models', 'gnn-tune6-mu2', 'trainer.json'), 'utf8'));
    expect(tune6.param).toBe('tune-6');
    expect(JSON.parse(JSON.stringify(tune6.model))).toEqual(shipped.gnn);
    expect(JSON.parse(JSON.stringify(tune6.training))).toEqual(shipped.training);
    expect([tune6.model.pairFeatures, tune6.model.messageGeometry, tune6.training.learningRate]).toEqual(['geometry', true, 0.002]);
  });
});

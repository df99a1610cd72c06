import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './program';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hypertrack-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('hypertrack CLI', () => {
  it('lists its commands in --help and documents every simulate flag', async () => {
    const top = await cli('--help');
    expect(top.code).toBe(0);
    for (const command of ['simulate', 'convert', 'inspect', 'submission', 'score', 'report', 'export-phoenix', 'pretrain-voxdyn', 'train', 'infer', 'merge']) expect(top.stdout).toContain(command);
    const simulate = await cli('simulate', '--help');
    for (const flag of ['--events', '--pileup', '--seed', '--out', '--particles', '--format', '--noise-fraction']) expect(simulate.stdout).toContain(flag);
  });

  it('simulates TrackML CSV files with the exact headers, byte-identical for the same seed', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    const c = join(dir, 'c');
    for (const [out, seed] of [
      [a, '5'],
      [b, '5'],
      [c, '6'],
    ]) {
      const run = await cli('simulate', '--events', '2', '--pileup', '3', '--seed', seed, '--out', out, '--no-progress');
      expect(run).toMatchObject({ code: 0, stderr: '' });
    }
    const names = readdirSync(a).filter((name) => !name.endsWith('-cells.csv')).sort(); // cells: header-only, checked in io-arrow
    expect(names).toEqual([
      'event000000000-hits.csv',
      'event000000000-particles.csv',
      'event000000000-truth.csv',
      'event000000001-hits.csv',
      'event000000001-particles.csv',
      'event000000001-truth.csv',
    ]);
    const firstLine = (name: string) => readFileSync(join(a, name), 'utf8').split('\n')[0];
    expect(firstLine('event000000000-hits.csv')).toBe('hit_id,x,y,z,volume_id,layer_id,module_id');
    expect(firstLine('event000000000-particles.csv')).toBe('particle_id,vx,vy,vz,px,py,pz,q,nhits');
    expect(firstLine('event000000000-truth.csv')).toBe('hit_id,particle_id,tx,ty,tz,tpx,tpy,tpz,weight');
    for (const name of names) expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name)))).toBe(true);
    expect(readFileSync(join(c, names[0])).equals(readFileSync(join(a, names[0])))).toBe(false);
  });

  it('converts CSV to Arrow and inspects both with the same counts', async () => {
    const csv = join(dir, 'csv');
    const arrow = join(dir, 'arrow');
    expect((await cli('simulate', '--events', '3', '--pileup', '4', '--out', csv, '--no-progress')).code).toBe(0);
    const convert = await cli('convert', '--in', csv, '--out', arrow, '--events', '0-1', '--no-progress');
    expect(convert.code).toBe(0);
    expect(convert.stdout).toMatch(/^converted 2 event\(s\), [\d.]+ MB of CSV/);
    const fromArrow = await cli('inspect', arrow, '--no-progress');
    const fromCsv = await cli('inspect', csv, '--events', '0-1', '--no-progress');
    expect(fromArrow.code).toBe(0);
    expect(fromArrow.stdout).toContain('(Arrow dataset)');
    expect(fromArrow.stdout).toContain('2 event(s)');
    const body = (s: string) => s.split('\n').slice(1).join('\n');
    expect(body(fromArrow.stdout)).toBe(body(fromCsv.stdout));
    expect(fromArrow.stdout).toMatch(/noise fraction {2}0\.1\d{3}/);
    expect(fromArrow.stdout).toContain('volume  8 layer  2');
  });

  it('records the simulator version and configuration in an Arrow store, and inspect prints them', async () => {
    const arrow = join(dir, 'arrow');
    expect((await cli('simulate', '--events', '2', '--pileup', '4', '--seed', '3', '--format', 'arrow', '--out', arrow, '--no-progress')).code).toBe(0);
    const run = await cli('inspect', arrow, '--no-progress');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  made by         hypertrack-detsim version 2\n');
    for (const line of ['seed = 3', 'minBias.pileup = 4', 'minBias.beamSigmaZ = 5.7', 'transport.minPt = 0.15', 'transport.loopFraction = 0.5', 'noiseFraction = 0.15', 'geometry.name = "trackml"']) {
      expect(run.stdout).toContain(`    ${line}\n`);
    }
    expect(run.stdout).toMatch(/ {4}geometry\.layers = \[\d+ entries\]\n/);

    const particles = join(dir, 'particles.csv');
    writeFileSync(particles, 'particle_id,vx,vy,vz,px,py,pz,q\n4503668346847232,0,0,0,1.0,0.5,0.2,1\n');
    const driven = join(dir, 'driven');
    expect((await cli('simulate', '--particles', particles, '--format', 'arrow', '--layout', 'per-event', '--out', driven, '--no-progress')).code).toBe(0);
    const inspected = await cli('inspect', driven, '--no-progress');
    expect(inspected.stdout).toContain(`    particlesFile = ${JSON.stringify(particles)}\n`);
    expect(inspected.stdout).toContain('    particleTableRows = 1\n');
    expect(inspected.stdout).not.toContain('minBias');
  });

  it('simulates a given particles table and counts its particles', async () => {
    const particles = join(dir, 'particles.csv');
    writeFileSync(
      particles,
      'particle_id,vx,vy,vz,px,py,pz,q\n4503668346847232,0,0,0,1.0,0.5,0.2,1\n4503737066323968,0,0,0,-0.8,0.9,-0.4,-1\n',
    );
    const out = join(dir, 'out');
    expect((await cli('simulate', '--particles', particles, '--noise-fraction', '0', '--out', out, '--no-progress')).code).toBe(0);
    const table = readFileSync(join(out, 'event000000000-particles.csv'), 'utf8').trim().split('\n');
    expect(table.length).toBe(3);
    expect(table[1].startsWith('4503668346847232,')).toBe(true);
    // Both stiff central tracks cross all ten barrel layers (more with overlaps), minus inefficiency.
    for (const row of table.slice(1)) expect(Number(row.split(',')[8])).toBeGreaterThanOrEqual(8);
  });

  it('scores the truth as 1 and a perturbed submission lower, and writes the run files', async () => {
    const csv = join(dir, 'csv');
    expect((await cli('simulate', '--events', '2', '--pileup', '10', '--out', csv, '--no-progress')).code).toBe(0);
    // Its folder does not exist yet: writing creates it.
    const truthSub = join(dir, 'subs', 'deep', 'truth.csv');
    expect((await cli('submission', '--truth', csv, '--out', truthSub, '--no-progress')).code).toBe(0);
    expect(readFileSync(truthSub, 'utf8').split('\n')[0]).toBe('event_id,hit_id,track_id');
    const perfect = await cli('score', '--truth', csv, '--submission', truthSub, '--no-progress');
    expect(perfect.code).toBe(0);
    const rows = perfect.stdout.trim().split('\n');
    expect(rows[0].split(/ +/)).toEqual(['event', 'hits', 'tracks', 'TrackML', 'DMS', 'eff', 'pur']);
    for (const row of rows.slice(1, 3)) expect(row.split(/ +/).slice(3)).toEqual(['1.0000', '1.0000', '1.0000', '1.0000']);
    // The same tracks under negative ids (TrackML allows any integer): still a perfect score, and
    // DMS, efficiency and purity agree with it (they counted negative ids as unassigned before).
    const negated = join(dir, 'subs', 'negated.csv');
    const lines = readFileSync(truthSub, 'utf8').trim().split('\n');
    writeFileSync(negated, `${[lines[0], ...lines.slice(1).map((line) => line.replace(/,(\d+)$/, (_, id: string) => (id === '0' ? ',0' : `,-${id}`)))].join('\n')}\n`);
    const negative = await cli('score', '--truth', csv, '--submission', negated, '--no-progress');
    expect(negative.code).toBe(0);
    const negativeRows = negative.stdout.trim().split('\n');
    for (const [k, row] of negativeRows.slice(1, 3).entries()) expect(row.split(/ +/)).toEqual(rows[k + 1].split(/ +/));

    const merged = join(dir, 'merged.csv.gz');
    expect((await cli('submission', '--truth', csv, '--out', merged, '--merge', '1', '--no-progress')).code).toBe(0);
    const run = join(dir, 'run');
    const worse = await cli('score', '--truth', csv, '--submission', merged, '--logdir', run, '--no-progress');
    expect(worse.code).toBe(0);
    for (const row of worse.stdout.trim().split('\n').slice(1, 3)) {
      const [trackml, dms, eff] = row.split(/ +/).slice(3).map(Number);
      // Every track is merged with another: only the larger of each pair keeps a strict majority.
      expect(trackml).toBeLessThan(0.9);
      expect(dms).toBeLessThan(0.9);
      expect(eff).toBeLessThan(0.6);
    }
    const events = readFileSync(join(run, 'score', 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.eventId)).toEqual([0, 1]);
    for (const name of ['efficiency.json', 'hit-mixing.json', 'tracking.json']) expect(() => JSON.parse(readFileSync(join(run, 'score', name), 'utf8'))).not.toThrow();
    // Tracking figures over both events: every merged pair leaves one particle unmatched.
    const tracking = JSON.parse(readFileSync(join(run, 'score', 'tracking.json'), 'utf8'));
    expect(tracking.events).toBe(2);
    expect(tracking.efficiency.reconstructable.numerator).toBeLessThan(tracking.efficiency.reconstructable.denominator);
    expect(tracking.regions.map((r: { key: string }) => r.key)).toEqual(['barrel', 'endcap-negative', 'endcap-positive']);
    expect(JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')).events).toBe(2);

    const report = await cli('report', run, '--no-png');
    expect(report).toMatchObject({ code: 0, stderr: '' });
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('hypertrack score');
    expect(html).toContain('<section id="tracking">');
    expect(readdirSync(join(run, 'plots')).filter((f) => f.endsWith('.svg')).length).toBeGreaterThan(5);

    const phoenix = join(dir, 'event0.json');
    const exported = await cli('export-phoenix', '--in', csv, '--event-id', '1', '--submission', merged, '--out', phoenix);
    expect(exported.code).toBe(0);
    const file = JSON.parse(readFileSync(phoenix, 'utf8'));
    const [name] = Object.keys(file);
    expect(file[name]['event number']).toBe(1);
    expect(Object.keys(file[name].Tracks).sort()).toEqual(['Reconstructed tracks', 'True tracks']);
    expect(file[name].Tracks['True tracks'].length).toBeGreaterThan(10);
    // Thinned, with the detector: sizes printed, pT in MeV, the geometry as glTF.
    const thin = await cli('export-phoenix', '--in', csv, '--event-id', '1', '--submission', merged, '--out', join(dir, 'thin.json'), '--min-pt', '0.5', '--max-tracks', '5', '--hits', 'tracks', '--geometry', join(dir, 'trackml.gltf'));
    expect(thin).toMatchObject({ code: 0, stderr: '' });
    expect(thin.stdout).toMatch(/^wrote event 1 for Phoenix to \S+thin\.json \([\d.]+ kB: [\d,]+ track hits, [\d,]+ noise hits, 5 true tracks, 5 reconstructed tracks\)\n  and \S+trackml\.gltf \(\d+ kB: the trackml detector, 48 layers, as glTF\)\n$/);
    const thinned = JSON.parse(readFileSync(join(dir, 'thin.json'), 'utf8'))[name];
    for (const list of Object.values(thinned.Tracks) as { pT: number }[][]) for (const t of list) expect(t.pT).toBeGreaterThanOrEqual(500);
    expect(JSON.parse(readFileSync(join(dir, 'trackml.gltf'), 'utf8')).asset.version).toBe('2.0');
    expect((await cli('export-phoenix', '--in', csv, '--out', join(dir, 'x.json'), '--hits', 'some')).stderr).toContain("Allowed choices are all, tracks, none");
  });

  it('trains a voxdyn model and runs the graph constructor alone with its edge metrics', async () => {
    const arrow = join(dir, 'arrow');
    expect((await cli('simulate', '--events', '4', '--pileup', '5', '--format', 'arrow', '--out', arrow, '--no-progress')).code).toBe(0);
    const models = join(dir, 'models');
    const train = await cli('pretrain-voxdyn', '--in', arrow, '--events', '0-2', '--ncell', '64', '256', '--niter', '3', '--out', models, '--no-progress');
    expect(train.code).toBe(0);
    expect(readdirSync(models).sort()).toEqual(['figs', 'voxdyn_node2node_hyper_ncell_256.vdm', 'voxdyn_node2node_hyper_ncell_64.vdm']);
    expect(readdirSync(join(models, 'figs'))).toContain('voxdyn_node2node_hyper_ncell_64-voronoi-zy.png');
    expect(readdirSync(join(models, 'figs'))).toContain('voxdyn_node2node_hyper_ncell_256-cmatrix.svg');
    const model = join(models, 'voxdyn_node2node_hyper_ncell_64.vdm');
    // On a training event every true pair's cells were seen together: edge efficiency 1.
    const seen = await cli('infer', '--pre-only', '--model', model, '--in', arrow, '--events', '0', '--no-progress');
    expect(seen.code).toBe(0);
    const row = seen.stdout.split('\n')[2].trim().split(/ +/);
    expect(row[0]).toBe('0');
    expect(Number(row[4])).toBe(1);
    const unseen = await cli('infer', '--pre-only', '--model', model, '--in', arrow, '--events', '3', '--rfactor', '0.5', '--logdir', join(dir, 'run'), '--no-progress');
    expect(unseen.code).toBe(0);
    const logged = JSON.parse(readFileSync(join(dir, 'run', 'vd', 'events.jsonl'), 'utf8'));
    expect(logged.tpr).toBeGreaterThan(0.5);
    expect(logged.tpr).toBeLessThanOrEqual(1);
    // Without --ncell, the default 65,536 cells are more than these events' hits: said before any k-means.
    const tooMany = await cli('pretrain-voxdyn', '--in', arrow, '--events', '0', '--out', join(dir, 'too-many'), '--no-progress');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/^hypertrack: error: --ncell: 65536 cells \(the default\) need at least 65536 hits, but the 1 k-means event\(s\) have \d+: lower --ncell \(e\.g\. \d+\) or train on more events$/m);
    // The C-matrix counted in two shards over the 64-cell model's k-means, merged: the file one process writes.
    const shards = join(dir, 'shards');
    for (const shard of ['0/2', '1/2']) expect((await cli('pretrain-voxdyn', '--in', arrow, '--events', '0-3', '--centroids', model, '--shard', shard, '--out', shards, '--no-progress')).code).toBe(0);
    const merged = await cli('merge', shards, '--out', join(dir, 'merged'), '--no-plots');
    expect(merged.stdout).toMatch(/^wrote .*voxdyn_node2node_hyper_ncell_64\.vdm: ncell 64, 4 events \(0-3\), .*merged from 2 shards$/m);
    const single = await cli('pretrain-voxdyn', '--in', arrow, '--events', '0-3', '--centroids', model, '--out', join(dir, 'single'), '--no-progress', '--no-plots');
    expect(single.code).toBe(0);
    expect(readFileSync(join(dir, 'merged', 'voxdyn_node2node_hyper_ncell_64.vdm')).equals(readFileSync(join(dir, 'single', 'voxdyn_node2node_hyper_ncell_64.vdm')))).toBe(true);
    const lone = await cli('merge', join(shards, 'shard-0-of-2'), '--out', join(dir, 'lone'));
    expect(lone.stderr).toMatch(/^hypertrack: error: shard\(s\) 1\/2 of pretrain-voxdyn missing/m);
    const noPre = await cli('infer', '--model', model, '--in', arrow);
    expect(noPre.code).toBe(1);
    expect(noPre.stderr).toContain('--gnn: required without --pre-only');
  });

  it('infers in shards whose merge writes the run folder of one process', async () => {
    const arrow = join(dir, 'arrow');
    expect((await cli('simulate', '--events', '7', '--pileup', '3', '--format', 'arrow', '--out', arrow, '--no-progress')).code).toBe(0);
    expect((await cli('pretrain-voxdyn', '--in', arrow, '--events', '0-1', '--ncell', '1024', '--niter', '3', '--out', join(dir, 'vd'), '--no-progress', '--no-plots')).code).toBe(0);
    const gnn = join(__dirname, '../../../models/gnn-tune6-mu2');
    const common = ['--vd-model', join(dir, 'vd', 'voxdyn_node2node_hyper_ncell_1024.vdm'), '--gnn', gnn, '--in', arrow, '--events', '2-6', '--backend', 'wasm', '--no-progress'];
    const single = await cli('infer', ...common, '--logdir', join(dir, 'single'));
    expect(single.stderr).not.toContain('error');
    expect(single.code).toBe(0);
    for (const shard of ['0/3', '1/3', '2/3']) {
      const part = await cli('infer', ...common, '--logdir', join(dir, 'shards'), '--shard', shard);
      expect(part.stdout).toMatch(/^shard \d\/3: [12] events written; merge the shards with: hypertrack merge /m);
    }
    const merged = await cli('merge', join(dir, 'shards'), '--out', join(dir, 'merged'));
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('results (5 events');
    const json = (run: string, file: string) => JSON.parse(readFileSync(join(dir, run, file), 'utf8'));
    for (const file of ['score/tracking.json', 'score/efficiency.json', 'score/hit-mixing.json', 'roc/1-gnn.json', 'event-display.json']) expect(json('merged', file)).toEqual(json('single', file));
    const physics = (run: string) => json(run, 'results.json').columns.filter((c: { kind: string }) => c.kind === 'physics');
    expect(physics('merged')).toEqual(physics('single'));
    const withoutTimes = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).filter(([key]) => !key.startsWith('time')));
    const rows = (run: string) => readFileSync(join(dir, run, 'infer/events.jsonl'), 'utf8').trim().split('\n').map((line) => withoutTimes(JSON.parse(line)));
    expect(rows('merged')).toEqual(rows('single'));
  });

  it('scores in shards whose merge writes the run folder of one process', async () => {
    const csv = join(dir, 'csv');
    expect((await cli('simulate', '--events', '5', '--pileup', '4', '--out', csv, '--no-progress')).code).toBe(0);
    expect((await cli('submission', '--truth', csv, '--out', join(dir, 'sub.csv'), '--merge', '0.1', '--split', '0.1')).code).toBe(0);
    const common = ['--truth', csv, '--submission', join(dir, 'sub.csv'), '--no-progress'];
    const single = await cli('score', ...common, '--logdir', join(dir, 'single'));
    expect(single.code).toBe(0);
    for (const shard of ['0/2', '1/2']) expect((await cli('score', ...common, '--logdir', join(dir, 'shards'), '--shard', shard)).stdout).toMatch(/^shard \d\/2: [23] events scored/m);
    const merged = await cli('merge', join(dir, 'shards'), '--out', join(dir, 'merged'));
    expect(merged.stdout).toBe(single.stdout);
    for (const file of ['results.json', 'score/events.jsonl', 'score/tracking.json', 'score/efficiency.json', 'score/hit-mixing.json', 'event-display.json']) {
      expect(readFileSync(join(dir, 'merged', file), 'utf8')).toBe(readFileSync(join(dir, 'single', file), 'utf8'));
    }
  });

  describe('bad input: one line on stderr, exit code 1, nothing written', () => {
    it.each([
      [['simulate', '--events', 'x', '--out', 'o'], "hypertrack: error: option '--events <n>' argument 'x' is invalid. expected an integer, got \"x\""],
      [['simulate', '--events', '2'], "hypertrack: error: required option '--out <dir>' not specified"],
      [['simulate', '--pileup', '-3', '--out', 'o'], "hypertrack: error: option '--pileup <mu>' argument '-3' is invalid. expected a number in [0, 2000], got -3"],
      [['simulate', '--format', 'parquet', '--out', 'o'], 'hypertrack: error: --format: expected csv or arrow, got "parquet"'],
      // Commander's suggestion joins its line, and what the user typed is printed escaped.
      [['simulate', '--evnets', '2', '--out', 'o'], "hypertrack: error: unknown option '--evnets' (Did you mean --events?)"],
      [['simulat', '--out', 'o'], "hypertrack: error: unknown command 'simulat' (Did you mean simulate?)"],
      [['infer', '--in', 'o', '--backend', 'gpu'], "hypertrack: error: option '--backend <name>' argument 'gpu' is invalid. Allowed choices are node-gpu, webgpu, node, wasm, cpu."],
      [['train', '--in', 'o', '--backend', 'gpu'], "hypertrack: error: option '--backend <name>' argument 'gpu' is invalid. Allowed choices are node-gpu, webgpu, node, wasm, cpu."],
      [['simulate', '--events', '\x1b[2J', '--out', 'o'], "hypertrack: error: option '--events <n>' argument '\\u001b[2J' is invalid. expected an integer, got \"\\u001b[2J\""],
    ])('%j', async (argv, message) => {
      const run = await cli(...argv.map((a) => (a === 'o' ? join(dir, 'o') : a)));
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`${message}\n`);
      expect(existsSync(join(dir, 'o'))).toBe(false);
    });

    it('names the file, line and column of a malformed particles table', async () => {
      const particles = join(dir, 'bad-particles.csv');
      writeFileSync(particles, 'particle_id,vx,vy,vz,px,py,pz,q\n4503668346847232,0,0,0,1.0,abc,0.2,1\n');
      const run = await cli('simulate', '--particles', particles, '--out', join(dir, 'o'), '--no-progress');
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`hypertrack: error: ${particles}:2: column 'py': expected a number, got "abc"\n`);
      expect(existsSync(join(dir, 'o'))).toBe(false);
    });

    it('leaves no output when a CSV event to convert is malformed', async () => {
      const csv = join(dir, 'csv');
      expect((await cli('simulate', '--events', '2', '--pileup', '2', '--out', csv, '--no-progress')).code).toBe(0);
      const hits = join(csv, 'event000000001-hits.csv');
      const lines = readFileSync(hits, 'utf8').split('\n');
      lines[3] = lines[3].replace(/^(\d+),[^,]+,/, '$1,NaN,');
      writeFileSync(hits, lines.join('\n'));
      const out = join(dir, 'arrow');
      const run = await cli('convert', '--in', csv, '--out', out, '--no-progress');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`^hypertrack: error: ${hits}:4: column 'x': .+\\n$`));
      expect(existsSync(out)).toBe(false);
    });

    it('rejects a submission that leaves out a hit, naming the event', async () => {
      const csv = join(dir, 'csv');
      expect((await cli('simulate', '--events', '1', '--pileup', '2', '--out', csv, '--no-progress')).code).toBe(0);
      const sub = join(dir, 'sub.csv');
      expect((await cli('submission', '--truth', csv, '--out', sub, '--no-progress')).code).toBe(0);
      const lines = readFileSync(sub, 'utf8').trimEnd().split('\n');
      const dropped = lines.splice(5, 1)[0].split(',')[1];
      writeFileSync(sub, lines.join('\n') + '\n');
      const run = await cli('score', '--truth', csv, '--submission', sub, '--logdir', join(dir, 'o'), '--no-progress');
      expect(run.code).toBe(1);
      expect(run.stderr.startsWith(`hypertrack: error: ${sub}: event 0: `)).toBe(true);
      expect(run.stderr).toContain(dropped);
      expect(run.stderr.split('\n').length).toBe(2);
      expect(existsSync(join(dir, 'o'))).toBe(false);
    });

    it('says when a path to inspect does not exist', async () => {
      const missing = join(dir, 'nothing-here');
      const run = await cli('inspect', missing);
      expect(run).toMatchObject({ code: 1, stderr: `hypertrack: error: ${missing}: not found\n` });
      // A terminal escape sequence in what is echoed is printed escaped, never sent to the terminal.
      const tricky = await cli('inspect', join(dir, 'a\x1b]0;owned\x07b'));
      expect(tricky).toMatchObject({ code: 1, stderr: `hypertrack: error: ${dir}/a\\u001b]0;owned\\u0007b: not found\n` });
    });
  });
});

describe('the hypertrack command as npm links it', () => {
  // node_modules/.bin/hypertrack exists after `npm install` alone (the root depends on this
  // workspace), and before any build it runs the sources: `npx hypertrack --help` in a fresh clone.
  const root = join(__dirname, '..', '..', '..');
  const launcher = join(root, 'node_modules', '.bin', 'hypertrack');
  const run = (args: string[]) => spawnSync(launcher, args, { cwd: root, encoding: 'utf8', env: { ...process.env, HYPERTRACK_FROM_SOURCES: '1' } });

  it('runs from the sources with the same output and exit codes', () => {
    expect(existsSync(launcher)).toBe(true);
    const version = run(['--version']);
    expect([version.status, version.stdout.trim()]).toEqual([0, JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version]);
    const bad = run(['train', '--in', 'nowhere', '--logdir', join(tmpdir(), 'unused'), '--bogus']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("hypertrack: error: unknown option '--bogus'\n");
  }, 60_000);
});

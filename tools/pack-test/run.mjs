#!/usr/bin/env node
// Installs every package the way a physicist would: `npm pack` each built package, install the
// tarballs into an empty folder outside the workspace, then import each public API there (ESM and
// CommonJS) and exercise it. Run after `nx run-many -t build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dependencyClosure } from '../pack/pack.mjs';

const root = resolve(import.meta.dirname, '../..');
const workdir = mkdtempSync(join(tmpdir(), 'hypertrack-pack-'));
const tarballs = join(workdir, 'tarballs');
const consumer = join(workdir, 'consumer');
mkdirSync(tarballs);
mkdirSync(consumer);
const npm = (args, cwd) => execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

const projects = [
  ...readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d)),
  ...readdirSync(join(root, 'apps')).map((d) => join(root, 'apps', d)),
].filter((dir) => existsSync(join(dir, 'package.json')));

let passed = 0;
let failed = 0;
function check(name, fn) {
  try {
    fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n${String(error.stdout ?? '')}${String(error.stderr ?? '')}${error.message}`);
  }
}

try {
  const packed = [];
  for (const dir of projects) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    check(`pack ${manifest.name}@${manifest.version}`, () => {
      const out = JSON.parse(npm(['pack', '--json', '--pack-destination', tarballs], dir));
      const files = out[0].files.map((f) => f.path);
      if (files.some((f) => f.startsWith('src/') || f.endsWith('.test.ts'))) throw new Error(`tarball ships sources: ${files.join(', ')}`);
      if (!files.includes('README.md')) throw new Error('tarball has no README.md');
      packed.push(join(tarballs, out[0].filename));
    });
  }
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  check('install all tarballs into an empty project', () => {
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', ...packed], consumer);
  });

  const node = (code, type, cwd = consumer) => {
    const file = join(cwd, type === 'esm' ? 'check.mjs' : 'check.cjs');
    writeFileSync(file, code);
    return execFileSync(process.execPath, [file], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const usage = {
    '@hypertrack/core': `const r = m.Rng.fromSeed(7); const a = r.split(1).nextUint32(); if (a !== m.Rng.fromSeed(7).split(1).nextUint32()) throw new Error('seeded streams differ');
      if (m.decodeParticleId(4503668346847232n).vertex !== 1) throw new Error('particle id layout');`,
    '@hypertrack/detsim': `const core = await import('@hypertrack/core'); const s = m.simulateEvent(1, m.defaultSimulationConfig({ pileup: 2 }), core.Rng.fromSeed(1));
      if (!(s.event.hits.hitId.length > 0)) throw new Error('no hits simulated');`,
    '@hypertrack/io-arrow': `const os = await import('node:os'); const fs = await import('node:fs'); const path = await import('node:path');
      const core = await import('@hypertrack/core'); const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ht-io-'));
      const t = core.allocateTable('hits', 2); t.hitId.set([1, 2]); t.x.set([1.5, -2.25]);
      await m.writeTrackMLTable('hits', t, path.join(dir, 'h.csv')); const back = await m.readTrackMLTable('hits', path.join(dir, 'h.csv'));
      fs.rmSync(dir, { recursive: true }); if (back.x[1] !== -2.25) throw new Error('CSV round trip');`,
    '@hypertrack/metrics': `const r = m.rocCurve(Float32Array.from([0.9, 0.8, 0.3, 0.1]), [1, 0, 1, 0]); if (Math.abs(r.auc - 0.75) > 1e-12) throw new Error('AUC ' + r.auc);`,
    '@hypertrack/voxdyn': `const index = m.NearestCentroidIndex.build(Float32Array.from([0, 0, 0, 10, 10, 10]), 3);
      const cells = index.assign(Float32Array.from([1, 1, 1, 9, 9, 9, 6, 6, 6])); if (cells.join() !== '0,1,1') throw new Error('cells ' + cells.join());`,
    // The native kernels compile in the tarball's install script, as on a user's machine.
    // Where a compiler is expected (CI: HYPERTRACK_EXPECT_NATIVE=1) it must have built; elsewhere its reason must be one line.
    '@hypertrack/native': `const load = m.loadNativeKernels();
      if (load.kernels === null && process.env.HYPERTRACK_EXPECT_NATIVE === '1') throw new Error('not built at install: ' + load.reason);
      if (load.kernels === null && !/^@hypertrack\\/native (is not built|does not load) /.test(load.reason)) throw new Error('unclear reason: ' + load.reason);`,
    '@hypertrack/nn': `const tf = await import('@tensorflow/tfjs-core'); const lines = []; const b = await m.initBackend({ log: (l) => lines.push(l) });
      if (b.name !== 'wasm') throw new Error('backend ' + b.name);
      if (process.env.HYPERTRACK_EXPECT_NATIVE === '1' && !lines[0].includes('native kernels: ')) throw new Error('no native kernels: ' + lines[0]);
      const x = tf.tensor2d([[1, 2], [3, 4]]); const g = tf.grad((v) => tf.sum(m.segmentSum(m.gatherRows(v, [1, 0, 1]), [0, 0, 1], 2)))(x);
      if (g.arraySync().join() !== '1,1,2,2') throw new Error('gradient ' + g.arraySync());`,
    '@hypertrack/gnn': `const nn = await import('@hypertrack/nn'); const { Rng } = await import('@hypertrack/core'); await nn.initBackend();
      const model = new m.EdgePredictor({ ...m.TUNE5_GNN, nstack: 2, hDim: 8, mDim: 8, zDim: 4, correlateHidden: [4] }, 1);
      const input = { numNodes: 4, coordDim: 3, coords: Float32Array.from([0, 0, 0, 1, 0, 0, 2, 0, 1, 5, 5, 5]), src: Int32Array.from([0, 1, 2, 3, 0]), dst: Int32Array.from([1, 2, 1, 3, 0]) };
      const p = (await model.predict(input)).probabilities; if (p.length !== 5 || !p.every((v) => v > 0 && v < 1)) throw new Error('probabilities ' + p);
      const trainer = new m.GnnTrainer(model, m.TUNE5_TRAINING); await trainer.useWorkers(1);
      const r = await trainer.trainStep([{ ...input, labels: Uint8Array.from([1, 1, 1, 0, 1]), hitTrack: Int32Array.from([0, 0, 0, -1]) }], Rng.fromSeed(1));
      await trainer.close(); if (!(r.loss > 0 && r.gradNorm > 0)) throw new Error('step ' + JSON.stringify(r));`,
    '@hypertrack/cluster': `const g = { numHits: 6, src: Int32Array.from([0, 1, 2, 2, 4]), dst: Int32Array.from([1, 2, 3, 2, 5]), prob: Float32Array.from([0.9, 0.8, 0.55, 0.99, 0.9]) };
      const r = await m.selectClusterer('cut').cluster(g, { minGraph: 2 }); if (r.labels.join() !== '0,0,0,-1,1,1' || r.stats.keptEdges !== 3) throw new Error('labels ' + r.labels.join());`,
    '@hypertrack/report': `const plot = await m.rocPlot([{ name: 'toy', curve: { thresholds: [Infinity, 0.5, 0], tpr: [0, 0.5, 1], fpr: [0, 0.25, 1], auc: 0.625 } }]);
      if (!plot.svg.startsWith('<svg')) throw new Error('no SVG'); if (!m.toPng(plot.svg).subarray(0, 8).equals(m.PNG_SIGNATURE)) throw new Error('no PNG');`,
  };
  for (const dir of projects) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (manifest.bin) continue;
    const body = usage[manifest.name] ?? '';
    check(`${manifest.name}: import (ESM) and use`, () => node(`const m = await import('${manifest.name}');\n${body}\nconsole.log(Object.keys(m).length);`, 'esm'));
    check(`${manifest.name}: require (CJS)`, () => node(`const m = require('${manifest.name}'); if (Object.keys(m).length === 0) throw new Error('empty exports');`, 'cjs'));
  }
  // One package alone, as a user outside this repository installs it (the READMEs' Install
  // sections): tools/pack/pack.mjs packs it with the tarballs of its @hypertrack dependencies, and
  // the exact `npm install` line it prints runs in an empty folder with no workspace around. None
  // of our packages is on the public registry, so a lone tarball alone would 404 there.
  // @hypertrack/metrics has no third-party dependency: its install runs --offline, nothing may come
  // from a registry. @hypertrack/report adds a transitive chain (report -> metrics -> core) and
  // third-party packages, which come from the registry (or npm's cache).
  for (const [name, offline] of [
    ['@hypertrack/metrics', true],
    ['@hypertrack/report', false],
  ]) {
    check(`${name} alone: pack.mjs's install line installs it with its @hypertrack dependencies into an empty folder${offline ? ', offline' : ''}; import and require`, () => {
      const lone = join(workdir, `lone-${name.slice('@hypertrack/'.length)}`);
      mkdirSync(lone);
      writeFileSync(join(lone, 'package.json'), JSON.stringify({ name: 'lone', version: '1.0.0', private: true }));
      if (npm(['prefix'], lone).trim() !== lone) throw new Error(`npm sees a project around ${lone}`);
      const printed = execFileSync(process.execPath, [join(root, 'tools', 'pack', 'pack.mjs'), name, '--out', 'tarballs'], { cwd: lone, encoding: 'utf8' });
      const line = printed.trim().split('\n').at(-1);
      if (!line.startsWith('npm install ./tarballs/')) throw new Error(`pack.mjs printed no install line:\n${printed}`);
      npm([...line.split(' ').slice(1), '--no-audit', '--no-fund', offline ? '--offline' : '--prefer-offline'], lone);
      const installed = readdirSync(join(lone, 'node_modules', '@hypertrack')).map((d) => `@hypertrack/${d}`).sort();
      const closure = dependencyClosure(name).sort();
      if (installed.join() !== closure.join()) throw new Error(`installed ${installed.join(', ')}, expected ${closure.join(', ')}`);
      node(`const m = await import('${name}');\n${usage[name]}\n`, 'esm', lone);
      node(`const m = require('${name}'); if (Object.keys(m).length === 0) throw new Error('empty exports');`, 'cjs', lone);
    });
  }

  // The READMEs' runnable examples, against the installed tarballs (the shipped model from the repo).
  // Each check reads the example's printed results row (header line, then values).
  const column = (out, name) => {
    const lines = out.trim().split('\n');
    const head = lines.findIndex((l) => l.includes(name));
    return parseFloat(lines[head + 1].trim().split(/\s+/)[lines[head].trim().split(/\s+/).indexOf(name)]);
  };
  const examples = [
    ['packages/pipeline/examples/reconstruct.mjs', [join(root, 'models', 'gnn-tune6-mu2')], (out) => column(out, 'DMS') >= 0.8 && column(out, 'GNN(AUC)') >= 0.99],
    ['packages/gnn/examples/fit.mjs', [], (out) => /^step 9: loss \d/m.test(out) && /^iterations reached: checkpoint \S+step-000000010$/m.test(out)],
  ];
  for (const [example, args, expected] of examples) {
    check(`example ${example}`, () => {
      const copy = join(consumer, example.replaceAll('/', '_'));
      writeFileSync(copy, readFileSync(join(root, example)));
      const out = execFileSync(process.execPath, [copy, ...args], { cwd: consumer, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (!expected(out)) throw new Error(`output not as the README says:\n${out}`);
    });
  }
  check('hypertrack CLI: --help and a simulate run', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'hypertrack');
    const help = execFileSync(bin, ['--help'], { cwd: consumer, encoding: 'utf8' });
    if (!help.includes('simulate')) throw new Error('help does not list simulate');
    execFileSync(bin, ['simulate', '--events', '1', '--pileup', '2', '--out', 'sim', '--no-progress'], { cwd: consumer, encoding: 'utf8' });
    if (!existsSync(join(consumer, 'sim', 'event000000000-hits.csv'))) throw new Error('no hits file written');
  });
} finally {
  rmSync(workdir, { recursive: true, force: true });
}
console.log(`pack-test: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

#!/usr/bin/env node
// Issue 18's malformed-input probe, rerun: at least 185 broken inputs and bad flags, each through
// the real `hypertrack` command (apps/hypertrack/bin/hypertrack.cjs, from the sources), each in its
// own folder. A valid fixture is made once (3 simulated mu = 2 events as CSV and as Arrow stores, a
// submission, a 64-cell Voxel-Dynamics model, the shipped GNN mu = 2 checkpoint, a 1-step training
// run, tune files), then every case copies what it needs, breaks one thing and runs one command.
//
// A case that must fail passes when the command
//   - exits non-zero (not killed by the timeout),
//   - prints exactly one line on stderr, apart from the informational lines the CLI prints anyway
//     (tensor backend, GNN/transformer loaded, notes), starting with `hypertrack: error: `,
//   - names what is wrong in it: the file (and line and column for row-level problems), the key of a
//     config problem, the flag of a bad flag,
//   - prints no internal error and no stack trace, no control character and no more than 1000
//     characters in that line,
//   - leaves its folder exactly as it was: no output, no temporary file (`.name.<pid>-<hex>.tmp`,
//     `step-*.partial-<pid>`), no input changed.
// A case declared valid (CRLF line ends, an output folder that does not exist yet, ...) passes when
// the command exits 0, leaves no temporary file, and (where the case says) prints what the
// unbroken input prints.
//
// Usage (no build needed; Node 20.19+, the workspace's node_modules):
//   node tools/validate/malformed-inputs.mjs [--jobs N] [--filter TEXT] [--keep] [--list]
// --jobs: commands run at once (default 2); --filter: only cases whose name contains TEXT;
// --keep: keep the temporary folder; --list: print the case names only.
// Prints one line per case (`ok` or `FAIL`, the name, the stderr line), then `N of M cases pass`;
// exits 1 when a case fails. About 200 cases, 2-4 minutes with 2 jobs.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const launcher = join(root, 'apps/hypertrack/bin/hypertrack.cjs');
const argv = process.argv.slice(2);
const flag = (name) => {
  const at = argv.indexOf(`--${name}`);
  return at < 0 ? undefined : argv[at + 1];
};
const jobs = Math.max(1, Number(flag('jobs') ?? 2));
const filter = flag('filter');
const keep = argv.includes('--keep');
const listOnly = argv.includes('--list');
const TIMEOUT_MS = 120_000;
const env = { ...process.env, HYPERTRACK_FROM_SOURCES: '1', CI: 'true', NO_COLOR: '1' };
delete env.HYPERTRACK_DEBUG;

// ---------------------------------------------------------------------------------------------
// Running the CLI

/** Runs `hypertrack args...` in `cwd`; resolves with { code, signal, stdout, stderr, timedOut }. */
function hypertrack(args, cwd) {
  return new Promise((done) => {
    // Its own process group: a timeout ends the launcher and the child it started, nothing else.
    const child = spawn(process.execPath, [launcher, ...args], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** The same, synchronously, for the fixture; throws when it fails. */
function make(args, cwd) {
  const run = spawnSync(process.execPath, [launcher, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (run.status !== 0) throw new Error(`fixture: hypertrack ${args.join(' ')} exited ${run.status}:\n${run.stderr}`);
  return run.stdout;
}

// ---------------------------------------------------------------------------------------------
// Files

const E = 'event000000002';
const HITS = `${E}-hits.csv`;
const PARTICLES = `${E}-particles.csv`;
const TRUTH = `${E}-truth.csv`;
const CELLS = `${E}-cells.csv`;
const VD = 'voxdyn_node2node_hyper_ncell_64.vdm';

const read = (file) => readFileSync(file, 'latin1');
const write = (file, text) => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text, 'latin1');
};
/** Rewrites the lines of a text file; lines[0] is the header (line 1 of error messages). */
function editLines(file, change) {
  const lines = read(file).split('\n');
  change(lines);
  write(file, lines.join('\n'));
}
const setField = (line, index, value) => {
  const fields = line.split(',');
  fields[index] = value;
  return fields.join(',');
};
const field = (lines, row, index, value) => (lines[row] = setField(lines[row], index, value));
/** Replaces the plain file by its gzip (damaged by `damage` if given). */
function gzipFile(file, damage = (b) => b) {
  const gz = gzipSync(readFileSync(file));
  rmSync(file);
  writeFileSync(`${file}.gz`, damage(gz));
}

/** Every path under `dir` with its size and mtime: a failing command must leave this unchanged. */
function snapshot(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      out.set(p.slice(dir.length + 1), s.isDirectory() ? 'dir' : `${s.size}@${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}
const TEMPORARY = /(^\..+\.\d+-[0-9a-f]{8}\.tmp$)|(\.tmp$)|(\.partial-\d+$)|(\.old-\d+$)/;

// ---- Voxel-Dynamics model files (format: packages/voxdyn/src/io/model-file.ts)

function parseVdm(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(12, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(24, 24 + jsonLength)).toString('utf8'));
  let at = 24 + jsonLength;
  const take = (Type, n) => {
    const a = new Type(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + at + 4 * n));
    at += 4 * n;
    return a;
  };
  const centroids = take(Float32Array, header.ncell * header.dim);
  const indptr = take(Int32Array, header.ncell + 1);
  const indices = take(Int32Array, header.nnz);
  const counts = take(Uint32Array, header.nnz);
  return { version: view.getUint32(8, true), header, centroids, indptr, indices, counts };
}

/** Writes a model with a valid length and checksum, whatever its contents: only the checks of values remain. */
function encodeVdm({ magic = 'HTVOXDYN', version, header, centroids, indptr, indices, counts }) {
  let json = typeof header === 'string' ? header : JSON.stringify(header);
  while (json.length % 8 !== 0) json += ' ';
  const jsonBytes = Buffer.from(json, 'utf8');
  const sections = [centroids, indptr, indices, counts].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const body = Buffer.concat([Buffer.alloc(24), jsonBytes, ...sections, Buffer.alloc(4)]);
  body.write(magic, 0, 'latin1');
  body.writeUInt32LE(version, 8);
  body.writeUInt32LE(jsonBytes.length, 12);
  body.writeUInt32LE(body.length % 2 ** 32, 16);
  body.writeUInt32LE(Math.floor(body.length / 2 ** 32), 20);
  body.writeUInt32LE(crc32(body.subarray(0, body.length - 4)), body.length - 4);
  return body;
}
function editVdm(file, change) {
  const model = parseVdm(readFileSync(file));
  change(model);
  writeFileSync(file, encodeVdm(model));
}

// ---- safetensors (8-byte little-endian header length, JSON header, data)

function parseSafetensors(bytes) {
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  const data = bytes.subarray(8 + n);
  const tensors = new Map();
  let metadata;
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') metadata = entry;
    else tensors.set(name, { dtype: entry.dtype, shape: entry.shape, data: Buffer.from(data.subarray(entry.data_offsets[0], entry.data_offsets[1])) });
  }
  return { tensors, metadata };
}
function encodeSafetensors({ tensors, metadata }) {
  const header = metadata === undefined ? {} : { __metadata__: metadata };
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return Buffer.concat([length, Buffer.from(json), ...[...tensors.values()].map((t) => t.data)]);
}
function editSafetensors(file, change) {
  const st = parseSafetensors(readFileSync(file));
  change(st);
  writeFileSync(file, encodeSafetensors(st));
}
/** The first float tensor of rank 2 with two different sizes (a Linear weight). */
const firstMatrix = (st) => [...st.tensors.entries()].find(([, t]) => t.dtype === 'F32' && t.shape.length === 2 && t.shape[0] !== t.shape[1]);
const editJson = (file, change) => {
  const value = JSON.parse(read(file));
  change(value);
  write(file, `${JSON.stringify(value, null, 2)}\n`);
};

// ---------------------------------------------------------------------------------------------
// The fixture, made once

function buildFixture(base) {
  const fx = join(base, 'fixture');
  mkdirSync(fx, { recursive: true });
  make(['simulate', '--events', '3', '--pileup', '2', '--seed', '1', '--out', 'csv', '--no-progress'], fx);
  make(['simulate', '--events', '3', '--pileup', '2', '--seed', '1', '--out', 'arrow', '--format', 'arrow', '--no-progress'], fx);
  make(['simulate', '--events', '3', '--pileup', '2', '--seed', '1', '--out', 'arrow-pe', '--format', 'arrow', '--layout', 'per-event', '--no-progress'], fx);
  make(['simulate', '--events', '3', '--pileup', '2', '--seed', '2', '--out', 'arrow-seed2', '--format', 'arrow', '--no-progress'], fx);
  // One event (the smallest, 318 hits) as a CSV folder, with a few cells rows to break.
  mkdirSync(join(fx, 'one'));
  for (const name of [HITS, PARTICLES, TRUTH]) copyFileSync(join(fx, 'csv', name), join(fx, 'one', name));
  write(join(fx, 'one', CELLS), 'hit_id,ch0,ch1,value\n1,10,20,0.25\n1,11,20,0.5\n2,30,40,0.125\n3,7,8,0.75\n');
  make(['submission', '--truth', 'csv', '--out', 'sub.csv', '--no-progress'], fx);
  const sub = read(join(fx, 'sub.csv')).split('\n');
  write(join(fx, 'sub-one.csv'), `${[sub[0], ...sub.filter((l) => l.startsWith('2,'))].join('\n')}\n`);
  make(['pretrain-voxdyn', '--in', 'csv', '--events', '0-1', '--ncell', '64', '--niter', '3', '--out', 'models', '--no-plots', '--no-progress'], fx);
  mkdirSync(join(fx, 'gnn'));
  for (const name of ['trainer.json', 'model.safetensors']) copyFileSync(join(root, 'models/gnn-tune6-mu2', name), join(fx, 'gnn', name));
  write(join(fx, 'small.yaml'), 'model:\n  nstack: 1\n  hDim: 8\n  mDim: 8\n  zDim: 6\n  correlateHidden: [4]\ntraining:\n  learningRate: 0.001\n');
  write(join(fx, 'small.json'), `${JSON.stringify({ model: { nstack: 1, hDim: 8, mDim: 8, zDim: 6, correlateHidden: [4] } }, null, 2)}\n`);
  make([...trainArgs(join(fx, 'models', VD), 'arrow'), '--config', 'small.yaml', '--logdir', 'run'], fx);
  write(join(fx, 'particles.csv'), 'particle_id,vx,vy,vz,px,py,pz,q\n4503668346847232,0,0,0,1.0,0.5,0.2,1\n4503737066323968,0,0,0,-0.8,0.9,-0.4,-1\n');
  make(['score', '--truth', 'csv', '--submission', 'sub.csv', '--logdir', 'scored', '--no-progress'], fx);
  // What the unbroken inputs print, for the cases whose result must be the same.
  const baseline = {};
  const one = join(base, 'baseline');
  cpSync(join(fx, 'one'), join(one, 'in'), { recursive: true });
  copyFileSync(join(fx, 'sub-one.csv'), join(one, 'sub.csv'));
  baseline.inspect = make(['inspect', 'in', '--no-progress'], one);
  baseline.score = make(['score', '--truth', 'in', '--submission', 'sub.csv', '--no-progress'], one);
  baseline.preOnly = withoutTimes(make(['infer', '--pre-only', '--vd-model', join(fx, 'models', VD), '--in', 'in', '--no-progress'], one));
  return { dir: fx, vd: join(fx, 'models', VD), gnn: join(fx, 'gnn'), baseline };
}

/** infer --pre-only's table without its times (the two ms columns and the mean time). */
const withoutTimes = (text) => text.replace(/ +[\d.]+ +[\d.]+\n/g, '\n').replace(/time [\d.]+ ms/g, 'time ms');

/** A 1-step training of a tiny GNN on event 2 (the VD model trained on 0-1; event 1 validates). */
function trainArgs(vd, events) {
  return ['train', '--in', events, '--events', '2', '--val-events', '1', '--allow-vd-overlap', '--vd-model', vd, '--iterations', '1', '--no-progress'];
}

// ---------------------------------------------------------------------------------------------
// The cases

const cases = [];
/**
 * `name`; `setup(dir, fx)` puts the inputs into the case folder (the command's working folder);
 * `args(fx)` the command line (paths relative to the case folder); `mention`: what the error line
 * must contain; `valid`: the command must succeed (with `same` naming a baseline its stdout must
 * equal); `either`: both a clean error and success are right.
 */
function add(name, spec) {
  cases.push({ name, ...spec });
}

const withOne = (extra) => (dir, fx) => {
  cpSync(join(fx.dir, 'one'), join(dir, 'in'), { recursive: true });
  copyFileSync(join(fx.dir, 'sub-one.csv'), join(dir, 'sub.csv'));
  extra?.(join(dir, 'in'), dir, fx);
};
/** Commands that read a CSV event folder `in`, rotated over the cases of each table. */
const READERS = {
  inspect: () => ['inspect', 'in', '--no-progress'],
  convert: () => ['convert', '--in', 'in', '--out', 'out', '--no-progress'],
  score: () => ['score', '--truth', 'in', '--submission', 'sub.csv', '--logdir', 'out', '--no-progress'],
  submission: () => ['submission', '--truth', 'in', '--out', 'out/sub.csv', '--no-progress'],
  pretrain: () => ['pretrain-voxdyn', '--in', 'in', '--ncell', '16', '--niter', '2', '--out', 'out', '--no-progress'],
  'pre-only': (fx) => ['infer', '--pre-only', '--vd-model', fx.vd, '--in', 'in', '--logdir', 'out', '--no-progress'],
  phoenix: () => ['export-phoenix', '--in', 'in', '--out', 'out/e.json'],
};
const readerNames = Object.keys(READERS);

/** One case per broken table: `edit(inDir)` breaks it; the reader rotates with the case number. */
function csvCase(table, n, what, edit, spec) {
  const reader = spec.reader ?? readerNames[n % readerNames.length];
  add(`${table}-csv/${what} (${reader})`, { setup: withOne((inDir, dir, fx) => edit(inDir, dir, fx)), args: READERS[reader], ...spec });
}

// ---- hits, particles, truth: the same kinds of damage to each table
const TABLES = {
  hits: { file: HITS, columns: ['hit_id', 'x', 'y', 'z', 'volume_id', 'layer_id', 'module_id'], number: 1, int: 4 },
  particles: { file: PARTICLES, columns: ['particle_id', 'vx', 'vy', 'vz', 'px', 'py', 'pz', 'q', 'nhits'], number: 4, int: 8 },
  truth: { file: TRUTH, columns: ['hit_id', 'particle_id', 'tx', 'ty', 'tz', 'tpx', 'tpy', 'tpz', 'weight'], number: 5, int: 0 },
};
for (const [table, { file, columns, number, int }] of Object.entries(TABLES)) {
  const at = (dir) => join(dir, file);
  const last = columns[columns.length - 1];
  let n = table.length; // rotates the readers differently per table
  const c = (what, edit, spec) => csvCase(table, n++, what, (dir, caseDir, fx) => edit(at(dir), dir, caseDir, fx), spec);
  c('missing column', (f) => editLines(f, (l) => (l[0] = l[0].replace(`,${columns[number]}`, ''))), { mention: [`${file}:1`, `column '${columns[number]}'`] });
  // (nhits is optional in a particles table: then the rows have a field too many)
  c('missing last column', (f) => editLines(f, (l) => (l[0] = l[0].replace(`,${last}`, ''))), { mention: table === 'particles' ? [`${file}:2`] : [`${file}:1`, `column '${last}'`] });
  c('extra column', (f) => editLines(f, (l) => l.forEach((x, i) => x !== '' && (l[i] = i === 0 ? `${x},extra` : `${x},0`))), { mention: [`${file}:1`, "column 'extra'"] });
  c('renamed column', (f) => editLines(f, (l) => (l[0] = l[0].replace(columns[number], `${columns[number]}_renamed`))), { mention: [`${file}:1`, `column '${columns[number]}_renamed'`] });
  c('duplicated column', (f) => editLines(f, (l) => (l[0] = l[0].replace(`,${last}`, `,${columns[1]}`))), { mention: [`${file}:1`, `column '${columns[1]}'`] });
  c('columns reordered', (f) => editLines(f, (l) => l.forEach((x, i) => { if (x === '') return; const v = x.split(','); [v[1], v[2]] = [v[2], v[1]]; l[i] = v.join(','); })), { either: true, mention: [file] });
  c('empty file', (f) => write(f, ''), { mention: [`${file}:1`] });
  c('header only', (f) => write(f, `${columns.join(',')}\n`), { mention: [E] });
  c('no header (data only)', (f) => editLines(f, (l) => l.shift()), { mention: [`${file}:1`] });
  c('non-numeric value', (f) => editLines(f, (l) => field(l, 4, number, 'abc')), { mention: [`${file}:5`, `column '${columns[number]}'`] });
  c('NaN value', (f) => editLines(f, (l) => field(l, 6, number, 'NaN')), { mention: [`${file}:7`, `column '${columns[number]}'`] });
  c('Inf value', (f) => editLines(f, (l) => field(l, 3, number, 'inf')), { mention: [`${file}:4`, `column '${columns[number]}'`] });
  c('empty value', (f) => editLines(f, (l) => field(l, 3, number, '')), { mention: [`${file}:4`, `column '${columns[number]}'`] });
  c('hexadecimal value', (f) => editLines(f, (l) => field(l, 3, number, '0x1A')), { mention: [`${file}:4`, `column '${columns[number]}'`] });
  c('float in integer column', (f) => editLines(f, (l) => field(l, 5, int, '2.5')), { mention: [`${file}:6`, `column '${columns[int]}'`] });
  c('integer beyond 64 bits', (f) => editLines(f, (l) => field(l, 5, int, '99999999999999999999999')), { mention: [`${file}:6`, `column '${columns[int]}'`] });
  c('value beyond float32', (f) => editLines(f, (l) => field(l, 2, number, '1e40')), { mention: [`${file}:3`, `column '${columns[number]}'`] });
  c('negative id', (f) => editLines(f, (l) => field(l, 2, 0, '-7')), { mention: [file, ':3', `column '${columns[0]}'`] });
  c('duplicate id', (f) => editLines(f, (l) => field(l, 3, 0, l[2].split(',')[0])), { mention: [`${file}:4`, `column '${columns[0]}'`] });
  c('truncated last line', (f) => write(f, read(f).replace(/,[^\n]*\n$/, ',')), { mention: [file, `column '${columns[1]}'`] });
  c('line with too few fields', (f) => editLines(f, (l) => (l[3] = l[3].split(',').slice(0, 2).join(','))), { mention: [`${file}:4`] });
  c('line with too many fields', (f) => editLines(f, (l) => (l[3] += ',1,2')), { mention: [`${file}:4`] });
  c('empty line inside', (f) => editLines(f, (l) => l.splice(3, 0, '')), { mention: [`${file}:4`] });
  c('semicolon delimiter', (f) => write(f, read(f).replaceAll(',', ';')), { mention: [`${file}:1`] });
  c('tab delimiter', (f) => write(f, read(f).replaceAll(',', '\t')), { mention: [`${file}:1`] });
  c('quoted fields', (f) => editLines(f, (l) => (l[2] = l[2].split(',').map((v) => `"${v}"`).join(','))), { either: true, mention: [`${file}:3`] });
  c('UTF-8 BOM', (f) => write(f, `\xef\xbb\xbf${read(f)}`), { either: true, mention: [`${file}:1`] });
  c('CRLF line ends', (f) => write(f, read(f).replaceAll('\n', '\r\n')), { valid: true, reader: 'inspect', same: 'inspect' });
  c('no newline at the end', (f) => write(f, read(f).replace(/\n$/, '')), { valid: true, reader: 'pre-only', same: 'preOnly' });
  c('gzip', (f) => gzipFile(f), { valid: true, reader: 'inspect', same: 'inspect' });
  c('gzip truncated', (f) => gzipFile(f, (gz) => gz.subarray(0, gz.length >> 1)), { mention: [`${file}.gz`] });
  c('gzip with flipped bytes', (f) => gzipFile(f, (gz) => { for (let i = 20; i < 60; i++) gz[i] ^= 0xff; return gz; }), { mention: [`${file}.gz`] });
  c('not gzip but named .gz', (f) => { writeFileSync(`${f}.gz`, readFileSync(f)); rmSync(f); }, { either: true, mention: [`${file}.gz`] });
  c('escape sequence in header', (f) => editLines(f, (l) => (l[0] = l[0].replace(columns[number], `\x1b[31m${columns[number]}\x1b]0;owned\x07`))), { mention: [`${file}:1`] });
  c('control characters in a value', (f) => editLines(f, (l) => field(l, 2, number, '1.5\x1b[2J\x08')), { mention: [`${file}:3`, `column '${columns[number]}'`] });
  c('NUL bytes in a line', (f) => editLines(f, (l) => (l[2] = `${l[2]}\0\0\0`)), { mention: [`${file}:3`] });
  c('very long single line', (f) => editLines(f, (l) => field(l, 2, number, '1'.repeat(3_000_000))), { mention: [`${file}:3`] });
  c('binary garbage', (f) => writeFileSync(f, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 97 + 13) % 256))), { mention: [file] });
  c('a folder in its place', (f) => { rmSync(f); mkdirSync(f); }, { mention: [file] });
}

// Cross-table consistency
const cross = (what, edit, spec) => csvCase('consistency', cases.length, what, edit, spec);
cross('truth hit_id not in hits', (d) => editLines(join(d, TRUTH), (l) => field(l, 4, 0, '99999')), { mention: [`${TRUTH}:5`, "column 'hit_id'"] });
cross('hit without a truth row', (d) => editLines(join(d, TRUTH), (l) => l.splice(10, 1)), { mention: [TRUTH] });
cross('truth particle_id not in particles', (d) => editLines(join(d, TRUTH), (l) => field(l, 4, 1, '4503668346847999')), { either: true, mention: [`${TRUTH}:5`, "column 'particle_id'"] });
cross('particles header only, truth with particles', (d) => write(join(d, PARTICLES), `${TABLES.particles.columns.join(',')}\n`), { either: true, mention: [E] });
cross('hits file missing', (d) => rmSync(join(d, HITS)), { mention: ['in'] });
cross('particles file missing', (d) => rmSync(join(d, PARTICLES)), { mention: [PARTICLES] });
cross('truth file missing', (d) => rmSync(join(d, TRUTH)), { reader: 'pretrain', mention: [TRUTH] });
cross('plain and gzip file of one table', (d) => writeFileSync(join(d, `${PARTICLES}.gz`), gzipSync(readFileSync(join(d, PARTICLES)))), { mention: [PARTICLES] });
cross('empty folder', (d) => { rmSync(d, { recursive: true }); mkdirSync(d); }, { mention: ['in'] });

// ---- cells: no command reads them (TrackML's cells are unused downstream), so a broken cells
// file must not stop a command: the result is that of the unbroken event.
for (const [what, edit] of [
  ['missing column', (f) => editLines(f, (l) => (l[0] = 'hit_id,ch0,value'))],
  ['non-numeric value', (f) => editLines(f, (l) => field(l, 2, 3, 'abc'))],
  ['empty file', (f) => write(f, '')],
  ['gzip truncated', (f) => gzipFile(f, (gz) => gz.subarray(0, 10))],
  ['escape sequence in header', (f) => editLines(f, (l) => (l[0] = 'hit_id,\x1b[31mch0,ch1,value'))],
  ['hit_id not in hits', (f) => editLines(f, (l) => field(l, 1, 0, '99999'))],
]) {
  add(`cells-csv/${what} (inspect)`, { setup: withOne((d) => edit(join(d, CELLS))), args: READERS.inspect, valid: true, same: 'inspect' });
}

// ---- the submission CSV, through score (and export-phoenix)
const sub = (what, edit, spec = {}) =>
  add(`submission-csv/${what}${spec.phoenix ? ' (export-phoenix)' : ''}`, {
    setup: withOne((_, dir) => edit(join(dir, 'sub.csv'), dir)),
    args: spec.phoenix ? () => ['export-phoenix', '--in', 'in', '--event-id', '2', '--submission', 'sub.csv', '--out', 'out/e.json'] : () => ['score', '--truth', 'in', '--submission', 'sub.csv', '--logdir', 'out', '--no-progress'],
    ...spec,
  });
sub('missing column', (f) => editLines(f, (l) => l.forEach((x, i) => (l[i] = x.split(',').slice(0, 2).join(',')))), { mention: ['sub.csv:1', "column 'track_id'"] });
sub('extra column', (f) => editLines(f, (l) => l.forEach((x, i) => x !== '' && (l[i] = `${x},${i === 0 ? 'score' : '0.5'}`))), { mention: ['sub.csv:1', "column 'score'"] });
sub('renamed column', (f) => editLines(f, (l) => (l[0] = 'event_id,hit_id,track')), { mention: ['sub.csv:1', "column 'track'"] });
sub('duplicated column', (f) => editLines(f, (l) => (l[0] = 'event_id,hit_id,hit_id')), { mention: ['sub.csv:1', "column 'hit_id'"] });
sub('columns reordered', (f) => editLines(f, (l) => l.forEach((x, i) => { if (x === '') return; const [a, b, t] = x.split(','); l[i] = [t, a, b].join(','); })), { valid: true, same: 'score' });
sub('empty file', (f) => write(f, ''), { mention: ['sub.csv:1'] });
sub('header only', (f) => write(f, 'event_id,hit_id,track_id\n'), { mention: ['sub.csv'] });
sub('non-numeric track_id', (f) => editLines(f, (l) => field(l, 5, 2, 'seven')), { mention: ['sub.csv:6', "column 'track_id'"] });
sub('NaN track_id', (f) => editLines(f, (l) => field(l, 5, 2, 'nan')), { mention: ['sub.csv:6', "column 'track_id'"] });
sub('Inf hit_id', (f) => editLines(f, (l) => field(l, 5, 1, 'Infinity')), { mention: ['sub.csv:6', "column 'hit_id'"] });
sub('float track_id', (f) => editLines(f, (l) => field(l, 5, 2, '1.5')), { mention: ['sub.csv:6', "column 'track_id'"] });
sub('track_id beyond 32 bits', (f) => editLines(f, (l) => field(l, 5, 2, '4294967297')), { mention: ['sub.csv:6', "column 'track_id'"] });
sub('negative event_id', (f) => editLines(f, (l) => field(l, 5, 0, '-2')), { mention: ['sub.csv', '-2'] });
sub('hit_id not in the event', (f) => editLines(f, (l) => field(l, 5, 1, '99999')), { mention: ['sub.csv', '99999'] });
sub('duplicate hit_id', (f) => editLines(f, (l) => field(l, 5, 1, l[4].split(',')[1])), { mention: ['sub.csv', "column 'hit_id'"] });
sub('hits missing from the submission', (f) => editLines(f, (l) => l.splice(5, 3)), { mention: ['sub.csv'] });
sub('event not in the truth', (f) => editLines(f, (l) => l.forEach((x, i) => i > 0 && x !== '' && (l[i] = setField(x, 0, '7')))), { mention: ['sub.csv', '7'] });
sub('truncated last line', (f) => write(f, read(f).replace(/,\d+\n$/, '')), { mention: ['sub.csv', "column 'track_id'"] });
sub('semicolon delimiter', (f) => write(f, read(f).replaceAll(',', ';')), { mention: ['sub.csv:1'] });
sub('UTF-8 BOM', (f) => write(f, `\xef\xbb\xbf${read(f)}`), { either: true, mention: ['sub.csv:1'] });
sub('CRLF line ends', (f) => write(f, read(f).replaceAll('\n', '\r\n')), { valid: true, same: 'score' });
sub('gzip (.csv.gz named .csv)', (f) => writeFileSync(f, gzipSync(readFileSync(f))), { either: true, mention: ['sub.csv'] });
sub('escape sequence in header', (f) => editLines(f, (l) => (l[0] = 'event_id,\x1b[1;31mhit_id\x1b[0m,track_id')), { mention: ['sub.csv:1'] });
sub('very long single line', (f) => editLines(f, (l) => field(l, 3, 2, '9'.repeat(3_000_000))), { mention: ['sub.csv:4'] });
sub('NUL bytes', (f) => editLines(f, (l) => (l[3] = `\0${l[3]}`)), { mention: ['sub.csv:4'] });
sub('a folder in its place', (f) => { rmSync(f); mkdirSync(f); }, { mention: ['sub.csv'] });
sub('non-numeric track_id', (f) => editLines(f, (l) => field(l, 5, 2, 'seven')), { phoenix: true, mention: ['sub.csv:6', "column 'track_id'"] });
sub('duplicate hit_id', (f) => editLines(f, (l) => field(l, 5, 1, l[4].split(',')[1])), { phoenix: true, mention: ['sub.csv', 'event 2', 'hit_id 4'] });
sub('hit_id not in the event', (f) => editLines(f, (l) => field(l, 5, 1, '99999')), { phoenix: true, mention: ['sub.csv', '99999'] });
{
  const gz = (what, damage, spec) =>
    add(`submission-csv/${what}`, {
      setup: withOne((_, dir) => writeFileSync(join(dir, 'sub.csv.gz'), damage(gzipSync(readFileSync(join(dir, 'sub.csv')))))),
      args: () => ['score', '--truth', 'in', '--submission', 'sub.csv.gz', '--no-progress'],
      ...spec,
    });
  gz('gzip', (b) => b, { valid: true, same: 'score' });
  gz('gzip truncated', (b) => b.subarray(0, b.length - 40), { mention: ['sub.csv.gz'] });
  gz('gzip with flipped bytes', (b) => { for (let i = 30; i < 50; i++) b[i] ^= 0x5a; return b; }, { mention: ['sub.csv.gz'] });
}

// ---- simulate --particles: a particles table given by the user
const simParticles = (what, text, spec) =>
  add(`particles-input/${what} (simulate --particles)`, {
    setup: (dir) => write(join(dir, 'p.csv'), text),
    args: () => ['simulate', '--particles', 'p.csv', '--out', 'out', '--no-progress'],
    ...spec,
  });
const P_HEAD = 'particle_id,vx,vy,vz,px,py,pz,q';
simParticles('non-numeric momentum', `${P_HEAD}\n4503668346847232,0,0,0,1.0,abc,0.2,1\n`, { mention: ['p.csv:2', "column 'py'"] });
simParticles('missing column', 'particle_id,vx,vy,vz,px,py,pz\n4503668346847232,0,0,0,1.0,0.5,0.2\n', { mention: ['p.csv:1', "column 'q'"] });
simParticles('empty file', '', { mention: ['p.csv:1'] });
simParticles('charge 5', `${P_HEAD}\n4503668346847232,0,0,0,1.0,0.5,0.2,5\n`, { either: true, mention: ['p.csv:2', "column 'q'"] });
simParticles('zero momentum', `${P_HEAD}\n4503668346847232,0,0,0,0,0,0,1\n`, { either: true, mention: ['p.csv:2'] });
simParticles('NaN vertex', `${P_HEAD}\n4503668346847232,nan,0,0,1.0,0.5,0.2,1\n`, { mention: ['p.csv:2', "column 'vx'"] });
simParticles('CRLF line ends', `${P_HEAD}\r\n4503668346847232,0,0,0,1.0,0.5,0.2,1\r\n`, { valid: true });
add('particles-input/nonexistent file (simulate --particles)', { args: () => ['simulate', '--particles', 'nope.csv', '--out', 'out', '--no-progress'], mention: ['nope.csv'] });

// ---- Arrow stores
const store = (what, from, edit, spec) =>
  add(`arrow-store/${what}`, {
    setup: (dir, fx) => {
      cpSync(join(fx.dir, from), join(dir, 'in'), { recursive: true });
      copyFileSync(join(fx.dir, 'sub.csv'), join(dir, 'sub.csv'));
      edit(join(dir, 'in'), fx);
    },
    args: spec.args ?? (() => ['inspect', 'in', '--no-progress']),
    ...spec,
  });
const flip = (file, at, n = 16) => {
  const b = readFileSync(file);
  const start = typeof at === 'function' ? at(b.length) : at;
  for (let i = start; i < start + n && i < b.length; i++) b[i] ^= 0xa5;
  writeFileSync(file, b);
};
const cut = (file, keepBytes) => {
  const b = readFileSync(file);
  writeFileSync(file, b.subarray(0, typeof keepBytes === 'function' ? keepBytes(b.length) : keepBytes));
};
const scoreArgs = () => ['score', '--truth', 'in', '--submission', 'sub.csv', '--logdir', 'out', '--no-progress'];
const convertArgs = () => ['submission', '--truth', 'in', '--out', 'out/s.csv', '--no-progress'];
store('flipped bytes in the magic', 'arrow', (d) => flip(join(d, 'hits.arrow'), 0, 6), { mention: ['hits.arrow'] });
store('flipped bytes in a record batch', 'arrow', (d) => flip(join(d, 'hits.arrow'), (n) => n >> 1), { mention: ['hits.arrow'] });
store('flipped bytes in the footer', 'arrow', (d) => flip(join(d, 'truth.arrow'), (n) => n - 40, 8), { args: scoreArgs, mention: ['truth.arrow'] });
store('flipped bytes in particles', 'arrow', (d) => flip(join(d, 'particles.arrow'), (n) => n >> 2), { mention: ['particles.arrow'] });
store('truncated to half', 'arrow', (d) => cut(join(d, 'hits.arrow'), (n) => n >> 1), { mention: ['hits.arrow'] });
store('truncated by 3 bytes', 'arrow', (d) => cut(join(d, 'truth.arrow'), (n) => n - 3), { args: scoreArgs, mention: ['truth.arrow'] });
store('empty file', 'arrow', (d) => write(join(d, 'particles.arrow'), ''), { mention: ['particles.arrow'] });
store('a CSV file in its place', 'arrow', (d, fx) => copyFileSync(join(fx.dir, 'csv', HITS), join(d, 'hits.arrow')), { mention: ['hits.arrow'] });
store('hits.arrow missing', 'arrow', (d) => rmSync(join(d, 'hits.arrow')), { mention: ['hits.arrow'] });
store('truth.arrow missing, scored', 'arrow', (d) => rmSync(join(d, 'truth.arrow')), { args: scoreArgs, mention: ['truth'] });
store('wrong schema (particles as hits)', 'arrow', (d) => copyFileSync(join(d, 'particles.arrow'), join(d, 'hits.arrow')), { mention: ['hits.arrow'] });
store('wrong schema (hits as truth)', 'arrow', (d) => copyFileSync(join(d, 'hits.arrow'), join(d, 'truth.arrow')), { args: convertArgs, mention: ['truth.arrow'] });
store("truth of another store's events", 'arrow', (d, fx) => copyFileSync(join(fx.dir, 'arrow-seed2', 'truth.arrow'), join(d, 'truth.arrow')), { args: scoreArgs, mention: ['truth.arrow'] });
store("hits of another store's events", 'arrow', (d, fx) => copyFileSync(join(fx.dir, 'arrow-seed2', 'hits.arrow'), join(d, 'hits.arrow')), { mention: ['hits.arrow'] });
store('per-event: hits file of another event', 'arrow-pe', (d) => copyFileSync(join(d, 'event000000001-hits.arrow'), join(d, 'event000000002-hits.arrow')), { mention: ['event000000002-hits.arrow'] });
store('per-event: truth file of another event', 'arrow-pe', (d) => copyFileSync(join(d, 'event000000000-truth.arrow'), join(d, 'event000000002-truth.arrow')), { args: scoreArgs, mention: ['event000000002-truth.arrow'] });
store('per-event: truncated', 'arrow-pe', (d) => cut(join(d, 'event000000001-particles.arrow'), 100), { mention: ['event000000001-particles.arrow'] });
store('per-event: flipped bytes', 'arrow-pe', (d) => flip(join(d, 'event000000000-hits.arrow'), (n) => n >> 1), { args: convertArgs, mention: ['event000000000-hits.arrow'] });
store('per-event: hits file missing', 'arrow-pe', (d) => rmSync(join(d, 'event000000001-hits.arrow')), { mention: ['event000000001'] });
store('manifest missing', 'arrow', (d) => rmSync(join(d, 'manifest.json')), { either: true, mention: ['manifest.json'] });
store('manifest not JSON', 'arrow', (d) => write(join(d, 'manifest.json'), '{"format": "hypertrack-arrow-store-manifest", "vers'), { mention: ['manifest.json'] });
store('manifest of another store', 'arrow', (d, fx) => copyFileSync(join(fx.dir, 'arrow-seed2', 'manifest.json'), join(d, 'manifest.json')), { mention: ['hits.arrow', 'manifest.json'] });
store('manifest with escape sequences', 'arrow', (d) => editJson(join(d, 'manifest.json'), (m) => { m.files[0].name = '\x1b[31mhits.arrow\x1b[0m'; }), { mention: ['manifest.json'] });
store('an unknown file in the store', 'arrow', (d) => write(join(d, 'notes.txt'), 'mine'), { valid: true });
store('store is a file', 'arrow', (d) => { rmSync(d, { recursive: true }); write(d, 'not a store'); }, { mention: ['in'] });
store('events out of the store', 'arrow', () => {}, { args: () => ['inspect', 'in', '--events', '7-9', '--no-progress'], mention: ['--events'] });

// ---- the Voxel-Dynamics model file
const vdm = (what, edit, spec = {}) =>
  add(`voxdyn-model/${what}${spec.train ? ' (train)' : spec.full ? ' (infer)' : ''}`, {
    setup: (dir, fx) => {
      cpSync(join(fx.dir, 'one'), join(dir, 'in'), { recursive: true });
      copyFileSync(fx.vd, join(dir, 'vd.vdm'));
      edit(join(dir, 'vd.vdm'));
    },
    args: (fx) =>
      spec.train
        ? [...trainArgs('vd.vdm', join(fx.dir, 'arrow')), '--config', join(fx.dir, 'small.yaml'), '--logdir', 'run']
        : ['infer', ...(spec.full ? ['--gnn', fx.gnn] : ['--pre-only']), '--vd-model', 'vd.vdm', '--in', 'in', '--logdir', 'out', '--no-progress'],
    mention: ['vd.vdm'],
    ...spec,
  });
vdm('NaN centroid', (f) => editVdm(f, (m) => (m.centroids[5] = NaN)));
vdm('infinite centroid', (f) => editVdm(f, (m) => (m.centroids[0] = Infinity)), { train: true });
vdm('edge endpoint out of range', (f) => editVdm(f, (m) => (m.indices[3] = m.header.ncell + 7)));
vdm('negative edge endpoint', (f) => editVdm(f, (m) => (m.indices[0] = -1)), { full: true });
vdm('row pointers decreasing', (f) => editVdm(f, (m) => (m.indptr[5] = m.indptr[4] - 1)));
vdm('row pointers past the entries', (f) => editVdm(f, (m) => (m.indptr[m.indptr.length - 1] += 10)));
vdm('zero count', (f) => editVdm(f, (m) => (m.counts[2] = 0)), { either: true });
vdm('wrong magic', (f) => flip(f, 0, 2));
vdm('wrong version', (f) => editVdm(f, (m) => (m.version = 2)));
vdm('truncated to half', (f) => cut(f, (n) => n >> 1));
vdm('truncated by 4 bytes', (f) => cut(f, (n) => n - 4), { train: true });
vdm('shorter than the preamble', (f) => cut(f, 10));
vdm('empty file', (f) => write(f, ''));
vdm('flipped byte (checksum)', (f) => flip(f, (n) => n - 100, 1));
vdm('header JSON null', (f) => editVdm(f, (m) => (m.header = 'null')));
vdm('header not JSON', (f) => editVdm(f, (m) => (m.header = `${JSON.stringify(m.header).slice(0, -3)}`)));
vdm('header ncell too large', (f) => editVdm(f, (m) => (m.header.ncell += 1)));
vdm('header dim 0', (f) => editVdm(f, (m) => (m.header.dim = 0)));
vdm('unknown node2node', (f) => editVdm(f, (m) => (m.header.node2node = 'teleport')));
vdm('node2node with escape sequence', (f) => editVdm(f, (m) => (m.header.node2node = '\x1b[31mhyper')));
vdm('training events not ranges', (f) => editVdm(f, (m) => (m.header.stats.trainingEvents = [[5, 2]])));
vdm('3-dim model, 2-dim centroids claimed', (f) => editVdm(f, (m) => (m.header.dim = 2)));
vdm('a folder in its place', (f) => { rmSync(f); mkdirSync(f); });
vdm('a GNN checkpoint in its place', (f) => copyFileSync(join(root, 'models/gnn-tune6-mu2/model.safetensors'), f), { full: true });
add('voxdyn-model/nonexistent (infer)', { setup: withOne(), args: () => ['infer', '--pre-only', '--vd-model', 'nope.vdm', '--in', 'in', '--no-progress'], mention: ['nope.vdm'] });
add('voxdyn-model/nonexistent (train)', { args: (fx) => [...trainArgs('nope.vdm', join(fx.dir, 'arrow')), '--logdir', 'run'], mention: ['nope.vdm'] });

// ---- the GNN checkpoint (trainer.json + model.safetensors), through infer
const gnn = (what, edit, spec = {}) =>
  add(`gnn-checkpoint/${what}`, {
    setup: (dir, fx) => {
      cpSync(join(fx.dir, 'one'), join(dir, 'in'), { recursive: true });
      cpSync(fx.gnn, join(dir, 'ckpt'), { recursive: true });
      edit(join(dir, 'ckpt'), fx);
    },
    args: (fx) => ['infer', '--vd-model', fx.vd, '--gnn', 'ckpt', '--in', 'in', '--logdir', 'out', '--no-progress'],
    ...spec,
  });
const meta = (d) => join(d, 'trainer.json');
const weights = (d) => join(d, 'model.safetensors');
for (const [key, value] of [
  ['nstack', -1],
  ['nstack', 0],
  ['nstack', 2.5],
  ['nstack', 'five'],
  ['hDim', 0],
  ['zDim', -3],
  ['mDim', null],
  ['correlateHidden', 'wide'],
  ['correlateHidden', [-4]],
  ['edgeType', 'cosine-ish'],
  ['act', 'relu6x'],
  ['aggregation', 'median'],
  ['bn', 'yes'],
  ['coordDim', 0],
]) {
  gnn(`trainer.json gnn.${key} = ${JSON.stringify(value)}`, (d) => editJson(meta(d), (m) => (m.gnn[key] = value)), { mention: ['trainer.json', key] });
}
gnn('trainer.json gnn.hDim missing', (d) => editJson(meta(d), (m) => delete m.gnn.hDim), { mention: ['trainer.json', 'hDim'] });
gnn('trainer.json unknown gnn key', (d) => editJson(meta(d), (m) => (m.gnn.dropout = 0.1)), { mention: ['trainer.json', 'dropout'] });
gnn('trainer.json gnn missing', (d) => editJson(meta(d), (m) => delete m.gnn), { mention: ['trainer.json', 'gnn'] });
gnn('trainer.json gnn not an object', (d) => editJson(meta(d), (m) => (m.gnn = 'big')), { mention: ['trainer.json', 'gnn'] });
gnn('trainer.json format missing', (d) => editJson(meta(d), (m) => delete m.format), { mention: ['trainer.json'] });
gnn('trainer.json version 99', (d) => editJson(meta(d), (m) => (m.version = 99)), { mention: ['trainer.json'] });
gnn('trainer.json step negative', (d) => editJson(meta(d), (m) => (m.step = -5)), { mention: ['trainer.json', 'step'] });
gnn('trainer.json invalid JSON', (d) => write(meta(d), read(meta(d)).slice(0, 200)), { mention: ['trainer.json'] });
gnn('trainer.json empty', (d) => write(meta(d), ''), { mention: ['trainer.json'] });
gnn('trainer.json an array', (d) => write(meta(d), '[1, 2, 3]\n'), { mention: ['trainer.json'] });
gnn('trainer.json null', (d) => write(meta(d), 'null\n'), { mention: ['trainer.json'] });
gnn('trainer.json missing', (d) => rmSync(meta(d)), { mention: ['ckpt'] });
gnn('trainer.json with escape sequence in a value', (d) => editJson(meta(d), (m) => (m.gnn.edgeType = '\x1b]0;title\x07x')), { mention: ['trainer.json', 'edgeType'] });
gnn('model.safetensors missing', (d) => rmSync(weights(d)), { mention: ['model.safetensors'] });
gnn('model.safetensors empty', (d) => write(weights(d), ''), { mention: ['model.safetensors'] });
gnn('model.safetensors truncated', (d) => cut(weights(d), (n) => n >> 1), { mention: ['model.safetensors'] });
gnn('model.safetensors truncated in the header', (d) => cut(weights(d), 40), { mention: ['model.safetensors'] });
gnn('model.safetensors header length too large', (d) => { const b = readFileSync(weights(d)); b.writeBigUInt64LE(1n << 40n, 0); writeFileSync(weights(d), b); }, { mention: ['model.safetensors'] });
gnn('model.safetensors header not JSON', (d) => { const b = readFileSync(weights(d)); b.write('{{{{', 8, 'latin1'); writeFileSync(weights(d), b); }, { mention: ['model.safetensors'] });
gnn('model.safetensors wrong dtype (I32)', (d) => editSafetensors(weights(d), (st) => (firstMatrix(st)[1].dtype = 'I32')), { mention: ['model.safetensors'] });
gnn('model.safetensors unknown dtype', (d) => editSafetensors(weights(d), (st) => (firstMatrix(st)[1].dtype = 'F8')), { mention: ['model.safetensors'] });
gnn('model.safetensors float64 weights', (d) => editSafetensors(weights(d), (st) => { for (const t of st.tensors.values()) if (t.dtype === 'F32') { t.data = Buffer.from(Float64Array.from(new Float32Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.length))).buffer); t.dtype = 'F64'; } }), { valid: true });
gnn('model.safetensors wrong shape (transposed)', (d) => editSafetensors(weights(d), (st) => firstMatrix(st)[1].shape.reverse()), { mention: ['model.safetensors'] });
gnn('model.safetensors shape does not match data', (d) => editSafetensors(weights(d), (st) => (firstMatrix(st)[1].shape[0] += 1)), { mention: ['model.safetensors'] });
gnn('model.safetensors NaN weight', (d) => editSafetensors(weights(d), (st) => firstMatrix(st)[1].data.writeFloatLE(NaN, 8)), { mention: ['model.safetensors'] });
gnn('model.safetensors infinite weight', (d) => editSafetensors(weights(d), (st) => firstMatrix(st)[1].data.writeFloatLE(-Infinity, 0)), { mention: ['model.safetensors'] });
gnn('model.safetensors tensor missing', (d) => editSafetensors(weights(d), (st) => st.tensors.delete(firstMatrix(st)[0])), { mention: ['model.safetensors'] });
gnn('model.safetensors extra tensor', (d) => editSafetensors(weights(d), (st) => st.tensors.set('extra.weight', { dtype: 'F32', shape: [2], data: Buffer.alloc(8) })), { mention: ['model.safetensors', 'extra.weight'] });
gnn('model.safetensors data offsets out of range', (d) => { const st = parseSafetensors(readFileSync(weights(d))); const b = encodeSafetensors(st); writeFileSync(weights(d), b.subarray(0, b.length - 8)); }, { mention: ['model.safetensors'] });
gnn('model.safetensors a folder', (d) => { rmSync(weights(d)); mkdirSync(weights(d)); }, { mention: ['model.safetensors'] });
gnn('a voxdyn model in its place', (d, fx) => copyFileSync(fx.vd, weights(d)), { mention: ['model.safetensors'] });
gnn('weights of another model size', (d) => editJson(meta(d), (m) => (m.gnn.hDim = 32)), { mention: ['model.safetensors'] });
gnn('empty checkpoint folder', (d) => { rmSync(d, { recursive: true }); mkdirSync(d); }, { mention: ['ckpt'] });
gnn('checkpoint is a file', (d) => { rmSync(d, { recursive: true }); write(d, 'x'); }, { mention: ['ckpt'] });
gnn('folder of step checkpoints, newest broken', (d) => {
  const steps = join(dirname(d), 'steps');
  cpSync(d, join(steps, 'step-000000001'), { recursive: true });
  cpSync(d, join(steps, 'step-000000002'), { recursive: true });
  write(join(steps, 'step-000000002', 'trainer.json'), '{');
  rmSync(d, { recursive: true });
  cpSync(steps, d, { recursive: true });
  rmSync(steps, { recursive: true });
}, { mention: ['step-000000002', 'trainer.json'] });
add('gnn-checkpoint/nonexistent', { setup: withOne(), args: (fx) => ['infer', '--vd-model', fx.vd, '--gnn', 'nope', '--in', 'in', '--no-progress'], mention: ['nope'] });
add('gnn-checkpoint/--transformer of a GNN-only checkpoint', { setup: withOne(), args: (fx) => ['infer', '--vd-model', fx.vd, '--gnn', fx.gnn, '--cluster', 'transformer', '--in', 'in', '--no-progress'], mention: ['trainer.json'] });

// The training checkpoint (with optimizer state), resumed by train
const resume = (what, edit, spec) =>
  add(`train-checkpoint/${what}`, {
    setup: (dir, fx) => {
      cpSync(join(fx.dir, 'run', 'checkpoints', 'default', 'step-000000001'), join(dir, 'ckpt'), { recursive: true });
      edit(join(dir, 'ckpt'));
    },
    args: (fx) => [...trainArgs(fx.vd, join(fx.dir, 'arrow')), '--config', join(fx.dir, 'small.yaml'), '--iterations', '2', '--logdir', 'run', ...(spec.flag ?? ['--resume', 'ckpt'])],
    ...spec,
  });
resume('optimizer.safetensors truncated', (d) => cut(join(d, 'optimizer.safetensors'), (n) => n - 10), { mention: ['optimizer.safetensors'] });
resume('optimizer.safetensors missing', (d) => rmSync(join(d, 'optimizer.safetensors')), { mention: ['optimizer.safetensors'] });
resume('optimizer state of another shape', (d) => editSafetensors(join(d, 'optimizer.safetensors'), (st) => { const [, t] = [...st.tensors.entries()].find(([, x]) => x.shape.length === 2 && x.shape[0] !== x.shape[1]); t.shape.reverse(); }), { mention: ['optimizer.safetensors'] });
resume('model.safetensors NaN weight', (d) => editSafetensors(weights(d), (st) => firstMatrix(st)[1].data.writeFloatLE(NaN, 4)), { mention: ['model.safetensors'] });
resume('trainer.json nstack -1', (d) => editJson(meta(d), (m) => (m.gnn.nstack = -1)), { mention: ['trainer.json', 'nstack'] });
resume('trainer.json step "x"', (d) => editJson(meta(d), (m) => (m.step = 'x')), { mention: ['trainer.json', 'step'] });
resume('trainer.json training.learningRate -1', (d) => editJson(meta(d), (m) => (m.training.learningRate = -1)), { mention: ['trainer.json', 'learningRate'] });
resume('--checkpoint with a wrong dtype', (d) => editSafetensors(weights(d), (st) => (firstMatrix(st)[1].dtype = 'I32')), { flag: ['--checkpoint', 'ckpt'], mention: ['model.safetensors'] });
resume('--checkpoint of another model size', () => {}, { flag: ['--checkpoint', 'ckpt', '--set', 'model.hDim=16'], mention: ['model.safetensors'] });
resume('--resume nonexistent', () => {}, { flag: ['--resume', 'nope'], mention: ['nope'] });
resume('--checkpoint nonexistent', () => {}, { flag: ['--checkpoint', 'nope'], mention: ['nope'] });

// ---- config files for train --config and infer --config
const config = (what, name, text, spec = {}) =>
  add(`config/${what} (${spec.infer ? 'infer' : 'train'} --config)`, {
    setup: (dir) => write(join(dir, name), text),
    args: (fx) => (spec.infer ? ['infer', '--vd-model', fx.vd, '--gnn', fx.gnn, '--in', join(fx.dir, 'one'), '--config', name, '--no-progress'] : [...trainArgs(fx.vd, join(fx.dir, 'arrow')), '--config', name, '--logdir', 'run']),
    ...spec,
  });
const SMALL = 'model:\n  nstack: 1\n  hDim: 8\n  mDim: 8\n  zDim: 6\n  correlateHidden: [4]\n';
config('YAML syntax error', 't.yaml', `${SMALL}training:\n  learningRate: [0.1\n`, { mention: ['t.yaml:9'] });
config('YAML syntax error', 't.yaml', 'cluster:\n  edgeThreshold: 0.5\n bad indent: 1\n', { infer: true, mention: ['t.yaml:3'] });
config('YAML tab indentation', 't.yaml', 'model:\n\tnstack: 1\n', { mention: ['t.yaml:2'] });
config('unknown top-level key', 't.yaml', `${SMALL}trainer:\n  lr: 1\n`, { mention: ['t.yaml', 'trainer'] });
config('unknown nested key', 't.yaml', `${SMALL}  dropout: 0.1\n`, { mention: ['t.yaml', 'model.dropout'] });
config('unknown key', 't.yaml', 'cluster:\n  edgeTreshold: 0.5\n', { infer: true, mention: ['t.yaml', 'cluster.edgeTreshold'] });
config('wrong type (string for number)', 't.yaml', SMALL.replace('nstack: 1', 'nstack: five'), { mention: ['t.yaml', 'model.nstack'] });
config('wrong type (list for number)', 't.yaml', 'cluster:\n  edgeThreshold: [0.5]\n', { infer: true, mention: ['t.yaml', 'cluster.edgeThreshold'] });
config('wrong type (number for list)', 't.yaml', SMALL.replace('correlateHidden: [4]', 'correlateHidden: 4'), { mention: ['t.yaml', 'model.correlateHidden'] });
config('wrong type (section is a number)', 't.yaml', 'training: 5\n', { mention: ['t.yaml', 'training'] });
config('nstack -1', 't.yaml', SMALL.replace('nstack: 1', 'nstack: -1'), { mention: ['nstack'] });
config('hDim 0', 't.yaml', SMALL.replace('hDim: 8', 'hDim: 0'), { mention: ['hDim'] });
config('learning rate -1', 't.yaml', `${SMALL}training:\n  learningRate: -1\n`, { mention: ['learningRate'] });
config('learning rate .nan', 't.yaml', `${SMALL}training:\n  learningRate: .nan\n`, { mention: ['learningRate'] });
config('unknown optimizer', 't.yaml', `${SMALL}training:\n  optimizer: Adagrad\n`, { mention: ['optimizer'] });
config('edge threshold 1.5', 't.yaml', 'cluster:\n  edgeThreshold: 1.5\n', { infer: true, mention: ['edgeThreshold'] });
config('min graph 0', 't.yaml', 'cluster:\n  minGraph: 0\n', { infer: true, mention: ['minGraph'] });
config('rfactorStart 0', 't.yaml', `${SMALL}data:\n  rfactorStart: 0\n`, { mention: ['rfactorStart'] });
config('batch size 0', 't.yaml', `${SMALL}data:\n  batchSize: 0\n`, { mention: ['batchSize'] });
config('a list at the top', 't.yaml', '- 1\n- 2\n', { mention: ['t.yaml'] });
config('a scalar at the top', 't.yaml', 'hello\n', { mention: ['t.yaml'] });
config('empty file', 't.yaml', '', { either: true, mention: ['t.yaml'] });
config('JSON syntax error', 't.json', '{"model": {"nstack": 1,}}', { mention: ['t.json'] });
config('JSON unknown key', 't.json', '{"modle": {}}', { mention: ['t.json', 'modle'] });
config('escape sequence in a key', 't.yaml', `${SMALL}"\\e[31mevil": 1\n`, { mention: ['t.yaml'] });
config('duplicate key', 't.yaml', `${SMALL}model:\n  nstack: 2\n`, { mention: ['t.yaml:7'] });
config('CRLF line ends', 't.yaml', SMALL.replaceAll('\n', '\r\n'), { valid: true });
config('valid tune', 't.yaml', 'cluster:\n  edgeThreshold: 0.6\n', { infer: true, valid: true });
config('recipe with an unknown stage key', 'r.yaml', `tune: ../../fixture/small.yaml\nstages:\n  - name: a\n    steps: 1\n    learningRate: 2\n`, { mention: ['r.yaml', 'learningRate'] });
config('recipe stage without an end', 'r.yaml', `stages:\n  - name: a\n`, { mention: ['r.yaml', 'stages[0]'] });
add('config/nonexistent (train --config)', { args: (fx) => [...trainArgs(fx.vd, join(fx.dir, 'arrow')), '--config', 'nope.yaml', '--logdir', 'run'], mention: ['nope.yaml'] });
add('config/a folder (infer --config)', { setup: (dir) => mkdirSync(join(dir, 'c.yaml')), args: (fx) => ['infer', '--vd-model', fx.vd, '--gnn', fx.gnn, '--in', join(fx.dir, 'one'), '--config', 'c.yaml', '--no-progress'], mention: ['c.yaml'] });
const set = (what, value, spec = {}) =>
  add(`config/--set ${what} (${spec.infer ? 'infer' : 'train'})`, {
    args: (fx) => (spec.infer ? ['infer', '--vd-model', fx.vd, '--gnn', fx.gnn, '--in', join(fx.dir, 'one'), '--set', value, '--no-progress'] : [...trainArgs(fx.vd, join(fx.dir, 'arrow')), '--config', join(fx.dir, 'small.yaml'), '--set', value, '--logdir', 'run']),
    ...spec,
  });
set('unknown key', 'model.dropout=0.1', { mention: ['--set', 'model.dropout'] });
set('unknown section', 'optim.lr=0.1', { mention: ['--set', 'optim'] });
set('unknown key', 'cluster.threshold=0.5', { infer: true, mention: ['--set', 'cluster.threshold'] });
set('bad value', 'model.nstack=abc', { mention: ['--set', 'model.nstack'] });
set('bad value', 'cluster.edgeThreshold=high', { infer: true, mention: ['--set', 'cluster.edgeThreshold'] });
set('out of range', 'training.learningRate=-0.5', { mention: ['learningRate'] });
set('out of range', 'cluster.edgeThreshold=2', { infer: true, mention: ['edgeThreshold'] });
set('without =', 'model.nstack', { mention: ['--set'] });
set('empty key', '=5', { mention: ['--set'] });
set('YAML syntax error in the value', 'model.correlateHidden=[4,', { mention: ['--set', 'model.correlateHidden'] });
set('a whole section replaced by a number', 'model=3', { mention: ['--set', 'model'] });

// ---- flags of every command
const flagCase = (cmd, what, args, spec) => add(`flags/${cmd} ${what}`, { args: (fx) => (typeof args === 'function' ? args(fx) : args), ...spec });
const X = (fx) => ({ csv: join(fx.dir, 'csv'), one: join(fx.dir, 'one'), arrow: join(fx.dir, 'arrow'), sub: join(fx.dir, 'sub.csv'), run: join(fx.dir, 'scored') });
const aFile = (dir) => write(join(dir, 'afile'), 'a plain file\n');
// simulate
flagCase('simulate', '--events x', ['simulate', '--events', 'x', '--out', 'out'], { mention: ['--events'] });
flagCase('simulate', '--events 0', ['simulate', '--events', '0', '--out', 'out'], { mention: ['--events'] });
flagCase('simulate', '--events 1e3', ['simulate', '--events', '1e3', '--out', 'out'], { mention: ['--events'] });
flagCase('simulate', '--pileup -3', ['simulate', '--pileup', '-3', '--out', 'out'], { mention: ['--pileup'] });
flagCase('simulate', '--pileup NaN', ['simulate', '--pileup', 'NaN', '--out', 'out'], { mention: ['--pileup'] });
flagCase('simulate', '--seed -1', ['simulate', '--seed', '-1', '--out', 'out'], { mention: ['--seed'] });
flagCase('simulate', '--seed 1.5', ['simulate', '--seed', '1.5', '--out', 'out'], { mention: ['--seed'] });
flagCase('simulate', '--noise-fraction 1', ['simulate', '--noise-fraction', '1', '--out', 'out'], { mention: ['--noise-fraction'] });
flagCase('simulate', '--event-start -1', ['simulate', '--event-start', '-1', '--out', 'out'], { mention: ['--event-start'] });
flagCase('simulate', '--format parquet', ['simulate', '--format', 'parquet', '--out', 'out'], { mention: ['--format'] });
flagCase('simulate', '--layout flat', ['simulate', '--format', 'arrow', '--layout', 'flat', '--out', 'out'], { mention: ['--layout'] });
flagCase('simulate', 'without --out', ['simulate', '--events', '1'], { mention: ['--out'] });
flagCase('simulate', '--out under a file', ['simulate', '--pileup', '1', '--out', 'afile/x', '--no-progress'], { setup: aFile, mention: ['afile'] });
flagCase('simulate', '--out is a file', ['simulate', '--pileup', '1', '--out', 'afile', '--no-progress'], { setup: aFile, mention: ['afile'] });
flagCase('simulate', '--out in a missing folder', ['simulate', '--pileup', '1', '--out', 'a/b/c', '--no-progress'], { valid: true, made: ['a/b/c/event000000000-hits.csv'] });
flagCase('simulate', 'unknown option', ['simulate', '--evnets', '2', '--out', 'out'], { mention: ['--evnets'] });
flagCase('simulate', 'option without its value', ['simulate', '--out', 'out', '--events'], { mention: ['--events'] });
flagCase('hypertrack', 'unknown command', ['simulat', '--out', 'out'], { mention: ['simulat'] });
// convert
flagCase('convert', '--in nonexistent', ['convert', '--in', 'nope', '--out', 'out', '--no-progress'], { mention: ['nope'] });
flagCase('convert', '--in is a file', ['convert', '--in', 'afile', '--out', 'out', '--no-progress'], { setup: aFile, mention: ['afile'] });
flagCase('convert', '--events 5-2', (fx) => ['convert', '--in', X(fx).csv, '--out', 'out', '--events', '5-2', '--no-progress'], { mention: ['--events', '5-2'] });
flagCase('convert', '--events a-b', (fx) => ['convert', '--in', X(fx).csv, '--out', 'out', '--events', 'a-b', '--no-progress'], { mention: ['--events', 'a-b'] });
flagCase('convert', '--events 1-', (fx) => ['convert', '--in', X(fx).csv, '--out', 'out', '--events', '1-', '--no-progress'], { mention: ['--events'] });
flagCase('convert', '--events ,', (fx) => ['convert', '--in', X(fx).csv, '--out', 'out', '--events', ',', '--no-progress'], { mention: ['--events'] });
flagCase('convert', '--events 99 (none there)', (fx) => ['convert', '--in', X(fx).csv, '--out', 'out', '--events', '99', '--no-progress'], { mention: ['--events'] });
flagCase('convert', '--layout flat', (fx) => ['convert', '--in', X(fx).csv, '--out', 'out', '--layout', 'flat', '--no-progress'], { mention: ['--layout'] });
flagCase('convert', '--out under a file', (fx) => ['convert', '--in', X(fx).one, '--out', 'afile/store', '--no-progress'], { setup: aFile, mention: ['afile'] });
flagCase('convert', '--out in a missing folder', (fx) => ['convert', '--in', X(fx).one, '--out', 'a/b/c', '--no-progress'], { valid: true, made: ['a/b/c/hits.arrow'] });
flagCase('convert', 'without --in', ['convert', '--out', 'out'], { mention: ['--in'] });
// inspect
flagCase('inspect', 'nonexistent path', ['inspect', 'nope', '--no-progress'], { mention: ['nope'] });
flagCase('inspect', 'without a path', ['inspect', '--no-progress'], { mention: ['path'] });
flagCase('inspect', '--events 5-2', (fx) => ['inspect', X(fx).csv, '--events', '5-2', '--no-progress'], { mention: ['--events', '5-2'] });
flagCase('inspect', '--events -3', (fx) => ['inspect', X(fx).csv, '--events', '-3', '--no-progress'], { mention: ['--events'] });
flagCase('inspect', '--events 0-1e9999', (fx) => ['inspect', X(fx).csv, '--events', '0-1e9999', '--no-progress'], { mention: ['--events'] });
flagCase('inspect', 'a file with escape sequences in its name', ['inspect', 'bad\x1b[31mname', '--no-progress'], { mention: ['bad'] });
// submission
flagCase('submission', '--merge 2', (fx) => ['submission', '--truth', X(fx).one, '--out', 'out/s.csv', '--merge', '2'], { mention: ['--merge'] });
flagCase('submission', '--split -0.1', (fx) => ['submission', '--truth', X(fx).one, '--out', 'out/s.csv', '--split', '-0.1'], { mention: ['--split'] });
flagCase('submission', '--noise-into-tracks x', (fx) => ['submission', '--truth', X(fx).one, '--out', 'out/s.csv', '--noise-into-tracks', 'x'], { mention: ['--noise-into-tracks'] });
flagCase('submission', '--truth nonexistent', ['submission', '--truth', 'nope', '--out', 'out/s.csv', '--no-progress'], { mention: ['nope'] });
flagCase('submission', '--events a-b', (fx) => ['submission', '--truth', X(fx).csv, '--out', 'out/s.csv', '--events', 'a-b', '--no-progress'], { mention: ['--events', 'a-b'] });
flagCase('submission', '--out under a file', (fx) => ['submission', '--truth', X(fx).one, '--out', 'afile/s.csv', '--no-progress'], { setup: aFile, mention: ['afile'] });
flagCase('submission', '--out is a folder', (fx) => ['submission', '--truth', X(fx).one, '--out', 'dir', '--no-progress'], { setup: (d) => mkdirSync(join(d, 'dir')), mention: ['dir'] });
flagCase('submission', '--out a/b/c.csv in a missing folder', (fx) => ['submission', '--truth', X(fx).one, '--out', 'a/b/c.csv', '--no-progress'], { valid: true, made: ['a/b/c.csv'] });
flagCase('submission', '--out with .gz in a missing folder', (fx) => ['submission', '--truth', X(fx).one, '--out', 'a/b/c.csv.gz', '--no-progress'], { valid: true, made: ['a/b/c.csv.gz'] });
// score
flagCase('score', '--submission nonexistent', (fx) => ['score', '--truth', X(fx).csv, '--submission', 'nope.csv', '--no-progress'], { mention: ['nope.csv'] });
flagCase('score', '--truth nonexistent', (fx) => ['score', '--truth', 'nope', '--submission', X(fx).sub, '--no-progress'], { mention: ['nope'] });
flagCase('score', '--events 5-2', (fx) => ['score', '--truth', X(fx).csv, '--submission', X(fx).sub, '--events', '5-2', '--no-progress'], { mention: ['--events', '5-2'] });
flagCase('score', '--events 7 (not in the submission)', (fx) => ['score', '--truth', X(fx).csv, '--submission', X(fx).sub, '--events', '7', '--no-progress'], { mention: ['7'] });
flagCase('score', '--noise-track-id 2^40', (fx) => ['score', '--truth', X(fx).csv, '--submission', X(fx).sub, '--noise-track-id', '1099511627776'], { mention: ['--noise-track-id'] });
flagCase('score', '--logdir under a file', (fx) => ['score', '--truth', X(fx).csv, '--submission', X(fx).sub, '--logdir', 'afile/run', '--no-progress'], { setup: aFile, mention: ['afile'] });
flagCase('score', '--logdir in a missing folder', (fx) => ['score', '--truth', X(fx).csv, '--submission', X(fx).sub, '--logdir', 'a/b/run', '--no-progress'], { valid: true, made: ['a/b/run/results.json'] });
flagCase('score', 'truth without truth (CSV folder lacking truth files)', (fx) => ['score', '--truth', 'in', '--submission', X(fx).sub, '--events', '2', '--no-progress'], { setup: (d, fx) => { cpSync(join(fx.dir, 'one'), join(d, 'in'), { recursive: true }); rmSync(join(d, 'in', TRUTH)); }, mention: [TRUTH] });
// report
flagCase('report', 'nonexistent run folder', ['report', 'nope'], { mention: ['nope'] });
flagCase('report', 'run folder is a file', ['report', 'afile'], { setup: aFile, mention: ['afile'] });
flagCase('report', 'empty run folder', ['report', 'run'], { setup: (d) => mkdirSync(join(d, 'run')), either: true, mention: ['run'] });
const runCase = (what, edit, spec) => flagCase('report', what, ['report', 'run', '--no-png'], { setup: (d, fx) => { cpSync(X(fx).run, join(d, 'run'), { recursive: true }); edit(join(d, 'run')); }, ...spec });
runCase('results.json not JSON', (r) => write(join(r, 'results.json'), '{"events": '), { mention: ['results.json'] });
runCase('score/events.jsonl with a bad line', (r) => editLines(join(r, 'score', 'events.jsonl'), (l) => (l[1] = '{oops')), { mention: ['events.jsonl:2'] });
runCase('score/efficiency.json wrong shape', (r) => write(join(r, 'score', 'efficiency.json'), '[1,2,3]\n'), { mention: ['efficiency.json'] });
runCase('plots is a file', (r) => write(join(r, 'plots'), 'x'), { mention: ['plots'] });
// export-phoenix
flagCase('export-phoenix', '--event-id 99 (not there)', (fx) => ['export-phoenix', '--in', X(fx).csv, '--event-id', '99', '--out', 'out/e.json'], { mention: ['99'] });
flagCase('export-phoenix', '--event-id -1', (fx) => ['export-phoenix', '--in', X(fx).csv, '--event-id', '-1', '--out', 'out/e.json'], { mention: ['--event-id'] });
flagCase('export-phoenix', '--min-hits 0', (fx) => ['export-phoenix', '--in', X(fx).csv, '--min-hits', '0', '--out', 'out/e.json'], { mention: ['--min-hits'] });
flagCase('export-phoenix', '--min-pt -1', (fx) => ['export-phoenix', '--in', X(fx).csv, '--min-pt', '-1', '--out', 'out/e.json'], { mention: ['--min-pt'] });
flagCase('export-phoenix', '--max-tracks x', (fx) => ['export-phoenix', '--in', X(fx).csv, '--max-tracks', 'x', '--out', 'out/e.json'], { mention: ['--max-tracks'] });
flagCase('export-phoenix', '--hits some', (fx) => ['export-phoenix', '--in', X(fx).csv, '--hits', 'some', '--out', 'out/e.json'], { mention: ['--hits'] });
flagCase('export-phoenix', '--submission nonexistent', (fx) => ['export-phoenix', '--in', X(fx).csv, '--submission', 'nope.csv', '--out', 'out/e.json'], { mention: ['nope.csv'] });
flagCase('export-phoenix', '--out under a file', (fx) => ['export-phoenix', '--in', X(fx).one, '--out', 'afile/e.json'], { setup: aFile, mention: ['afile'] });
flagCase('export-phoenix', '--geometry under a file', (fx) => ['export-phoenix', '--in', X(fx).one, '--out', 'e.json', '--geometry', 'afile/g.gltf'], { setup: aFile, mention: ['afile'] });
flagCase('export-phoenix', '--out in a missing folder', (fx) => ['export-phoenix', '--in', X(fx).one, '--out', 'a/b/c.json'], { valid: true, made: ['a/b/c.json'] });
// pretrain-voxdyn
flagCase('pretrain-voxdyn', '--ncell 0', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--ncell', '0', '--out', 'out', '--no-progress'], { mention: ['--ncell'] });
flagCase('pretrain-voxdyn', '--ncell abc', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--ncell', 'abc', '--out', 'out', '--no-progress'], { mention: ['--ncell'] });
flagCase('pretrain-voxdyn', '--ncell 16 0 (second bad)', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--ncell', '16', '0', '--out', 'out', '--no-progress'], { mention: ['--ncell'] });
flagCase('pretrain-voxdyn', '--ncell more than the hits', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--ncell', '16', '100000', '--niter', '2', '--out', 'out', '--no-progress'], { mention: ['--ncell'] });
flagCase('pretrain-voxdyn', '--niter 0', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--niter', '0', '--out', 'out', '--no-progress'], { mention: ['--niter'] });
flagCase('pretrain-voxdyn', '--node2node foo', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--node2node', 'foo', '--ncell', '16', '--out', 'out', '--no-progress'], { mention: ['--node2node'] });
flagCase('pretrain-voxdyn', '--events 7-9 (none there)', (fx) => ['pretrain-voxdyn', '--in', X(fx).csv, '--events', '7-9', '--ncell', '16', '--out', 'out', '--no-progress'], { mention: ['--events'] });
flagCase('pretrain-voxdyn', '--max-kmeans-points 0', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--max-kmeans-points', '0', '--ncell', '16', '--out', 'out', '--no-progress'], { mention: ['--max-kmeans-points'] });
flagCase('pretrain-voxdyn', '--out under a file', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--ncell', '16', '--niter', '2', '--out', 'afile/m', '--no-progress'], { setup: aFile, mention: ['afile'] });
flagCase('pretrain-voxdyn', '--in without truth', () => ['pretrain-voxdyn', '--in', 'in', '--ncell', '16', '--out', 'out', '--no-progress'], { setup: (d, fx) => { cpSync(join(fx.dir, 'one'), join(d, 'in'), { recursive: true }); rmSync(join(d, 'in', TRUTH)); }, mention: [TRUTH] });
flagCase('pretrain-voxdyn', '--out in a missing folder', (fx) => ['pretrain-voxdyn', '--in', X(fx).one, '--ncell', '16', '--niter', '2', '--out', 'a/b', '--no-plots', '--no-progress'], { valid: true, made: ['a/b/voxdyn_node2node_hyper_ncell_16.vdm'] });
// train
const T = (fx, ...more) => [...trainArgs(fx.vd, X(fx).arrow), '--config', join(fx.dir, 'small.yaml'), '--logdir', 'run', ...more];
flagCase('train', 'without --in', (fx) => ['train', '--vd-model', fx.vd, '--logdir', 'run'], { mention: ['--in'] });
flagCase('train', 'without --vd-model', (fx) => ['train', '--in', X(fx).arrow, '--logdir', 'run', '--no-progress'], { mention: ['--vd-model'] });
flagCase('train', '--iterations 0', (fx) => T(fx, '--iterations', '0'), { mention: ['--iterations'] });
flagCase('train', '--learning-rate -1', (fx) => T(fx, '--learning-rate', '-1'), { mention: ['--learning-rate'] });
flagCase('train', '--rfactor-start 0', (fx) => T(fx, '--rfactor-start', '0'), { mention: ['--rfactor-start'] });
flagCase('train', '--rfactor-start above --rfactor-end', (fx) => T(fx, '--rfactor-start', '0.9', '--rfactor-end', '0.1'), { mention: ['rfactor'] });
flagCase('train', '--events 5-2', (fx) => [...T(fx), '--events', '5-2'], { mention: ['--events', '5-2'] });
flagCase('train', '--val-events a-b', (fx) => [...T(fx), '--val-events', 'a-b'], { mention: ['--val-events', 'a-b'] });
flagCase('train', '--events 9 (not there)', (fx) => [...T(fx), '--events', '9'], { mention: ['--events'] });
flagCase('train', '--cluster cut', (fx) => T(fx, '--cluster', 'cut'), { mention: ['--cluster'] });
flagCase('train', '--auc-threshold without transformer', (fx) => T(fx, '--auc-threshold', '0.9'), { mention: ['--auc-threshold'] });
flagCase('train', '--validate-every without --validate', (fx) => T(fx, '--validate-every', '2'), { mention: ['--validate-every'] });
flagCase('train', '--epoch -2', (fx) => T(fx, '--epoch', '-2'), { mention: ['--epoch'] });
flagCase('train', '--workers 100', (fx) => T(fx, '--workers', '100'), { mention: ['--workers'] });
flagCase('train', '--scheduler-type foo', (fx) => T(fx, '--scheduler-type', 'foo'), { mention: ['--scheduler-type'] });
flagCase('train', '--optimizer foo', (fx) => T(fx, '--optimizer', 'foo'), { mention: ['--optimizer'] });
flagCase('train', '--hit-features foo', (fx) => T(fx, '--hit-features', 'foo'), { mention: ['--hit-features'] });
flagCase('train', '--backend foo', (fx) => T(fx, '--backend', 'foo'), { mention: ['--backend'] });
flagCase('train', '--node2node eom against a hyper model', (fx) => T(fx, '--node2node', 'eom'), { mention: ['--node2node'] });
flagCase('train', '--ncell 128 against a 64-cell model', (fx) => T(fx, '--ncell', '128'), { mention: ['--ncell'] });
flagCase('train', '--memory-budget 0', (fx) => T(fx, '--memory-budget', '0'), { mention: ['--memory-budget'] });
flagCase('train', '--randomized-seed with --seed', (fx) => T(fx, '--randomized-seed', '--seed', '3'), { mention: ['--randomized-seed'] });
flagCase('train', '--single-worker with --workers 2', (fx) => T(fx, '--single-worker', '--workers', '2'), { mention: ['--single-worker'] });
flagCase('train', '--logdir under a file', (fx) => [...trainArgs(fx.vd, X(fx).arrow), '--config', join(fx.dir, 'small.yaml'), '--logdir', 'afile/run'], { setup: aFile, mention: ['afile'] });
flagCase('train', '--transfer-tag nonexistent', (fx) => T(fx, '--transfer-tag', 'nope'), { mention: ['nope'] });
flagCase('train', '--epoch 5 without checkpoints', (fx) => T(fx, '--epoch', '5'), { mention: ['--epoch'] });
flagCase('train', '--in a CSV folder of other events', (fx) => [...trainArgs(fx.vd, X(fx).one).map((a, i, all) => (all[i - 1] === '--val-events' ? '2' : a)), '--config', join(fx.dir, 'small.yaml'), '--logdir', 'run', '--events', '0'], { mention: ['--events'] });
flagCase('train', '--logdir in a missing folder', (fx) => [...trainArgs(fx.vd, X(fx).arrow), '--config', join(fx.dir, 'small.yaml'), '--logdir', 'a/b/run'], { valid: true, made: ['a/b/run/checkpoints/default/latest_checkpoint'] });
// infer
const I = (fx, ...more) => ['infer', '--vd-model', fx.vd, '--gnn', fx.gnn, '--in', X(fx).one, '--no-progress', ...more];
flagCase('infer', 'without --vd-model', (fx) => ['infer', '--gnn', fx.gnn, '--in', X(fx).one, '--no-progress'], { mention: ['--vd-model'] });
flagCase('infer', 'without --gnn', (fx) => ['infer', '--vd-model', fx.vd, '--in', X(fx).one, '--no-progress'], { mention: ['--gnn'] });
flagCase('infer', 'without --in', (fx) => ['infer', '--vd-model', fx.vd, '--gnn', fx.gnn], { mention: ['--in'] });
flagCase('infer', '--edge-threshold 1.5', (fx) => I(fx, '--edge-threshold', '1.5'), { mention: ['--edge-threshold'] });
flagCase('infer', '--rfactor 0', (fx) => I(fx, '--rfactor', '0'), { mention: ['--rfactor'] });
flagCase('infer', '--noise-ratio 1', (fx) => I(fx, '--rfactor', '0.5', '--noise-ratio', '1'), { mention: ['--noise-ratio'] });
flagCase('infer', '--cluster foo', (fx) => I(fx, '--cluster', 'foo'), { mention: ['--cluster'] });
flagCase('infer', '--transformer without --cluster transformer', (fx) => I(fx, '--transformer', fx.gnn), { mention: ['--transformer'] });
flagCase('infer', '--cluster transformer with --pre-only', (fx) => ['infer', '--pre-only', '--vd-model', fx.vd, '--in', X(fx).one, '--cluster', 'transformer', '--no-progress'], { mention: ['--cluster'] });
flagCase('infer', '--events 5-2', (fx) => I(fx, '--events', '5-2'), { mention: ['--events', '5-2'] });
flagCase('infer', '--events 7 (not there)', (fx) => I(fx, '--events', '7'), { mention: ['--events'] });
flagCase('infer', '--max-edges -1', (fx) => I(fx, '--max-edges', '-1'), { mention: ['--max-edges'] });
flagCase('infer', '--max-edges 10 (too few)', (fx) => I(fx, '--max-edges', '10'), { mention: ['--max-edges'] });
flagCase('infer', '--min-count 0', (fx) => I(fx, '--min-count', '0'), { mention: ['--min-count'] });
flagCase('infer', '--backend foo', (fx) => I(fx, '--backend', 'foo'), { mention: ['--backend'] });
flagCase('infer', '--logdir under a file', (fx) => I(fx, '--logdir', 'afile/run'), { setup: aFile, mention: ['afile'] });
flagCase('infer', '--pre-only --logdir under a file', (fx) => ['infer', '--pre-only', '--vd-model', fx.vd, '--in', X(fx).one, '--logdir', 'afile/run', '--no-progress'], { setup: aFile, mention: ['afile'] });
flagCase('infer', '--logdir in a missing folder', (fx) => I(fx, '--logdir', 'a/b/run'), { valid: true, made: ['a/b/run/results.json'] });

// ---------------------------------------------------------------------------------------------
// Classification

/** Lines every command may print besides its error: the backend, what was loaded, notes. */
const INFO = [/^tensor backend: /, /^GNN: /, /^transformer: /, /^note: /, /^gradients on /, /^resumed from /, /^run folder: /];
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x9b]/;
const MAX_LINE = 1000;

function judge(spec, run, before, after, dir) {
  const lines = run.stderr.split('\n').filter((l) => l !== '' && !INFO.some((re) => re.test(l)));
  const line = lines[0] ?? '';
  const problems = [];
  if (run.timedOut) return { pass: false, line, problems: [`timed out after ${TIMEOUT_MS / 1000} s`] };
  if (/internal error/.test(run.stderr)) problems.push('internal error');
  if (/^\s+at .+[(:]\d+/m.test(run.stderr)) problems.push('stack trace');
  const temps = [...after.keys()].filter((p) => TEMPORARY.test(basename(p)));
  if (temps.length > 0) problems.push(`temporary files left: ${temps.join(', ')}`);
  const succeeded = run.code === 0;
  const wantsSuccess = spec.valid === true;
  if (succeeded && (wantsSuccess || spec.either)) {
    const got = spec.same === 'preOnly' ? withoutTimes(run.stdout) : run.stdout;
    if (spec.same !== undefined && got !== fixture.baseline[spec.same]) problems.push('stdout differs from that of the unbroken input');
    for (const path of spec.made ?? []) if (!existsSync(join(dir, path))) problems.push(`${path} not written`);
    return { pass: problems.length === 0, line: lines.length > 0 ? `(stderr) ${lines.join(' | ')}` : '', problems };
  }
  if (succeeded) return { pass: false, line: run.stdout.split('\n')[0], problems: ['exit 0: the broken input was accepted', ...problems] };
  if (wantsSuccess) problems.push(`exit ${run.code ?? run.signal}: a valid input was refused`);
  if (lines.length !== 1) problems.push(`${lines.length} lines on stderr`);
  if (!line.startsWith('hypertrack: error: ')) problems.push("no 'hypertrack: error: ' prefix");
  if (CONTROL.test(line)) problems.push('control characters in the message');
  if (line.length > MAX_LINE) problems.push(`a ${line.length}-character line`);
  if (!wantsSuccess) for (const m of spec.mention ?? []) if (!line.includes(m)) problems.push(`does not name ${JSON.stringify(m)}`);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p));
  if (changed.length > 0) problems.push(`left changed: ${changed.slice(0, 4).join(', ')}${changed.length > 4 ? ` and ${changed.length - 4} more` : ''}`);
  return { pass: problems.length === 0, line, problems };
}

// ---------------------------------------------------------------------------------------------
// Main

const selected = cases.filter((c) => filter === undefined || c.name.includes(filter));
if (new Set(cases.map((c) => c.name)).size !== cases.length) {
  const seen = new Set();
  for (const c of cases) if (seen.has(c.name) || !seen.add(c.name)) console.error(`malformed-inputs: case name used twice: ${c.name}`);
  process.exit(2);
}
if (listOnly) {
  for (const c of selected) console.log(c.name);
  console.log(`${selected.length} cases`);
  process.exit(0);
}

const base = mkdtempSync(join(tmpdir(), 'hypertrack-malformed-'));
const started = performance.now();
let fixture;
try {
  fixture = buildFixture(base);
} catch (error) {
  console.error(String(error.message ?? error));
  if (!keep) rmSync(base, { recursive: true, force: true });
  process.exit(2);
}
console.log(`fixture ready in ${((performance.now() - started) / 1000).toFixed(1)} s; ${selected.length} cases, ${jobs} at a time`);

const show = (s) => s.replaceAll(base, '<tmp>').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
const results = new Array(selected.length);
let next = 0;
let printed = 0;
const printReady = () => {
  while (printed < selected.length && results[printed] !== undefined) {
    const { name, verdict } = results[printed];
    const shown = show(verdict.line.length > 300 ? `${verdict.line.slice(0, 300)}...` : verdict.line);
    console.log(`${verdict.pass ? 'ok  ' : 'FAIL'} ${name}${verdict.pass ? '' : ` [${verdict.problems.join('; ')}]`}  ${shown}`);
    printed++;
  }
};
async function worker() {
  while (next < selected.length) {
    const k = next++;
    const spec = selected[k];
    const dir = join(base, 'cases', String(k).padStart(3, '0'));
    mkdirSync(dir, { recursive: true });
    let verdict;
    try {
      spec.setup?.(dir, fixture);
      const before = snapshot(dir);
      const run = await hypertrack(spec.args(fixture), dir);
      verdict = judge(spec, run, before, snapshot(dir), dir);
    } catch (error) {
      verdict = { pass: false, line: '', problems: [`the probe itself failed: ${error.message}`] };
    }
    if (!keep) rmSync(dir, { recursive: true, force: true });
    results[k] = { name: spec.name, verdict };
    printReady();
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
const passed = results.filter((r) => r.verdict.pass).length;
console.log(`${passed} of ${results.length} cases pass (${((performance.now() - started) / 1000).toFixed(0)} s)`);
if (keep) console.log(`kept ${base}`);
else rmSync(base, { recursive: true, force: true });
process.exit(passed === results.length ? 0 : 1);

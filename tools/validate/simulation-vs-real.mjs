#!/usr/bin/env node
// Drives the simulation with a real TrackML particle table and prints what it gives next to what the
// real event recorded: hits-per-particle histogram, zero-hit fraction, particle and total hits, hits
// per volume, and the primary-vertex spread of the table against the default generator's; with the
// distance between simulated and real for each. The Markdown it prints is the comparison of
// docs/simulation.md.
//
// Reference figures come from, in increasing precedence:
//   --reference FILE.json   keys: particles, zeroHitFraction, particleHits, totalHits,
//                           maxHitsPerParticle, hitsPerParticle (array, index = hits),
//                           hitsPerVolume ({ "8": count, ... }); default tools/validate/trackml-event1000.json
//   --ref-truth FILE        a real TrackML truth file (and --ref-hits FILE for hits per volume and
//                           total hits): the whole histogram is computed from it
//   --ref-zero-fraction F, --ref-particle-hits N, --ref-total-hits N, --ref-max-hits N
// Usage (after a build):
//   node tools/validate/simulation-vs-real.mjs [particles.csv] [--seed S] [--reference F] [...]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeParticleId, Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent, SIMULATOR_VERSION } from '@hypertrack/detsim';
import { readTrackMLTable } from '@hypertrack/io-arrow';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const VALUE_FLAGS = ['seed', 'reference', 'ref-truth', 'ref-hits', 'ref-zero-fraction', 'ref-particle-hits', 'ref-total-hits', 'ref-max-hits', 'pileup'];
function fail(message) {
  console.error(`simulation-vs-real: ${message}`);
  process.exit(2);
}
const flags = {};
const positional = [];
for (let i = 0; i < args.length; i++) {
  const name = args[i].startsWith('--') ? args[i].slice(2) : null;
  if (name === null) positional.push(args[i]);
  else if (!VALUE_FLAGS.includes(name)) fail(`unknown flag --${name} (known: ${VALUE_FLAGS.map((f) => `--${f}`).join(', ')})`);
  else if (i + 1 >= args.length) fail(`--${name} needs a value`);
  else flags[name] = args[++i];
}
const numberFlag = (name, fallback) => {
  if (flags[name] === undefined) return fallback;
  const value = Number(flags[name]);
  if (!Number.isFinite(value)) fail(`--${name} must be a number, got "${flags[name]}"`);
  return value;
};
const seed = numberFlag('seed', 1);
const pileup = numberFlag('pileup', 200);
const tableFile = resolve(positional[0] ?? '../shared/data/trackml/event000001000-particles.csv');
if (!existsSync(tableFile)) fail(`${tableFile} not found (pass a TrackML particles table)`);

// ---- reference figures -------------------------------------------------------------------------
const referenceFile = resolve(flags.reference ?? `${here}/trackml-event1000.json`);
let reference = {};
if (existsSync(referenceFile)) {
  try {
    reference = JSON.parse(readFileSync(referenceFile, 'utf8'));
  } catch (error) {
    fail(`${referenceFile}: not valid JSON (${error.message})`);
  }
} else if (flags.reference !== undefined) fail(`${referenceFile} not found`);
if (flags['ref-truth'] !== undefined) Object.assign(reference, await referenceFromTruth(flags['ref-truth'], flags['ref-hits']));
for (const [flag, key] of [
  ['ref-zero-fraction', 'zeroHitFraction'],
  ['ref-particle-hits', 'particleHits'],
  ['ref-total-hits', 'totalHits'],
  ['ref-max-hits', 'maxHitsPerParticle'],
]) {
  if (flags[flag] !== undefined) reference[key] = numberFlag(flag);
}

/** Hits per particle and per volume of a real event, from its truth (and hits) file. */
async function referenceFromTruth(truthFile, hitsFile) {
  const truth = await readTrackMLTable('truth', resolve(truthFile));
  const table = await readTrackMLTable('particles', tableFile);
  const rowOf = new Map();
  for (let i = 0; i < table.particleId.length; i++) rowOf.set(table.particleId[i], i);
  const counts = new Int32Array(table.particleId.length);
  let particleHits = 0;
  for (const id of truth.particleId) {
    if (id === 0n) continue;
    particleHits++;
    const row = rowOf.get(id);
    if (row !== undefined) counts[row]++;
  }
  const out = { particles: counts.length, particleHits, ...histogramFacts(counts) };
  if (hitsFile !== undefined) {
    const hits = await readTrackMLTable('hits', resolve(hitsFile));
    out.totalHits = hits.hitId.length;
    out.hitsPerVolume = perVolume(hits.volumeId, Int32Array.from(truth.particleId, (id) => (id === 0n ? -1 : 0)));
  }
  return out;
}

function histogramFacts(counts) {
  const hitsPerParticle = [];
  for (const c of counts) hitsPerParticle[c] = (hitsPerParticle[c] ?? 0) + 1;
  for (let i = 0; i < hitsPerParticle.length; i++) hitsPerParticle[i] ??= 0;
  return { hitsPerParticle, zeroHitFraction: (hitsPerParticle[0] ?? 0) / counts.length, maxHitsPerParticle: hitsPerParticle.length - 1 };
}

function perVolume(volumeId, hitParticle) {
  const out = {};
  for (let i = 0; i < volumeId.length; i++) if (hitParticle[i] >= 0) out[volumeId[i]] = (out[volumeId[i]] ?? 0) + 1;
  return out;
}

// ---- the simulation ----------------------------------------------------------------------------
const table = await readTrackMLTable('particles', tableFile);
const driven = simulateEvent(1000, defaultSimulationConfig({ particles: table }), Rng.fromSeed(seed).split(1000));
const generated = simulateEvent(1000, defaultSimulationConfig({ pileup }), Rng.fromSeed(seed).split(1000));
const nhits = driven.event.particles.nhits;
const simulated = {
  particles: nhits.length,
  particleHits: nhits.reduce((s, v) => s + v, 0),
  totalHits: driven.event.hits.hitId.length,
  ...histogramFacts(nhits),
  hitsPerVolume: perVolume(driven.event.hits.volumeId, driven.hitParticle),
};

// ---- distances ---------------------------------------------------------------------------------
const fraction = (h) => {
  const total = h.reduce((s, v) => s + v, 0);
  return h.map((v) => v / total);
};
/** Total variation 0.5 sum |p - q| and Kolmogorov-Smirnov max |P - Q| between two histograms. */
function histogramDistances(a, b) {
  const n = Math.max(a.length, b.length);
  const p = fraction(Array.from({ length: n }, (_, i) => a[i] ?? 0));
  const q = fraction(Array.from({ length: n }, (_, i) => b[i] ?? 0));
  let tv = 0;
  let ks = 0;
  let cp = 0;
  let cq = 0;
  for (let i = 0; i < n; i++) {
    tv += 0.5 * Math.abs(p[i] - q[i]);
    cp += p[i];
    cq += q[i];
    ks = Math.max(ks, Math.abs(cp - cq));
  }
  return { tv, ks };
}
const relative = (sim, ref) => `${sim >= ref ? '+' : ''}${((100 * (sim - ref)) / ref).toFixed(1)}%`;

// ---- vertex spread -----------------------------------------------------------------------------
/** Primary vertices (generation 0, within 1 mm of the beam line): per-vertex median positions. */
function vertexSpread(t) {
  const byVertex = new Map();
  for (let i = 0; i < t.particleId.length; i++) {
    const { vertex, generation } = decodeParticleId(t.particleId[i]);
    if (generation !== 0 || Math.hypot(t.vx[i], t.vy[i]) >= 1) continue;
    if (!byVertex.has(vertex)) byVertex.set(vertex, [[], [], []]);
    const v = byVertex.get(vertex);
    v[0].push(t.vx[i]);
    v[1].push(t.vy[i]);
    v[2].push(t.vz[i]);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const centres = [...byVertex.values()].map((v) => v.map(median));
  const std = (k) => {
    const xs = centres.map((c) => c[k]);
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
  };
  const zs = centres.map((c) => c[2]).sort((a, b) => a - b);
  const q = (f) => zs[Math.min(zs.length - 1, Math.floor(f * zs.length))];
  return { vertices: centres.length, sx: std(0), sy: std(1), sz: std(2), z05: q(0.05), z95: q(0.95) };
}

// ---- report ------------------------------------------------------------------------------------
const out = [];
const name = tableFile.split('/').slice(-1)[0];
out.push(`Simulator version ${SIMULATOR_VERSION}, seed ${seed}; particle table \`${name}\`; reference \`${referenceFile.split('/').slice(-1)[0]}\`${flags['ref-truth'] ? ` and \`${flags['ref-truth'].split('/').slice(-1)[0]}\`` : ''}.`, '');
out.push('| | simulated (`--particles`) | real | difference |', '|---|---|---|---|');
const row = (label, sim, ref, diff) => out.push(`| ${label} | ${sim} | ${ref ?? '-'} | ${ref === undefined ? '-' : diff} |`);
const pct = (v) => `${(100 * v).toFixed(1)}%`;
row('particles', simulated.particles, reference.particles, simulated.particles === reference.particles ? 'same' : 'differs');
row('particles without hits', `${simulated.hitsPerParticle[0]} (${pct(simulated.zeroHitFraction)})`, reference.zeroHitFraction === undefined ? undefined : pct(reference.zeroHitFraction), `${(100 * (simulated.zeroHitFraction - (reference.zeroHitFraction ?? 0))).toFixed(1)} points`);
row('particle hits', simulated.particleHits, reference.particleHits, relative(simulated.particleHits, reference.particleHits));
row('all hits (with noise)', simulated.totalHits, reference.totalHits, relative(simulated.totalHits, reference.totalHits));
row('most hits on one particle', simulated.maxHitsPerParticle, reference.maxHitsPerParticle, `${simulated.maxHitsPerParticle - (reference.maxHitsPerParticle ?? 0)}`);
const above20 = simulated.hitsPerParticle.slice(21).reduce((s, v) => s + v, 0);
out.push(`| particles above 20 hits | ${above20} | ${reference.hitsPerParticle ? reference.hitsPerParticle.slice(21).reduce((s, v) => s + v, 0) : reference.maxHitsPerParticle !== undefined && reference.maxHitsPerParticle <= 20 ? 0 : '-'} | |`);
const withHits = simulated.particles - simulated.hitsPerParticle[0];
const refWithHits = reference.particles !== undefined && reference.zeroHitFraction !== undefined ? reference.particles * (1 - reference.zeroHitFraction) : undefined;
row('mean hits per particle with hits', (simulated.particleHits / withHits).toFixed(2), refWithHits && reference.particleHits ? (reference.particleHits / refWithHits).toFixed(2) : undefined, refWithHits && reference.particleHits ? relative(simulated.particleHits / withHits, reference.particleHits / refWithHits) : '');
out.push('');

out.push('| hits per particle | simulated | real |', '|---|---|---|');
const bins = Math.max(simulated.hitsPerParticle.length, reference.hitsPerParticle?.length ?? 0);
for (let k = 0; k < bins; k++) out.push(`| ${k} | ${simulated.hitsPerParticle[k] ?? 0} | ${reference.hitsPerParticle ? (reference.hitsPerParticle[k] ?? 0) : '-'} |`);
if (reference.hitsPerParticle) {
  const { tv, ks } = histogramDistances(simulated.hitsPerParticle, reference.hitsPerParticle);
  out.push('', `Distance between the histograms (as fractions of all particles): total variation ${tv.toFixed(4)}, Kolmogorov-Smirnov ${ks.toFixed(4)}.`);
}
out.push('');

out.push('| volume | simulated particle hits | real |', '|---|---|---|');
const volumes = [...new Set([...Object.keys(simulated.hitsPerVolume), ...Object.keys(reference.hitsPerVolume ?? {})])].sort((a, b) => a - b);
for (const v of volumes) {
  const ref = reference.hitsPerVolume?.[v];
  out.push(`| ${v} | ${simulated.hitsPerVolume[v] ?? 0} | ${ref === undefined ? '-' : `${ref} (${relative(simulated.hitsPerVolume[v] ?? 0, ref)})`} |`);
}
out.push('');

const real = vertexSpread(table);
const gen = vertexSpread(generated.event.particles);
out.push(`Primary vertices (generation 0, within 1 mm of the beam line; per vertex the median of its particles): the table against the default generator at mu = ${pileup}.`, '');
out.push('| | vertices | sigma_x (mm) | sigma_y (mm) | sigma_z (mm) | z 5% / 95% (mm) |', '|---|---|---|---|---|---|');
const f = (v) => v.toFixed(Math.abs(v) < 1 ? 4 : 2);
out.push(`| real table | ${real.vertices} | ${f(real.sx)} | ${f(real.sy)} | ${f(real.sz)} | ${f(real.z05)} / ${f(real.z95)} |`);
out.push(`| default generator | ${gen.vertices} | ${f(gen.sx)} | ${f(gen.sy)} | ${f(gen.sz)} | ${f(gen.z05)} / ${f(gen.z95)} |`);
out.push(`| difference | | ${relative(gen.sx, real.sx)} | ${relative(gen.sy, real.sy)} | ${relative(gen.sz, real.sz)} | |`);
console.log(out.join('\n'));

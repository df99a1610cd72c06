#!/usr/bin/env node
// Compares the default pile-up generator with a real TrackML particles table (the shared event
// 1000 by default), and the simulated hits of both: prints the Markdown of docs/simulation.md.
// Usage (after a build): node tools/validate/compare-generator.mjs [particles.csv] [--seed S]
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeParticleId, Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { readTrackMLTable } from '@hypertrack/io-arrow';

const args = process.argv.slice(2);
const seedAt = args.indexOf('--seed');
const seed = seedAt >= 0 ? Number(args[seedAt + 1]) : 1;
const file = resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--seed') ?? '../shared/data/trackml/event000001000-particles.csv');
if (!existsSync(file)) {
  console.error(`compare-generator: ${file} not found (pass a TrackML particles table)`);
  process.exit(1);
}

const real = await readTrackMLTable('particles', file);
const generatedSim = simulateEvent(1000, defaultSimulationConfig({ pileup: 200 }), Rng.fromSeed(seed).split(1000));
const realSim = simulateEvent(1000, defaultSimulationConfig({ particles: real }), Rng.fromSeed(seed).split(1000));
const generated = generatedSim.event.particles;

function observables(t) {
  const n = t.particleId.length;
  const o = { pt: [], eta: [], phi: [], rxy: [], vz: [], positive: 0, secondaries: 0, n };
  for (let i = 0; i < n; i++) {
    const pt = Math.hypot(t.px[i], t.py[i]);
    o.pt.push(pt);
    o.eta.push(Math.asinh(t.pz[i] / pt));
    o.phi.push(Math.atan2(t.py[i], t.px[i]));
    o.rxy.push(Math.hypot(t.vx[i], t.vy[i]));
    o.vz.push(t.vz[i]);
    if (t.q[i] > 0) o.positive++;
    if (decodeParticleId(t.particleId[i]).generation > 0) o.secondaries++;
  }
  for (const k of ['pt', 'eta', 'phi', 'rxy', 'vz']) o[k].sort((a, b) => a - b);
  return o;
}
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const qs = [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99];
const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));

const r = observables(real);
const g = observables(generated);
const out = [];
out.push(`Real table: \`${file.split('/').slice(-1)[0]}\`; generated: default generator at mu = 200, seed ${seed}.`, '');
out.push('| | real | generated |', '|---|---|---|');
out.push(`| particles | ${r.n} | ${g.n} |`);
out.push(`| secondaries (generation > 0) | ${r.secondaries} (${((100 * r.secondaries) / r.n).toFixed(1)}%) | ${g.secondaries} (${((100 * g.secondaries) / g.n).toFixed(1)}%) |`);
out.push(`| positive charge | ${((100 * r.positive) / r.n).toFixed(1)}% | ${((100 * g.positive) / g.n).toFixed(1)}% |`);
out.push(`| pT > 1 GeV | ${((100 * r.pt.filter((p) => p > 1).length) / r.n).toFixed(1)}% | ${((100 * g.pt.filter((p) => p > 1).length) / g.n).toFixed(1)}% |`);
out.push('');
out.push(`| quantile | ${qs.map((q) => q).join(' | ')} |`, `|---|${qs.map(() => '---').join('|')}|`);
for (const [key, label] of [
  ['pt', 'pT real (GeV)'],
  ['eta', 'eta real'],
  ['phi', 'phi real'],
  ['rxy', 'vertex r real (mm)'],
  ['vz', 'vertex z real (mm)'],
]) {
  out.push(`| ${label} | ${qs.map((q) => fmt(quantile(r[key], q))).join(' | ')} |`);
  out.push(`| ${label.replace('real', 'generated')} | ${qs.map((q) => fmt(quantile(g[key], q))).join(' | ')} |`);
}

function hitStats(sim) {
  const { particles, hits } = sim.event;
  const hist = new Array(26).fill(0);
  let withHits = 0;
  for (const n of particles.nhits) {
    hist[Math.min(25, n)]++;
    if (n > 0) withHits++;
  }
  const noise = sim.hitParticle.filter((p) => p < 0).length;
  return { hits: hits.hitId.length, noise, withHits, hist };
}
const hr = hitStats(realSim);
const hg = hitStats(generatedSim);
out.push('', '### Simulated hits', '');
out.push('| | `--particles` (real kinematics) | default generator |', '|---|---|---|');
out.push(`| total hits | ${hr.hits} | ${hg.hits} |`);
out.push(`| noise hits | ${hr.noise} (${((100 * hr.noise) / hr.hits).toFixed(1)}%) | ${hg.noise} (${((100 * hg.noise) / hg.hits).toFixed(1)}%) |`);
out.push(`| particles with hits | ${hr.withHits} | ${hg.withHits} |`);
out.push(`| mean hits per particle with hits | ${((hr.hits - hr.noise) / hr.withHits).toFixed(2)} | ${((hg.hits - hg.noise) / hg.withHits).toFixed(2)} |`);
out.push('', '| hits per particle | `--particles` | default generator |', '|---|---|---|');
hr.hist.forEach((c, k) => out.push(`| ${k === 25 ? '>= 25' : k} | ${c} | ${hg.hist[k]} |`));
console.log(out.join('\n'));

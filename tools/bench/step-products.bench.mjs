// Issue 15 (native speed): the dense products of one tune-5 training step over a mu = 2-sized
// event (1.2k hits, 55k edges), by shape and transpose flags, with their time and GFLOP/s, and the
// step's wall time. It wraps the native addon's gemm, so it needs @hypertrack/native built.
// Run after a build: NATIVE_THREADS=1 node tools/bench/step-products.bench.mjs (TUNE6=1 for tune-6,
// the number of warm-up steps is 2).
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { loadNativeKernels } from '@hypertrack/native';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING } from '@hypertrack/gnn';
import { trainingEvent } from './training-event.mjs';
const example = trainingEvent(1);
await initBackend({ prefer: 'wasm', log: console.log, nativeThreads: Number(process.env.NATIVE_THREADS ?? 1) });
const load = loadNativeKernels();
if (load.kernels === null) throw new Error(`this benchmark needs the native kernels: ${load.reason}`);
const addon = load.kernels.addon;
const original = addon.gemm;
const shapes = new Map();
// Times every product and files it under its transpose flags and [m x n x k].
addon.gemm = (...args) => {
  const [, ta, tb, m, n, k, , , , , , , batch] = args;
  const t = performance.now();
  const ran = original(...args);
  const key = `${ta}${tb} ${m}x${n}x${k}`;
  const entry = shapes.get(key) ?? { n: 0, ms: 0, flop: 0 };
  entry.n++;
  entry.ms += performance.now() - t;
  entry.flop += 2 * m * n * k * batch;
  shapes.set(key, entry);
  return ran;
};
const cfg = process.env.TUNE6 ? { ...TUNE5_GNN, pairFeatures: 'geometry', messageGeometry: true } : TUNE5_GNN;
const trainer = new GnnTrainer(new EdgePredictor(cfg, 1), TUNE5_TRAINING);
const root = Rng.fromSeed(2);
for (let i = 0; i < 2; i++) await trainer.trainStep([example], root.split(i));
shapes.clear();
const t0 = performance.now();
await trainer.trainStep([example], root.split(9));
console.log('step', (performance.now() - t0).toFixed(0), 'ms');
let tot = 0, totf = 0;
for (const [k, s] of [...shapes].sort((a, b) => b[1].ms - a[1].ms)) { tot += s.ms; totf += s.flop; if (s.ms > 2) console.log(k.padEnd(22), s.n, s.ms.toFixed(1), 'ms', (s.flop / s.ms / 1e6).toFixed(1), 'GFLOP/s'); }
console.log('total gemm', tot.toFixed(0), 'ms', (totf / 1e9).toFixed(2), 'GFLOP', (totf / tot / 1e6).toFixed(1), 'GFLOP/s');

// Issue 15 (native speed): where a training step's time goes, kernel by kernel. One tune-6 step
// over one mu = 2-sized event (1.2k hits, 55k edges, random graph) on the main thread, under
// tf.profile, after two warm-up steps; kernel times summed by kernel name (the wasm backend times
// each kernel call). What native code must replace to speed a step up is what tops this list.
// Run after a build: node tools/bench/step-profile.bench.mjs
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING } from '@hypertrack/gnn';
import { trainingEvent } from './training-event.mjs';

const example = trainingEvent(1);

await initBackend({ prefer: 'wasm', log: console.log });
// STEP_PROFILE_TUNE=5 profiles the tune-5 network of the target instead of tune-6.
const tune5 = process.env.STEP_PROFILE_TUNE === '5';
const network = tune5 ? TUNE5_GNN : { ...TUNE5_GNN, pairFeatures: 'geometry', messageGeometry: true };
console.log(`network: tune-${tune5 ? 5 : 6}`);
const trainer = new GnnTrainer(new EdgePredictor(network, 1), { ...TUNE5_TRAINING, learningRate: 2e-3 });
const root = Rng.fromSeed(2);
for (let i = 0; i < 2; i++) await trainer.trainStep([example], root.split(i));
const t0 = performance.now();
const profile = await tf.profile(() => trainer.trainStep([example], root.split(9)));
const wall = performance.now() - t0;
const byName = new Map();
for (const k of profile.kernels) {
  const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
  entry.ms += ms;
  entry.calls++;
  byName.set(k.name, entry);
}
const total = [...byName.values()].reduce((s, e) => s + e.ms, 0);
console.log(`step wall ${wall.toFixed(0)} ms (profiled), kernel time ${total.toFixed(0)} ms in ${profile.kernels.length} kernel calls`);
for (const [name, e] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
  console.log(`${name.padEnd(36)} ${e.ms.toFixed(1).padStart(8)} ms ${((100 * e.ms) / total).toFixed(1).padStart(5)}%  ${String(e.calls).padStart(5)} calls`);
}
trainer.model.dispose();
await trainer.close();

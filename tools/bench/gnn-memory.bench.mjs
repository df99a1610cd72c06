// The GNN's memory estimate (gnn memory.ts) against what a step really holds: tf.profile's peak of
// live tensor bytes for a training step and a forward pass, over model widths and graph sizes, and
// the largest graphs the 4 GiB wasm heap then admits. Run after a build: node tools/bench/gnn-memory.bench.mjs
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING, defaultMemoryBudget, gnnMemoryBytes, maxEdgesWithin } from '@hypertrack/gnn';
import { trainingEvent } from './training-event.mjs';

const info = await initBackend({ log: (line) => console.log(line) });
const TUNE6 = { ...TUNE5_GNN, pairFeatures: 'geometry', messageGeometry: true };
const configs = [
  ['tune-6', TUNE6],
  ['tune-5', TUNE5_GNN],
  ['m 32', { ...TUNE6, mDim: 32 }],
  ['h 48 m 48 z 40', { ...TUNE6, hDim: 48, mDim: 48, zDim: 40, correlateHidden: [20] }],
  ['4 layers m 96', { ...TUNE6, nstack: 4, mDim: 96, correlateHidden: [64, 32] }],
];
const cases = [['train', 100_000], ['train', 60_000], ['infer', 100_000], ['infer', 400_000]];
console.log('| model | work | edges | measured peak (MiB) | estimate (MiB) | estimate / measured |');
console.log('|---|---|---|---|---|---|');
for (const [name, config] of configs) {
  for (const [work, edges] of cases) {
    const hits = Math.round(edges / 45);
    const event = trainingEvent(1, hits, edges);
    const model = new EdgePredictor(config, 1);
    const trainer = work === 'train' ? new GnnTrainer(model, TUNE5_TRAINING) : null;
    const profile = await tf.profile(async () => {
      if (trainer !== null) await trainer.trainStep([event], Rng.fromSeed(2));
      else await model.predict(event);
    });
    if (trainer !== null) await trainer.close();
    model.dispose();
    const estimate = gnnMemoryBytes(config, { nodes: hits, edges }, work);
    const mib = (b) => (b / 2 ** 20).toFixed(0);
    console.log(`| ${name} | ${work} | ${edges} | ${mib(profile.peakBytes)} | ${mib(estimate)} | ${(estimate / profile.peakBytes).toFixed(2)} |`);
  }
}
const budget = defaultMemoryBudget(info.tfName);
console.log(`\nbudget on ${info.name}: ${(budget / 2 ** 30).toFixed(2)} GiB; tune-6 fits a training step of ${maxEdgesWithin(TUNE6, budget, 'train')} edges and a forward pass of ${maxEdgesWithin(TUNE6, budget, 'infer')} edges (40 edges per hit)`);

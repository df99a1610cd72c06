// Training throughput with both cores (issue 5 target: >= 1.8x one core). A step over a batch of
// two mu = 2-sized events (1.2k hits, 55k edges each; random graphs, tune-5 model) on the main
// thread, then with two worker threads (one wasm backend each, one event each). The numbers of the
// two are identical (packages/gnn training.test.ts); only the time differs.
// Run after a build: node tools/bench/gnn-train.bench.mjs
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING } from '@hypertrack/gnn';
import { measure } from './harness.mjs';
import { trainingEvent } from './training-event.mjs';


const info = await initBackend({ log: (line) => console.log(line) });
const batch = [trainingEvent(1), trainingEvent(2)];
const root = Rng.fromSeed(3);
const results = {};
for (const workers of [0, 2]) {
  const trainer = new GnnTrainer(new EdgePredictor(TUNE5_GNN, 1), TUNE5_TRAINING);
  if (workers > 0) await trainer.useWorkers(workers, info.name);
  const label = workers === 0 ? 'main thread' : `${workers} workers`;
  results[workers] = await measure(`train step, 2 events x 55k edges, ${label}`, (i) => trainer.trainStep(batch, root.split(i)), { warmup: 1, runs: 5 });
  trainer.model.dispose();
  await trainer.close();
}
console.log(`throughput with two workers: ${(results[0].medianMs / results[2].medianMs).toFixed(2)}x the main thread`);

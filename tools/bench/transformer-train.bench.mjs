// A full training step with the transformer active, at mu = 2 (issue 16): a batch of two real
// events of data/v2-ev200 (rfactor 0.01, the 16,384-cell graph of data/v2-vd20) through the
// trained GNN + transformer checkpoint, on two worker threads as `train --workers 2 --batch-size 2`
// runs. Side by side in one run: the same step in the edge phase (the same GNN weights, no
// transformer), so the ratio is the transformer's cost; then the step's parts on the main thread.
// Run after a build: node tools/bench/transformer-train.bench.mjs [checkpoint folder] (default runs/tr6-mu2/checkpoints/tr6)
import { existsSync } from 'node:fs';
import { Rng } from '@hypertrack/core';
import { EdgePredictor, GnnTrainer, graphExample, latestCheckpoint, loadCheckpoint, resumeTraining } from '@hypertrack/gnn';
import { openEvents } from '@hypertrack/io-arrow';
import { initBackend } from '@hypertrack/nn';
import { createTransformerLoss } from '@hypertrack/pipeline';
import { GraphBuilder, loadModel } from '@hypertrack/voxdyn';
import { measure } from './harness.mjs';

const given = process.argv[2] ?? 'runs/tr6-mu2/checkpoints/tr6';
const vdFile = 'data/v2-vd20/voxdyn_node2node_hyper_ncell_16384.vdm';
if (!existsSync(given) || !existsSync(vdFile) || !existsSync('data/v2-ev200')) {
  console.log(`skipped: needs ${given} (train --cluster transformer, docs/clustering.md), ${vdFile} and data/v2-ev200`);
  process.exit(0);
}
const checkpointDir = existsSync(`${given}/trainer.json`) ? given : await latestCheckpoint(given);
const info = await initBackend({ log: (line) => console.log(line) });
const meta = (await loadCheckpoint(checkpointDir)).meta;
const builder = new GraphBuilder(await loadModel(vdFile), {});
const source = await openEvents('data/v2-ev200');
const rng = Rng.fromSeed(4);
const examples = [];
for (const id of [30, 31, 32, 33]) {
  examples.push(graphExample(await source.load(id), builder, 'hyper', { rfactor: 0.01, noiseRatio: 0.05, rng: rng.split(id) }, meta.gnn).example);
}
builder.close();
const batches = [examples.slice(0, 2), examples.slice(2, 4)];
console.log(`events 30-33 at mu = 2: ${examples.map((e) => `${e.numNodes} hits / ${e.src.length} edges`).join(', ')}`);

const results = {};
for (const phase of ['edge phase', 'transformer active']) {
  const trainer = new GnnTrainer(new EdgePredictor(meta.gnn, 0), meta.training);
  await resumeTraining(trainer, checkpointDir, { seed: 1, createLatentLoss: createTransformerLoss });
  // The edge phase: the same GNN weights, the transformer left out.
  const edgeOnly = phase === 'edge phase' ? new GnnTrainer(trainer.model, meta.training) : trainer;
  await edgeOnly.useWorkers(2, info.name);
  results[phase] = await measure(`train step, 2 events, 2 workers, ${phase}`, (i) => edgeOnly.trainStep(batches[i % 2], rng.split(`step-${i}`)), { warmup: 2, runs: 7 });
  const last = await edgeOnly.trainStep(batches[0], rng.split('last'));
  if (last.extension !== undefined) console.log(`  its cluster losses: BCE ${last.extension.cluster_bce_loss.toFixed(4)}, contrastive ${last.extension.cluster_contrastive_loss.toFixed(4)}; ${last.extension.trials.toFixed(1)} batched calls and ${last.extension.clusters.toFixed(1)} clusters per event`);
  await edgeOnly.close();
  if (edgeOnly !== trainer) await trainer.close();
  trainer.model.dispose();
}
console.log(`the transformer's share: ${(results['transformer active'].medianMs / results['edge phase'].medianMs).toFixed(2)}x the edge-phase step`);

// Train the GNN for a few steps with the library's training loop, on simulated events through a
// Voxel-Dynamics graph. Run after a build: node packages/gnn/examples/fit.mjs
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { eventPoints } from '@hypertrack/event';
import { EdgePredictor, GnnTrainer, TUNE5_DATA, TUNE5_GNN, TUNE5_TRAINING, fit } from '@hypertrack/gnn';
import { initBackend } from '@hypertrack/nn';
import { GraphBuilder, trainVoxdyn } from '@hypertrack/voxdyn';

const simulation = defaultSimulationConfig({ pileup: 200 });
const events = new Map([0, 1, 2, 10, 11, 12].map((id) => [id, simulateEvent(id, simulation, Rng.fromSeed(7).split(id)).event]));
const vd = await trainVoxdyn([0, 1, 2].map((id) => ({ id, ...eventPoints(events.get(id)) })), { ncell: 4096, dim: 3, node2node: 'hyper', niter: 10, seed: 7 });

await initBackend();
const trainer = new GnnTrainer(new EdgePredictor(TUNE5_GNN, 1), { ...TUNE5_TRAINING, learningRate: 2e-3 });
const result = await fit({
  trainer, data: { ...TUNE5_DATA, ncell: vd.ncell }, builder: new GraphBuilder(vd),
  events: { eventIds: [...events.keys()], load: async (id) => events.get(id) }, trainIds: [10, 11], validation: { ids: [12], every: 5 },
  state: { seed: 1, currentEvent: null, currentValEvent: null }, maxEdges: 2_000_000, iterations: 10,
  checkpoints: { dir: mkdtempSync(join(tmpdir(), 'fit-')), periodSeconds: 600 },
  callbacks: { onStepEnd: (record, m) => console.log(`step ${m.iteration}: loss ${m.loss.toFixed(3)}, train AUC ${m.trn_edge_auc.toFixed(3)}${m.val_edge_auc ? `, validation AUC ${m.val_edge_auc.toFixed(3)}` : ''}`) },
});
console.log(`${result.reason}: checkpoint ${result.checkpoint}`);
await trainer.close();

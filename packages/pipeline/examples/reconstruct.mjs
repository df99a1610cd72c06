// Reconstruct simulated events with a shipped GNN: Voxel-Dynamics graph, edge scores, cut
// clustering, results row. Run after a build: node packages/pipeline/examples/reconstruct.mjs models/gnn-tune6-mu2
import { Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { eventPoints } from '@hypertrack/event';
import { loadEdgePredictor } from '@hypertrack/gnn';
import { formatResultsTable } from '@hypertrack/metrics';
import { initBackend } from '@hypertrack/nn';
import { gnnEdgeScorer, Reconstruction, RunEvaluation } from '@hypertrack/pipeline';
import { trainVoxdyn } from '@hypertrack/voxdyn';

const simulation = defaultSimulationConfig({ pileup: 200 });
const simulate = (id) => simulateEvent(id, simulation, Rng.fromSeed(2026).split(id)).event;

// A small graph model from 3 events (the shipped GNN was trained on a 16,384-cell model from 20).
const vd = await trainVoxdyn([0, 1, 2].map((id) => ({ id, ...eventPoints(simulate(id)) })), { ncell: 4096, dim: 3, node2node: 'hyper', niter: 10, seed: 7 });

await initBackend();
const { model } = await loadEdgePredictor(process.argv[2] ?? 'models/gnn-tune6-mu2');
const reconstruction = new Reconstruction({ vd, edgeScorer: gnnEdgeScorer(model) }, { reduction: { rfactor: 0.01, seed: 1 } });
const evaluation = new RunEvaluation(reconstruction.config);
const events = [110, 111, 112].map(simulate);
await reconstruction.runAll({ eventIds: [110, 111, 112], load: async (id) => events[id - 110] }, { sink: (e) => evaluation.add(e) });
reconstruction.close();
console.log(formatResultsTable(evaluation.summary()));

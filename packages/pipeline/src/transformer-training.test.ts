import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterers } from '@hypertrack/cluster';
import { Rng, type TrackMLEvent } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { eventPoints } from '@hypertrack/event';
import { EdgePredictor, GnnTrainer, TUNE5_GNN, TUNE5_TRAINING, fit, loadEdgePredictor, type StepMetrics } from '@hypertrack/gnn';
import { doubleMajority } from '@hypertrack/metrics';
import { initBackend } from '@hypertrack/nn';
import { TUNE5_CLUSTER_LOSS, TUNE5_PIVOT_SEARCH } from '@hypertrack/transformer';
import { GraphBuilder, trainVoxdyn, type VoxdynModel } from '@hypertrack/voxdyn';
import { gnnEdgeScorer } from './edge-scorer';
import { Reconstruction } from './reconstruction';
import { loadTransformer, transformerStage } from './transformer-model';
import { transformerPhase } from './transformer-phase';

// The acceptance test: GNN + transformer trained end to end on a tiny event set, the
// switch at a low AUC threshold, the cluster losses falling, and the transformer clustering the
// trained GNN's edges better than cut does.
const simulation = defaultSimulationConfig({ pileup: 10, noiseFraction: 0.05 });
const simulate = (id: number): TrackMLEvent => simulateEvent(id, simulation, Rng.fromSeed(2027).split(id)).event;
const events = new Map(Array.from({ length: 20 }, (_, id) => [id, simulate(id)]));
const source = { eventIds: [...events.keys()], load: async (id: number) => events.get(id) as TrackMLEvent };

let vd: VoxdynModel;
let dir: string;
beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  vd = await trainVoxdyn([0, 1, 2, 3].map((id) => ({ ...eventPoints(events.get(id) as TrackMLEvent), id })), { ncell: 2048, dim: 3, node2node: 'hyper', niter: 5, seed: 3 });
  dir = await mkdtemp(join(tmpdir(), 'hypertrack-transformer-'));
}, 120_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

it('trains the GNN, switches the transformer on at the AUC threshold, lowers its losses, and clusters better than cut', async () => {
  const gnn = { ...TUNE5_GNN, nstack: 3, hDim: 32, mDim: 32, zDim: 13, correlateHidden: [16], pairFeatures: 'geometry' as const, messageGeometry: true };
  const trainer = new GnnTrainer(new EdgePredictor(gnn, 7), { ...TUNE5_TRAINING, learningRate: 3e-3, scheduler: 'constant' });
  const aucThreshold = 0.9;
  const phase = transformerPhase(
    {
      model: { inDim: gnn.zDim + 3, hDim: 32, nstackDec: 2, heads: 4 },
      seed: 11,
      search: TUNE5_PIVOT_SEARCH,
      losses: TUNE5_CLUSTER_LOSS,
      cluster: { threshold: 0.55, minGraph: 4 },
    },
    aucThreshold,
  );
  const lines: StepMetrics[] = [];
  const joined: number[] = [];
  const builder = new GraphBuilder(vd, {});
  const checkpoints = join(dir, 'checkpoints');
  try {
    await fit({
      trainer,
      data: { rfactorStart: 0.15, rfactorEnd: 0.15, noiseRatio: 0.05, node2node: 'hyper', ncell: 2048, batchSize: 1, period: 1 },
      builder,
      events: source,
      trainIds: [4, 5, 6, 7, 8, 9, 10, 11],
      state: { seed: 1, currentEvent: null, currentValEvent: null },
      maxEdges: 1e6,
      iterations: 200,
      checkpoints: { dir: checkpoints, periodSeconds: 1e9 },
      latentLoss: phase,
      callbacks: { onStepEnd: (_, metrics) => void lines.push(metrics), onLatentLossJoined: (step) => void joined.push(step) },
    });
  } finally {
    builder.close();
    await trainer.close();
    trainer.model.dispose();
  }
  // The switch: once, at the first step whose training AUC passed the threshold.
  const switchStep = lines.findIndex((l) => (l.trn_edge_auc as number) > aucThreshold);
  expect(switchStep).toBeGreaterThan(0);
  expect(joined).toEqual([switchStep]);
  expect(lines[switchStep].transformer_joined_auc).toBe(lines[switchStep].trn_edge_auc);
  expect(lines.map((l) => l.transformer_active)).toEqual(lines.map((_, i) => (i <= switchStep ? 0 : 1)));
  const after = lines.slice(switchStep + 1);
  expect(after.length).toBeGreaterThanOrEqual(40);
  // The cluster losses fall: their mean over the last 15 steps against the first 15 with the
  // transformer (measured: cluster_BCE 0.27 -> 0.12, cluster_contrastive 0.61 -> 0.29).
  const mean = (rows: StepMetrics[], key: string) => rows.reduce((s, l) => s + (l[key] as number), 0) / rows.length;
  const [first, last] = [after.slice(0, 15), after.slice(-15)];
  expect(mean(last, 'cluster_bce_loss')).toBeLessThan(0.7 * mean(first, 'cluster_bce_loss'));
  expect(mean(last, 'cluster_contrastive_loss')).toBeLessThan(mean(first, 'cluster_contrastive_loss'));

  // Unseen events through the trained GNN, clustered by cut and by the transformer on the same edges.
  const dms = async (algorithm: 'cut' | 'transformer') => {
    const { model } = await loadEdgePredictor(checkpoints);
    const transformer = await loadTransformer(checkpoints);
    const reconstruction = new Reconstruction(
      { vd, edgeScorer: gnnEdgeScorer(model), clusterers: { ...clusterers, transformer: transformerStage(transformer) } },
      { reduction: { rfactor: 0.15, noiseRatio: 0.05, seed: 3 }, cluster: { algorithm, threshold: 0.55, minGraph: 4 } },
    );
    const scores: number[] = [];
    try {
      await reconstruction.runAll(
        { eventIds: [12, 13, 14, 15, 16, 17, 18, 19], load: source.load },
        { sink: (r) => void scores.push(doubleMajority(r.membership, r.clusters?.labels as Int32Array, r.event.truth?.weight, { hitsMin: 4 }).dms) },
      );
    } finally {
      reconstruction.close();
      transformer.model.dispose();
    }
    return scores.reduce((s, v) => s + v, 0) / scores.length;
  };
  const [cut, transformer] = [await dms('cut'), await dms('transformer')];
  // Measured: cut 0.664, transformer 0.716 over the 8 events (7 of them better).
  expect(transformer).toBeGreaterThan(cut + 0.02);
}, 600_000);

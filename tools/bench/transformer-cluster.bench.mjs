// Transformer clustering per event with a trained GNN and transformer (issue 16): the pivot search
// and batched STransformer calls on real scored graphs, at mu = 2 (events 110-114 of data/v2-ev200
// at rfactor 0.01, the 16,384-cell graph of data/v2-vd20: the demo's setting) and mu = 20 (events
// 110-113 at rfactor 0.1, the 65,536-cell graph of data/v2-vd100-65k), both with the checkpoint of
// `train --cluster transformer` (docs/clustering.md). Per event: time, batched calls (trials),
// failures, clusters, the tensor memory at its peak, and the DMS of cut and of the transformer on
// the same edges.
// Run after a build: node tools/bench/transformer-cluster.bench.mjs [checkpoint folder] (default runs/tr6-mu2/checkpoints/tr6)
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { clusterers } from '@hypertrack/cluster';
import { loadEdgePredictor, networkInput } from '@hypertrack/gnn';
import { openEvents } from '@hypertrack/io-arrow';
import { doubleMajority } from '@hypertrack/metrics';
import { initBackend } from '@hypertrack/nn';
import { loadTransformer, Reconstruction, transformerStage } from '@hypertrack/pipeline';
import { loadModel } from '@hypertrack/voxdyn';

const checkpoint = process.argv[2] ?? 'runs/tr6-mu2/checkpoints/tr6';
const cases = [
  { name: 'mu = 2', ids: '110-114', rfactor: 0.01, vd: 'data/v2-vd20/voxdyn_node2node_hyper_ncell_16384.vdm' },
  { name: 'mu = 20', ids: '110-113', rfactor: 0.1, vd: 'data/v2-vd100-65k/voxdyn_node2node_hyper_ncell_65536.vdm' },
];
const threshold = 0.55;
if (!existsSync(checkpoint) || !existsSync('data/v2-ev200')) {
  console.log(`skipped: needs ${checkpoint} (train --cluster transformer) and data/v2-ev200`);
  process.exit(0);
}
await initBackend({ log: (line) => console.log(line) });
const loaded = await loadTransformer(checkpoint);
const cluster = transformerStage(loaded);
const { model, path } = await loadEdgePredictor(loaded.path);
console.log(`GNN and transformer: ${path}`);
for (const c of cases) {
  if (!existsSync(c.vd)) {
    console.log(`${c.name}: skipped, ${c.vd} is missing`);
    continue;
  }
  const source = await openEvents('data/v2-ev200', { events: c.ids });
  const reconstruction = new Reconstruction({ vd: await loadModel(c.vd) }, { reduction: { rfactor: c.rfactor, noiseRatio: 0.05, seed: 1 }, cluster: { algorithm: 'none' } });
  const rows = [];
  await reconstruction.runAll(source, {
    sink: async (e) => {
      const input = networkInput(e.points, model.config);
      const { z, probabilities } = await model.predict({ numNodes: e.graph.numHits, ...input, src: e.graph.src, dst: e.graph.dst });
      const graph = { numHits: e.graph.numHits, src: e.graph.src, dst: e.graph.dst, prob: probabilities, latents: z, latentDim: model.config.zDim, coords: e.points };
      const weight = e.event.truth?.weight;
      let row;
      const profile = await tf.profile(async () => {
        const t0 = performance.now();
        const result = await cluster.cluster(graph, { threshold, seed: 1 });
        row = { event: e.eventId, hits: graph.numHits, edges: graph.src.length, ms: performance.now() - t0, ...result.stats, dms: doubleMajority(e.membership, result.labels, weight, { hitsMin: 4 }).dms };
      });
      const cut = await clusterers.cut.cluster(graph, { threshold });
      rows.push({ ...row, peakMiB: profile.peakBytes / 2 ** 20, cutDms: doubleMajority(e.membership, cut.labels, weight, { hitsMin: 4 }).dms });
    },
  });
  reconstruction.close();
  console.log(`${c.name} (edge threshold ${threshold}; the first event is the warm-up):`);
  for (const r of rows) {
    console.log(
      `  event ${r.event}: ${r.hits} hits, ${r.edges} edges: ${r.ms.toFixed(0)} ms (components ${r.componentsMs.toFixed(1)} ms), ${r.trials} calls, ${r.failures} failures, ${r.clusters} clusters, ${r.clusteredHits} hits clustered, peak tensors ${r.peakMiB.toFixed(0)} MiB; DMS ${r.dms.toFixed(3)} (cut ${r.cutDms.toFixed(3)})`,
    );
  }
  const timed = rows.slice(1).map((r) => r.ms).sort((a, b) => a - b);
  console.log(`  median after warm-up: ${timed[Math.floor(timed.length / 2)].toFixed(0)} ms per event`);
}
model.dispose();
loaded.model.dispose();

// Transformer clustering per event (issue 16): the pivot search and batched STransformer calls on
// real scored graphs, at mu = 2 (the demo's events, models/gnn-tune6-mu2) and mu = 20 (events of
// data/v2-ev200 at rfactor 0.1, models/gnn-tune6-mu20): time, batched calls (trials), failures,
// clusters, and the tensor memory at its peak. The transformer is untrained (none is trained
// yet), so its acceptances are arbitrary; the loop's cost is what this measures.
// Run after a build: node tools/bench/transformer-cluster.bench.mjs <demo folder> (default runs/demo)
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { loadEdgePredictor, networkInput } from '@hypertrack/gnn';
import { openEvents } from '@hypertrack/io-arrow';
import { initBackend } from '@hypertrack/nn';
import { Reconstruction } from '@hypertrack/pipeline';
import { loadModel } from '@hypertrack/voxdyn';
import { STransformer, TUNE5_TRANSFORMER, transformerClusterer } from '@hypertrack/transformer';

const demo = process.argv[2] ?? 'runs/demo';
const cases = [
  { name: 'mu = 2', events: `${demo}/test-events`, ids: '110-114', rfactor: 0.01, vd: `${demo}/vd/voxdyn_node2node_hyper_ncell_16384.vdm`, gnn: 'models/gnn-tune6-mu2', threshold: 0.55 },
  { name: 'mu = 20', events: 'data/v2-ev200', ids: '110-113', rfactor: 0.1, vd: 'data/v2-vd100-65k/voxdyn_node2node_hyper_ncell_65536.vdm', gnn: 'models/gnn-tune6-mu20', threshold: 0.8 },
];
await initBackend({ log: (line) => console.log(line) });
const transformer = new STransformer(TUNE5_TRANSFORMER, 1);
const cluster = transformerClusterer(transformer);
for (const c of cases) {
  if (!existsSync(c.events) || !existsSync(c.vd)) {
    console.log(`${c.name}: skipped, ${existsSync(c.events) ? c.vd : c.events} is missing (npm run demo makes the mu = 2 inputs)`);
    continue;
  }
  const { model } = await loadEdgePredictor(c.gnn);
  const source = await openEvents(c.events, { events: c.ids });
  const reconstruction = new Reconstruction({ vd: await loadModel(c.vd) }, { reduction: { rfactor: c.rfactor, seed: 1 }, cluster: { algorithm: 'none' } });
  const rows = [];
  await reconstruction.runAll(source, {
    sink: async (e) => {
      const input = networkInput(e.points, model.config);
      const { z, probabilities } = await model.predict({ numNodes: e.graph.numHits, ...input, src: e.graph.src, dst: e.graph.dst });
      const graph = { numHits: e.graph.numHits, src: e.graph.src, dst: e.graph.dst, prob: probabilities, latents: z, latentDim: model.config.zDim, coords: e.points };
      let peakBytes = 0;
      const profile = await tf.profile(async () => {
        const t0 = performance.now();
        const { stats } = await cluster.cluster(graph, { threshold: c.threshold, seed: 1 });
        rows.push({ event: e.eventId, hits: graph.numHits, edges: graph.src.length, ms: performance.now() - t0, ...stats });
      });
      peakBytes = profile.peakBytes;
      rows[rows.length - 1].peakMiB = peakBytes / 2 ** 20;
    },
  });
  reconstruction.close();
  model.dispose();
  console.log(`${c.name} (${c.gnn}, edge threshold ${c.threshold}; the first event is the warm-up):`);
  for (const r of rows) {
    console.log(`  event ${r.event}: ${r.hits} hits, ${r.edges} edges: ${r.ms.toFixed(0)} ms (components ${r.componentsMs.toFixed(1)} ms), ${r.trials} calls, ${r.failures} failures, ${r.clusters} clusters, ${r.clusteredHits} hits clustered, peak tensors ${r.peakMiB.toFixed(0)} MiB`);
  }
}
transformer.dispose();

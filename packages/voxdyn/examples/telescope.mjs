// The Voxel-Dynamics graph constructor on a detector of your own, with no TrackML code: a planar
// telescope of six planes at z = 0, 100, ..., 500 mm crossed by straight tracks from a beam spot,
// in 3-D space or 4-D space-time (x, y, z, t). Trains a model on 300 events, saves and reloads it,
// builds the graph of a held-out event and prints its edge efficiency and purity.
// Run after a build: node packages/voxdyn/examples/telescope.mjs [--time]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@hypertrack/core';
import { graphMetrics } from '@hypertrack/metrics';
import { buildGraph, loadModel, saveModel, trainVoxdyn } from '@hypertrack/voxdyn';

const withTime = process.argv.includes('--time');
const dim = withTime ? 4 : 3;

/** One event: `tracks` straight tracks (0.1 mm resolution, 50 ps in time) plus as many noise hits. */
function telescopeEvent(rng, tracks) {
  const coords = [];
  const membership = [];
  for (let t = 0; t < tracks; t++) {
    const [x0, y0] = [rng.normal(0, 5), rng.normal(0, 5)];
    const [tx, ty] = [rng.uniformIn(-0.15, 0.15), rng.uniformIn(-0.15, 0.15)];
    const t0 = rng.uniformIn(0, 100); // ns: tracks from different collisions
    for (let plane = 0; plane < 6; plane++) {
      const z = 100 * plane;
      coords.push(x0 + tx * z + rng.normal(0, 0.1), y0 + ty * z + rng.normal(0, 0.1), z);
      if (withTime) coords.push(t0 + z / 300 + rng.normal(0, 0.05));
      membership.push(t);
    }
  }
  for (let k = 0; k < tracks; k++) {
    coords.push(rng.uniformIn(-100, 100), rng.uniformIn(-100, 100), 100 * rng.int(6));
    if (withTime) coords.push(rng.uniformIn(0, 100));
    membership.push(-1);
  }
  return { points: Float32Array.from(coords), membership: Int32Array.from(membership) };
}

const rng = Rng.fromSeed(1);
const training = Array.from({ length: 300 }, () => telescopeEvent(rng, 50));
const model = await trainVoxdyn(training, { ncell: 2048, dim, node2node: 'hyper', niter: 20, seed: 9 });
const dir = mkdtempSync(join(tmpdir(), 'voxdyn-telescope-'));
const file = join(dir, 'telescope.vdm');
await saveModel(file, model);

const event = telescopeEvent(rng, 50);
const graph = buildGraph(await loadModel(file), event.points, { selfLoops: false });
const metrics = graphMetrics(graph, event.membership, { selfLoops: false });
console.log(
  `${dim}-D telescope, ${model.ncell} cells, C with ${model.cmatrix.indices.length} entries: ` +
    `held-out event of ${graph.numHits} hits -> ${graph.numEdges} edges, ` +
    `edge TPR ${metrics.tpr.toFixed(3)}, purity ${metrics.purity.toFixed(3)}`,
);
rmSync(dir, { recursive: true, force: true });

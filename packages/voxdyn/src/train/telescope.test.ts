import { Rng } from '@hypertrack/core';
import { graphMetrics } from '@hypertrack/metrics';
import { buildGraph } from '../graph/graph-builder';
import { decodeModel, encodeModel } from '../io/model-file';
import { trainVoxdyn, type TrainingEvent } from './train';

/**
 * A second, non-TrackML detector: six square planes along z (z = 0, 100, ..., 500 mm, 200 mm
 * wide) crossed by straight tracks from a beam spot, with 0.1 mm resolution and uniform noise.
 * With `time`, points are 4-D (x, y, z, t) and every track carries its own start time, so cells
 * must separate tracks in time as well as in space.
 */
function telescopeEvent(rng: Rng, tracks: number, time: boolean): TrainingEvent {
  const dim = time ? 4 : 3;
  const coords: number[] = [];
  const membership: number[] = [];
  for (let t = 0; t < tracks; t++) {
    const [x0, y0] = [rng.normal(0, 5), rng.normal(0, 5)];
    const [tx, ty] = [rng.uniformIn(-0.15, 0.15), rng.uniformIn(-0.15, 0.15)];
    const t0 = rng.uniformIn(0, 100);
    for (let plane = 0; plane < 6; plane++) {
      const z = 100 * plane;
      coords.push(x0 + tx * z + rng.normal(0, 0.1), y0 + ty * z + rng.normal(0, 0.1), z);
      if (time) coords.push(t0 + z / 300 + rng.normal(0, 0.05));
      membership.push(t);
    }
  }
  for (let k = 0; k < tracks; k++) {
    coords.push(rng.uniformIn(-100, 100), rng.uniformIn(-100, 100), 100 * rng.int(6));
    if (time) coords.push(rng.uniformIn(0, 100));
    membership.push(-1);
  }
  expect(coords.length).toBe(dim * membership.length);
  return { points: Float32Array.from(coords), membership: Int32Array.from(membership) };
}

describe('reuse on a planar telescope (no TrackML code)', () => {
  it.each([
    ['3-D space', false, 0.4],
    ['4-D space-time', true, 0.2],
  ])('trains on some events and builds efficient graphs on new ones (%s)', async (_name, time, maxFpr) => {
    const rng = Rng.fromSeed(time ? 4 : 3);
    const dim = time ? 4 : 3;
    const training = Array.from({ length: 300 }, () => telescopeEvent(rng, 50, time));
    const model = decodeModel(encodeModel(await trainVoxdyn(training, { ncell: 360, dim, node2node: 'hyper', niter: 10, seed: 9 })), 'memory');
    expect(model.dim).toBe(dim);
    const test = telescopeEvent(rng, 50, time);
    const m = graphMetrics(buildGraph(model, test.points, { selfLoops: false }), test.membership, { selfLoops: false });
    expect(m.tpr).toBeGreaterThan(0.95);
    expect(m.fpr).toBeLessThan(maxFpr);
    // Better than joining hits at random, which would give purity = the density of true pairs.
    expect(m.purity).toBeGreaterThan(2 * m.trueDensity);
  });
});

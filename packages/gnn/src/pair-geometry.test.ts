import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { TUNE5_GNN } from './config';
import { EdgePredictor } from './model';
import { PAIR_GEOMETRY_DIM, pairGeometry } from './pair-geometry';

/** Rows of the feature matrix as plain arrays. */
const rows = (f: Float32Array) => Array.from({ length: f.length / PAIR_GEOMETRY_DIM }, (_, e) => Array.from(f.subarray(e * PAIR_GEOMETRY_DIM, (e + 1) * PAIR_GEOMETRY_DIM)));

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

describe('pair geometry of the edge decoder', () => {
  // Hits 0 and 1 on a straight line from (0, 0, 5 mm) at phi = 0.1; hit 2 across the phi = +-pi seam.
  const line = (r: number) => [r * Math.cos(0.1), r * Math.sin(0.1), 5 + 0.5 * r];
  const coords = Float32Array.from([...line(100), ...line(300), 200 * Math.cos(3.1), 200 * Math.sin(3.1), 40, -200, -1e-4, 40]);

  it('gives the worked values: angles, distances, the beam-line intercept and the bending, and marks self-loops', () => {
    const [pair, , self] = rows(pairGeometry(coords, 3, Int32Array.from([0, 2, 1]), Int32Array.from([1, 3, 1])));
    const eta = (r: number, z: number) => Math.asinh(z / r);
    expect(pair[0]).toBeCloseTo(Math.abs(eta(100, 55) - eta(300, 155)), 5);
    expect(pair[1]).toBeCloseTo(0, 5);
    expect(pair[2]).toBeCloseTo(2, 5); // 200 mm / 100
    expect(pair[3]).toBeCloseTo(1, 5); // 100 mm / 100
    expect(pair[4]).toBeCloseTo(0.2, 5); // mean r 200 mm / 1000
    expect(pair[5]).toBeCloseTo(Math.asinh(5 / 10), 4); // z0 = 5 mm
    expect(pair[6]).toBeCloseTo(0, 4); // a straight line bends by nothing
    expect(pair[7]).toBe(0);
    expect(self).toEqual([0, 0, 0, 0, Math.fround(0.3), 0, 0, 1]);
  });

  it('wraps the azimuth difference across +-pi and is symmetric in the two hits', () => {
    const [across] = rows(pairGeometry(coords, 3, Int32Array.from([2]), Int32Array.from([3])));
    expect(across[1]).toBeCloseTo(2 * Math.PI - 3.1 - Math.PI, 4);
    const rng = Rng.fromSeed(3);
    const random = Float32Array.from({ length: 30 }, () => (rng.uniform() - 0.5) * 2000);
    const src = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const dst = Int32Array.from([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(pairGeometry(random, 3, src, dst)).toEqual(pairGeometry(random, 3, dst, src));
  });

  it('joins the latents at the decoder, which stays symmetric, with 8 more inputs to its first layer', async () => {
    const config = { ...TUNE5_GNN, pairFeatures: 'geometry' as const };
    const plain = new EdgePredictor(TUNE5_GNN, 1);
    const model = new EdgePredictor(config, 1);
    expect(model.parameterCount() - plain.parameterCount()).toBe(PAIR_GEOMETRY_DIM * TUNE5_GNN.correlateHidden[0]);
    const rng = Rng.fromSeed(4);
    const n = 40;
    // Small coordinates: an untrained network in evaluation mode (BatchNorm's initial statistics)
    // overflows on raw millimetres, its dot-product messages growing with every layer.
    const points = Float32Array.from({ length: 3 * n }, () => rng.normal(0, 1));
    const src = Int32Array.from({ length: 60 }, () => rng.int(n));
    const dst = Int32Array.from({ length: 60 }, () => rng.int(n));
    const plainForward = await plain.predict({ numNodes: n, coords: points, coordDim: 3, src, dst });
    expect(Number.isFinite(plainForward.probabilities[0])).toBe(true);
    const forward = await model.predict({ numNodes: n, coords: points, coordDim: 3, src: Int32Array.from([...src, ...dst]), dst: Int32Array.from([...dst, ...src]) });
    for (let e = 0; e < 60; e++) expect(forward.probabilities[e]).toBeCloseTo(forward.probabilities[e + 60], 5);
    expect(tf.memory().numTensors).toBeLessThan(400);
    model.dispose();
    plain.dispose();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { AdamW, initBackend } from '@hypertrack/nn';
import { TUNE5_TRANSFORMER } from './config';
import { STransformer } from './model';
import { clusterLosses, type ClusterTrainingEvent } from './training-loss';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

/** Three tracks of eight hits (chains at p 0.9 and skips at 0.8, both ways), tracks 0 and 1 joined at 0.7. */
function event(): ClusterTrainingEvent {
  const edges: Array<[number, number, number]> = [];
  for (let t = 0; t < 3; t++) {
    for (let k = 0; k < 7; k++) {
      edges.push([8 * t + k, 8 * t + k + 1, 0.9], [8 * t + k + 1, 8 * t + k, 0.9]);
      if (k < 6) edges.push([8 * t + k, 8 * t + k + 2, 0.8], [8 * t + k + 2, 8 * t + k, 0.8]);
    }
  }
  edges.push([3, 11, 0.7], [11, 3, 0.7]);
  const n = 24;
  return {
    numHits: n,
    src: Int32Array.from(edges, (e) => e[0]),
    dst: Int32Array.from(edges, (e) => e[1]),
    prob: Float32Array.from(edges, (e) => e[2]),
    coords: Float32Array.from({ length: 3 * n }, (_, i) => 50 * Math.sin(i)),
    trueTrack: Int32Array.from({ length: n }, (_, h) => Math.floor(h / 8)),
  };
}

describe('clusterLosses', () => {
  it('flows into the latents and the transformer, and falls when the transformer trains on them', () => {
    const model = new STransformer(TUNE5_TRANSFORMER, 3);
    const data = event();
    // Latents that carry the track: the transformer can learn which micrograph hits share the pivots' track.
    const z = tf.tensor2d(Float32Array.from({ length: 24 * 61 }, (_, i) => (Math.floor(i / 61 / 8) === i % 3 ? 1 : 0) + 0.1 * Math.sin(i)), [24, 61]);
    const params = [...model.namedParameters().values()];
    const lossOf = () => {
      const { clusterBCE, clusterContrastive } = clusterLosses(model, z, data, { seed: 1, search: { micrograph: 'full', acceptThreshold: 0.0 } });
      return tf.add(tf.mul(0.2, clusterBCE), tf.mul(0.2, clusterContrastive)) as tf.Scalar;
    };
    const zGrad = tf.tidy(() => {
      const g = tf.grad((zz: tf.Tensor) => clusterLosses(model, zz as tf.Tensor2D, data, { seed: 1, search: { micrograph: 'full', acceptThreshold: 0.0 } }).clusterBCE)(z);
      return tf.sum(tf.abs(g)).dataSync()[0];
    });
    expect(zGrad).toBeGreaterThan(0);
    const optimizer = new AdamW(model.namedParameters(), { lr: 3e-3 });
    const first = tf.tidy(() => lossOf().dataSync()[0]);
    const nameOf = new Map([...model.namedParameters()].map(([name, variable]) => [variable.name, name]));
    for (let step = 0; step < 25; step++) {
      // The optimizer keeps its moments across steps: it steps outside any tidy.
      const { value, grads } = tf.variableGrads(lossOf, params);
      optimizer.step(new Map(Object.entries(grads).map(([name, g]) => [nameOf.get(name) ?? name, g])));
      tf.dispose([value, ...Object.values(grads)]);
    }
    const last = tf.tidy(() => lossOf().dataSync()[0]);
    expect(Number.isFinite(first)).toBe(true);
    expect(last).toBeLessThan(first);
    optimizer.dispose();
    z.dispose();
    model.dispose();
  });
});

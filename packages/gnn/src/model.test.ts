import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, SuperEdgeConv, TUNE5_GNN, degreeDifference, prepareGraph, type GnnConfig } from './index';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const SMALL: GnnConfig = { ...TUNE5_GNN, nstack: 2, hDim: 8, mDim: 8, zDim: 5, correlateHidden: [4] };

function smallGraph(seed: number, n = 12, e = 40) {
  const rng = Rng.fromSeed(seed);
  const coords = Float32Array.from({ length: 3 * n }, () => rng.normal(0, 1));
  const src = Int32Array.from({ length: e }, () => rng.int(n));
  const dst = Int32Array.from({ length: e }, () => rng.int(n));
  src[0] = dst[0] = 3; // a self-loop
  return { numNodes: n, coordDim: 3, coords, src, dst };
}

describe('EdgePredictor (tune-5)', () => {
  it('has the reference parameter count and state-dict structure', () => {
    const model = new EdgePredictor(TUNE5_GNN, 1);
    // Reference 3.6: convs 132,544 + fusion 24,759 + edge MLP 2,941 + thr 1.
    expect(model.parameterCount()).toBe(160245);
    expect(model.convs.parameterCount()).toBe(132544);
    const state = model.stateDict();
    const shape = (key: string) => state.get(key)?.shape;
    expect(shape('thr')).toEqual([]);
    expect(shape('conv_gnn_edx.0.nn.0.0.weight')).toEqual([64, 12]);
    expect(shape('conv_gnn_edx.0.nn_final.0.0.weight')).toEqual([64, 67]);
    expect(shape('conv_gnn_edx.4.nn.0.0.weight')).toEqual([64, 195]);
    expect(shape('conv_gnn_edx.4.nn_final.1.2.running_var')).toEqual([64]);
    expect(shape('mlp_fusion_edx.1.2.weight')).toEqual([61]);
    expect(shape('mlp_2pt_edx.2.weight')).toEqual([1, 30]);
    expect([...state.keys()].every((key) => key === 'thr' || key.includes('edx'))).toBe(true);
    tf.dispose([...state.values()]);
    model.dispose();
  });
});

describe('SuperEdgeConv', () => {
  it('computes phi on [h_i, h_j - h_i, h_j h_i, |h_j - h_i|, <h_j, h_i>, a_ij] and the mean over incoming edges', () => {
    const input = smallGraph(2);
    const graph = prepareGraph(input);
    const conv = new SuperEdgeConv(3, { mDim: 6, hDim: 5, residual: false, act: 'silu', bn: true }, Rng.fromSeed(3));
    const h = graph.x;
    const messages = conv.message(h, graph).arraySync();
    // The same message from the explicit concatenation, built row by row in JS.
    const attr = degreeDifference(input);
    const rows: number[][] = [];
    for (let e = 0; e < input.src.length; e++) {
      const hi = Array.from(input.coords.subarray(3 * input.dst[e], 3 * input.dst[e] + 3));
      const hj = Array.from(input.coords.subarray(3 * input.src[e], 3 * input.src[e] + 3));
      const diff = hj.map((v, k) => v - hi[k]);
      const prod = hj.map((v, k) => v * hi[k]);
      rows.push([...hi, ...diff, ...prod, Math.hypot(...diff), prod.reduce((s, v) => s + v, 0), attr[e]]);
    }
    const expected = conv.phi.apply(tf.tensor2d(rows)).arraySync() as number[][];
    messages.forEach((row, e) => row.forEach((v, k) => expect(v).toBeCloseTo(expected[e][k], 4)));

    const aggregated = conv.aggregate(tf.tensor2d(messages), graph).arraySync();
    for (let i = 0; i < input.numNodes; i++) {
      const incoming = messages.filter((_, e) => input.dst[e] === i);
      for (let k = 0; k < 6; k++) {
        const mean = incoming.length === 0 ? 0 : incoming.reduce((s, m) => s + m[k], 0) / incoming.length;
        expect(aggregated[i][k]).toBeCloseTo(mean, 5);
      }
    }
    graph.dispose();
  });

  it('the degree attribute is (deg_out(src) - deg_out(dst)) / mean degree', () => {
    // 0 -> 1, 0 -> 2, 1 -> 2, 2 -> 2: out-degrees 2, 1, 1; mean 4/3.
    const attr = degreeDifference({ numNodes: 3, src: Int32Array.from([0, 0, 1, 2]), dst: Int32Array.from([1, 2, 2, 2]) });
    expect(Array.from(attr)).toEqual([0.75, 0.75, 0, 0].map((v) => Math.fround(v)));
  });
});

describe('gradients', () => {
  it('the whole model agrees with finite differences, self-loops included', () => {
    const model = new EdgePredictor({ ...SMALL, bn: false }, 4);
    const input = smallGraph(5);
    const graph = prepareGraph(input);
    const target = tf.tensor1d(Float32Array.from({ length: input.src.length }, (_, e) => (e % 3 === 0 ? 1 : -1)));
    const loss = () => tf.sum(tf.mul(tf.tanh(model.forward(graph).logits), target)) as tf.Scalar;
    for (const name of ['conv_gnn_edx.0.nn.0.0.weight', 'conv_gnn_edx.1.nn_final.1.0.weight', 'mlp_fusion_edx.0.0.bias']) {
      const variable = model.namedParameters().get(name)!;
      const analytic = tf.tidy(() => tf.variableGrads(loss, [variable]).grads[variable.name].dataSync().slice());
      const base = variable.dataSync().slice();
      const eps = 1e-2;
      let worst = 0;
      let scale = 1e-3;
      for (let i = 0; i < Math.min(base.length, 12); i++) {
        const at = (delta: number) => {
          const moved = base.slice();
          moved[i] += delta;
          variable.assign(tf.tensor(moved, variable.shape));
          return tf.tidy(() => loss().dataSync()[0]);
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        worst = Math.max(worst, Math.abs(numeric - analytic[i]));
        scale = Math.max(scale, Math.abs(numeric));
      }
      variable.assign(tf.tensor(base, variable.shape));
      expect(worst / scale).toBeLessThan(3e-2);
      expect(analytic.every(Number.isFinite)).toBe(true);
    }
    graph.dispose();
    model.dispose();
  });
});

describe('decoders', () => {
  it('symmetric-dot and symmetrized give p_ij = p_ji; asymmetric does not', async () => {
    const input = smallGraph(6, 10, 20);
    const src = Int32Array.from([...input.src, ...input.dst]);
    const dst = Int32Array.from([...input.dst, ...input.src]);
    for (const edgeType of ['symmetric-dot', 'symmetrized', 'asymmetric'] as const) {
      const model = new EdgePredictor({ ...SMALL, edgeType }, 7);
      model.eval();
      const { probabilities } = await model.predict({ ...input, src, dst });
      let worst = 0;
      for (let e = 0; e < 20; e++) worst = Math.max(worst, Math.abs(probabilities[e] - probabilities[e + 20]));
      if (edgeType === 'asymmetric') expect(worst).toBeGreaterThan(1e-4);
      else expect(worst).toBeLessThan(1e-6);
      model.dispose();
    }
  });

  it('predict validates its input and restores the training mode', async () => {
    const model = new EdgePredictor(SMALL, 1);
    const input = smallGraph(8);
    await expect(model.predict({ ...input, src: Int32Array.from([0, 99]), dst: Int32Array.from([1, 2]) })).rejects.toThrow(
      'src[1] = 99 is outside [0, 12)',
    );
    await expect(model.predict({ ...input, coords: input.coords.subarray(1) })).rejects.toThrow(/coords has 35 values/);
    const { z, probabilities } = await model.predict(input);
    expect(z.length).toBe(12 * 5);
    expect(probabilities.every((p) => p > 0 && p < 1)).toBe(true);
    expect(model.training).toBe(true);
    model.dispose();
  });
});

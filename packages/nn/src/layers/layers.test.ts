import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { BatchNorm1d, Linear, Mlp, initBackend, silu } from '../index';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

function randomArray(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal(0, scale));
}

/** Max |analytic - numeric| relative to the gradient scale, central differences in float32. */
function gradientError(loss: () => tf.Scalar, variable: tf.Variable, eps = 1e-2): number {
  const analytic = tf.tidy(() => tf.variableGrads(loss, [variable]).grads[variable.name].dataSync().slice());
  const base = variable.dataSync().slice();
  let worst = 0;
  let scale = 1e-3;
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice();
    plus[i] += eps;
    variable.assign(tf.tensor(plus, variable.shape));
    const lp = tf.tidy(() => loss().dataSync()[0]);
    const minus = base.slice();
    minus[i] -= eps;
    variable.assign(tf.tensor(minus, variable.shape));
    const lm = tf.tidy(() => loss().dataSync()[0]);
    const numeric = (lp - lm) / (2 * eps);
    worst = Math.max(worst, Math.abs(numeric - analytic[i]));
    scale = Math.max(scale, Math.abs(numeric));
  }
  variable.assign(tf.tensor(base, variable.shape));
  return worst / scale;
}

describe('Linear', () => {
  it('computes x W + b and exposes PyTorch layout in the state dict', () => {
    const layer = new Linear(3, 2, Rng.fromSeed(1));
    layer.kernel.assign(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    layer.bias!.assign(tf.tensor1d([0.5, -1]));
    const y = layer.apply(tf.tensor2d([[1, 0, -1], [2, 1, 0]]));
    // [1,0,-1]: (1-5, 2-6) + b = (-3.5, -5); [2,1,0]: (2+3, 4+4) + b = (5.5, 7)
    expect(Array.from(y.dataSync())).toEqual([-3.5, -5, 5.5, 7]);
    const state = layer.stateDict('lin');
    expect([...state.keys()]).toEqual(['lin.weight', 'lin.bias']);
    expect(state.get('lin.weight')!.shape).toEqual([2, 3]);
    expect(Array.from(state.get('lin.weight')!.dataSync())).toEqual([1, 3, 5, 2, 4, 6]);
    const copy = new Linear(3, 2, Rng.fromSeed(99));
    copy.loadStateDict(layer.stateDict());
    expect(Array.from(copy.kernel.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => new Linear(2, 3, Rng.fromSeed(1)).loadStateDict(layer.stateDict())).toThrow(/'weight' has shape \[2, 3\], the model expects \[3, 2\]/);
  });

  it('initialises from the seed: torch-default within 1/sqrt(fan_in), xavier-normal with its variance', () => {
    const a = new Linear(100, 50, Rng.fromSeed(7));
    const b = new Linear(100, 50, Rng.fromSeed(7));
    expect(Array.from(a.kernel.dataSync())).toEqual(Array.from(b.kernel.dataSync()));
    const bound = 1 / Math.sqrt(100);
    expect(Math.max(...Array.from(a.kernel.dataSync()).map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(a.bias!.dataSync()).map(Math.abs))).toBeLessThanOrEqual(bound);
    const x = new Linear(200, 100, Rng.fromSeed(3), { init: 'xavier-normal' });
    const w = x.kernel.dataSync();
    const variance = Array.from(w).reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeCloseTo(2 / 300, 3);
    expect(Array.from(x.bias!.dataSync()).every((v) => v === 0)).toBe(true);
  });
});

describe('BatchNorm1d', () => {
  const data = [
    [1, 10],
    [2, 20],
    [3, 60],
    [6, 30],
  ];

  it('normalises with batch statistics in training and updates the running ones (unbiased variance)', () => {
    const bn = new BatchNorm1d(2);
    const y = bn.apply(tf.tensor2d(data)).arraySync() as number[][];
    // column 0: mean 3, biased var (4+1+0+9)/4 = 3.5, unbiased 14/3
    expect(y[0][0]).toBeCloseTo((1 - 3) / Math.sqrt(3.5 + 1e-5), 5);
    expect(y[3][1]).toBeCloseTo((30 - 30) / Math.sqrt(350 + 1e-5), 5);
    const rm = bn.runningMean.dataSync();
    const rv = bn.runningVar.dataSync();
    expect(rm[0]).toBeCloseTo(0.1 * 3, 6);
    expect(rm[1]).toBeCloseTo(0.1 * 30, 5);
    expect(rv[0]).toBeCloseTo(0.9 + 0.1 * (14 / 3), 5);
    expect(rv[1]).toBeCloseTo(0.9 + 0.1 * (1400 / 3), 3);
    expect(bn.batchesTracked.dataSync()[0]).toBe(1);
  });

  it('uses the running statistics in evaluation mode and leaves them alone', () => {
    const bn = new BatchNorm1d(2);
    bn.runningMean.assign(tf.tensor1d([1, 2]));
    bn.runningVar.assign(tf.tensor1d([4, 9]));
    bn.weight.assign(tf.tensor1d([2, 1]));
    bn.bias.assign(tf.tensor1d([0, 1]));
    bn.eval();
    const y = bn.apply(tf.tensor2d([[3, 2]])).dataSync();
    expect(y[0]).toBeCloseTo((2 * (3 - 1)) / Math.sqrt(4 + 1e-5), 5);
    expect(y[1]).toBeCloseTo(1, 6);
    expect(Array.from(bn.runningMean.dataSync())).toEqual([1, 2]);
    expect(bn.batchesTracked.dataSync()[0]).toBe(0);
    expect(() => new BatchNorm1d(2).apply(tf.tensor2d([[1, 2]]))).toThrow(/at least 2 rows/);
  });

  it('has the gradient of the batch-statistics formula (finite differences through mean and variance)', () => {
    const rng = Rng.fromSeed(5);
    const x = tf.variable(tf.tensor2d(randomArray(rng, 6 * 3), [6, 3]));
    const bn = new BatchNorm1d(3);
    bn.weight.assign(tf.tensor1d([1.5, -0.5, 2]));
    const target = tf.tensor2d(randomArray(rng, 6 * 3), [6, 3]);
    const loss = () => tf.sum(tf.mul(tf.sin(bn.apply(x)), target)) as tf.Scalar;
    expect(gradientError(loss, x)).toBeLessThan(2e-2);
    expect(gradientError(loss, bn.weight)).toBeLessThan(2e-2);
  });
});

describe('SiLU', () => {
  it('matches x sigmoid(x) and its derivative', () => {
    const values = [-6, -1.5, 0, 0.3, 4];
    const x = tf.tensor1d(values);
    const y = silu(x).dataSync();
    const g = tf.grad((t: tf.Tensor) => tf.sum(silu(t)))(x).dataSync();
    values.forEach((v, i) => {
      const s = 1 / (1 + Math.exp(-v));
      expect(y[i]).toBeCloseTo(v * s, 6);
      expect(g[i]).toBeCloseTo(s + v * s * (1 - s), 6);
    });
  });
});

describe('Mlp', () => {
  it('names its state like the reference dmlp.MLP and counts parameters', () => {
    const full = new Mlp([61, 30, 30, 1], Rng.fromSeed(1), { bn: true, lastAct: false });
    expect([...full.stateDict().keys()]).toEqual([
      '0.0.weight', '0.0.bias', '0.2.weight', '0.2.bias', '0.2.running_mean', '0.2.running_var', '0.2.num_batches_tracked',
      '1.0.weight', '1.0.bias', '1.2.weight', '1.2.bias', '1.2.running_mean', '1.2.running_var', '1.2.num_batches_tracked',
      '2.weight', '2.bias',
    ]);
    // Reference 3.6: the edge MLP [61, 30, 30, 1] with BN has 2,941 parameters.
    expect(full.parameterCount()).toBe(2941);
    // Fusion [320, 64, 61], all blocks with BN: 24,759.
    expect(new Mlp([320, 64, 61], Rng.fromSeed(1), { bn: true, lastAct: true }).parameterCount()).toBe(24759);
    const plain = new Mlp([64, 64, 64], Rng.fromSeed(1), { lastAct: false });
    expect([...plain.namedParameters().keys()]).toEqual(['0.0.weight', '0.0.bias', '1.weight', '1.bias']);
  });

  it('is the composition of its blocks, and its gradient matches finite differences', () => {
    const rng = Rng.fromSeed(11);
    const mlp = new Mlp([4, 5, 3], rng, { bn: true, lastAct: true, act: 'tanh' });
    const xv = tf.tensor2d(randomArray(rng, 8 * 4), [8, 4]);
    const manual = tf.tidy(() => {
      const l0 = mlp.namedParameters();
      let h = tf.add(tf.matMul(xv, l0.get('0.0.weight')!), l0.get('0.0.bias')!);
      h = tf.tanh(h);
      const m0 = tf.moments(h, 0);
      h = tf.batchNorm(h, m0.mean, m0.variance, l0.get('0.2.bias')!, l0.get('0.2.weight')!, 1e-5);
      h = tf.tanh(tf.add(tf.matMul(h, l0.get('1.0.weight')!), l0.get('1.0.bias')!));
      const m1 = tf.moments(h, 0);
      return tf.batchNorm(h, m1.mean, m1.variance, l0.get('1.2.bias')!, l0.get('1.2.weight')!, 1e-5).dataSync();
    });
    const y = mlp.apply(xv).dataSync();
    manual.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 5));
    const w = mlp.namedParameters().get('0.0.weight')!;
    const target = tf.tensor2d(randomArray(rng, 8 * 3), [8, 3]);
    expect(gradientError(() => tf.sum(tf.mul(mlp.apply(xv), target)) as tf.Scalar, w)).toBeLessThan(2e-2);
  });

  it('round-trips its state, including running statistics, into a fresh model', () => {
    const a = new Mlp([3, 4, 2], Rng.fromSeed(1), { bn: true, lastAct: false });
    a.apply(tf.tensor2d([[1, 2, 3], [4, 5, 7], [0, 1, 1]]));
    const b = new Mlp([3, 4, 2], Rng.fromSeed(2), { bn: true, lastAct: false });
    b.loadStateDict(a.stateDict());
    a.eval();
    b.eval();
    const x = tf.tensor2d([[0.5, -1, 2]]);
    expect(Array.from(b.apply(x).dataSync())).toEqual(Array.from(a.apply(x).dataSync()));
    const partial = a.stateDict();
    partial.delete('1.bias');
    partial.set('extra', tf.scalar(1));
    expect(() => b.loadStateDict(partial)).toThrow(/missing: 1\.bias; unexpected: extra/);
    expect(() => b.loadStateDict(partial, { strict: false })).not.toThrow();
  });
});

import * as tf from '@tensorflow/tfjs-core';
import {
  Adam,
  AdamW,
  countParameters,
  createOptimizer,
  defaultDecayGroup,
  freezeByName,
  initBackend,
  namedGradients,
  selectTrainable,
  SGD,
} from '../index';

const P0 = { 'enc.0.weight': [0.5, -1.25, 2.0, 0.75], 'enc.0.bias': [0.1, -0.3] };
const G1 = { 'enc.0.weight': [0.2, -0.4, 1.5, -0.05], 'enc.0.bias': [-0.7, 0.01] };
const G2 = { 'enc.0.weight': [-0.3, 0.6, 0.25, 0.9], 'enc.0.bias': [0.2, -0.5] };
type Key = keyof typeof P0;
const SHAPES: Record<Key, number[]> = { 'enc.0.weight': [2, 2], 'enc.0.bias': [2] };

function makeParams(values: Record<Key, number[]> = P0): Map<string, tf.Variable> {
  return new Map((Object.keys(values) as Key[]).map((key) => [key, tf.variable(tf.tensor(values[key], SHAPES[key]), true)]));
}

function makeGrads(values: Record<Key, number[]>): Map<string, tf.Tensor> {
  return new Map((Object.keys(values) as Key[]).map((key) => [key, tf.tensor(values[key], SHAPES[key])]));
}

/** Float64 PyTorch AdamW / Adam for one tensor over several steps. */
function adamRef(p0: number[], grads: number[][], lrs: number[], wd: number, decoupled: boolean, b1 = 0.9, b2 = 0.999, eps = 1e-6): number[] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, s) => {
    const t = s + 1;
    const lr = lrs[s]!;
    for (let i = 0; i < p.length; i++) {
      let gi = g[i]!;
      if (decoupled) p[i]! *= 1 - lr * wd;
      else gi += wd * p[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * gi;
      v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
      const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - b2 ** t) + eps;
      p[i]! -= (lr / (1 - b1 ** t)) * (m[i]! / denom);
    }
  });
  return p;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol);
}

describe.each(['wasm', 'cpu'] as const)('optimizers on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });

  it('groups parameters like the reference (bias and LayerNorm weights: no decay)', () => {
    expect(defaultDecayGroup('conv_gnn_edx.0.nn.0.0.weight')).toBe('decay');
    expect(defaultDecayGroup('conv_gnn_edx.0.nn.0.2.weight')).toBe('decay'); // BatchNorm weight
    expect(defaultDecayGroup('conv_gnn_edx.0.nn.0.2.bias')).toBe('no-decay');
    expect(defaultDecayGroup('transformer_ccx.mab_D.ln0.weight')).toBe('no-decay');
    expect(defaultDecayGroup('transformer_ccx.sab_stack_D.1.0.mab.ln1.bias')).toBe('no-decay');
    expect(defaultDecayGroup('model.LayerNorm.weight')).toBe('no-decay');
    expect(defaultDecayGroup('ln0.weight')).toBe('no-decay'); // top-level LayerNorm
    expect(defaultDecayGroup('thr')).toBe('decay');
    expect(defaultDecayGroup('transformer_ccx.MLP_E.0.0.weight')).toBe('decay');
  });

  it('AdamW: one and two steps match float64 PyTorch arithmetic, with per-group decay', () => {
    const params = makeParams();
    const options = { lr: 0.01, weightDecay: 0.05, weightDecayNoDecay: 0.02 };
    const opt = new AdamW(params, options);
    expect(opt.weightDecayOf('enc.0.weight')).toBe(0.05);
    expect(opt.weightDecayOf('enc.0.bias')).toBe(0.02);
    const g1 = makeGrads(G1);
    opt.step(g1);
    expectClose(params.get('enc.0.weight')!.dataSync(), adamRef(P0['enc.0.weight'], [G1['enc.0.weight']], [0.01], 0.05, true), 2e-7);
    expectClose(params.get('enc.0.bias')!.dataSync(), adamRef(P0['enc.0.bias'], [G1['enc.0.bias']], [0.01], 0.02, true), 2e-7);
    const g2 = makeGrads(G2);
    opt.step(g2, 0.003); // the learning rate of this step only
    expect(opt.stepCount).toBe(2);
    expect(opt.lr).toBe(0.01);
    for (const key of ['enc.0.weight', 'enc.0.bias'] as const) {
      const wd = key === 'enc.0.weight' ? 0.05 : 0.02;
      expectClose(params.get(key)!.dataSync(), adamRef(P0[key], [G1[key], G2[key]], [0.01, 0.003], wd, true), 3e-7);
    }
    const state = opt.state();
    expect([...state.keys()].sort()).toEqual(
      ['step', 'step.enc.0.weight', 'step.enc.0.bias', 'exp_avg.enc.0.weight', 'exp_avg.enc.0.bias', 'exp_avg_sq.enc.0.weight', 'exp_avg_sq.enc.0.bias'].sort(),
    );
    expect(state.get('step')!.dataSync()[0]).toBe(2);
    expectClose(state.get('exp_avg.enc.0.bias')!.dataSync(), G1['enc.0.bias'].map((g, i) => 0.9 * 0.1 * g + 0.1 * G2['enc.0.bias'][i]!), 1e-7);
    tf.dispose([...g1.values(), ...g2.values(), ...state.values(), ...params.values()]);
    opt.dispose();
  });

  it('Adam adds L2 decay to the gradient; SGD is p -= lr (g + wd p); createOptimizer picks them', () => {
    const pa = makeParams();
    const adam = createOptimizer('Adam', pa, { lr: 0.02, weightDecay: 0.1 });
    expect(adam).toBeInstanceOf(Adam);
    const g1 = makeGrads(G1);
    const g2 = makeGrads(G2);
    adam.step(g1);
    adam.step(g2);
    expectClose(pa.get('enc.0.weight')!.dataSync(), adamRef(P0['enc.0.weight'], [G1['enc.0.weight'], G2['enc.0.weight']], [0.02, 0.02], 0.1, false), 3e-7);
    expectClose(pa.get('enc.0.bias')!.dataSync(), adamRef(P0['enc.0.bias'], [G1['enc.0.bias'], G2['enc.0.bias']], [0.02, 0.02], 0, false), 3e-7);

    const ps = makeParams();
    const sgd = createOptimizer('SGD', ps, { lr: 0.5, weightDecay: 0.1 });
    expect(sgd).toBeInstanceOf(SGD);
    sgd.step(g1);
    expectClose(ps.get('enc.0.weight')!.dataSync(), P0['enc.0.weight'].map((p, i) => p - 0.5 * (G1['enc.0.weight'][i]! + 0.1 * p)), 1e-7);
    expectClose(ps.get('enc.0.bias')!.dataSync(), P0['enc.0.bias'].map((p, i) => p - 0.5 * G1['enc.0.bias'][i]!), 1e-7);
    expect(createOptimizer('AdamW', ps, { lr: 1 })).toBeInstanceOf(AdamW);
    expect(() => createOptimizer('Lion', ps, { lr: 1 })).toThrow(/unknown optimizer 'Lion' \(expected one of AdamW, Adam, SGD\)/);
    tf.dispose([...g1.values(), ...g2.values(), ...pa.values(), ...ps.values()]);
    adam.dispose();
    sgd.dispose();
  });

  it('frozen parameters stay untouched; unknown gradients are refused', () => {
    const params = new Map<string, tf.Variable>([
      ['net.conv_gnn_edx.0.weight', tf.variable(tf.tensor1d([1, 2]), true)],
      ['net.transformer_ccx.W_q.weight', tf.variable(tf.tensor1d([3, 4]), true)],
      ['net.thr', tf.variable(tf.scalar(0.5), true)],
    ]);
    expect([...selectTrainable(params, { exclude: ['ccx'] }).keys()]).toEqual(['net.conv_gnn_edx.0.weight', 'net.thr']);
    expect([...selectTrainable(params, { include: ['edx', /thr$/] }).keys()]).toEqual(['net.conv_gnn_edx.0.weight', 'net.thr']);
    expect([...selectTrainable(params, { include: ['net.'], exclude: ['edx'] }).keys()]).toEqual(['net.transformer_ccx.W_q.weight', 'net.thr']);
    const trainable = freezeByName(params, ['ccx']);
    expect(countParameters(trainable)).toBe(3);
    expect(countParameters(params)).toBe(5);

    const opt = new AdamW(trainable, { lr: 0.1 });
    const grads = new Map([['net.conv_gnn_edx.0.weight', tf.tensor1d([1, -1])]]);
    opt.step(grads); // thr has no gradient this time: skipped entirely
    expect(Array.from(params.get('net.transformer_ccx.W_q.weight')!.dataSync())).toEqual([3, 4]);
    expect(params.get('net.thr')!.dataSync()[0]).toBe(0.5);
    expect([...opt.state().keys()]).not.toContain('step.net.thr');
    const frozen = new Map([['net.transformer_ccx.W_q.weight', tf.tensor1d([1, 1])]]);
    expect(() => opt.step(frozen)).toThrow(/'net.transformer_ccx.W_q.weight', which is not among the optimised parameters/);
    expect(() => opt.step(new Map([['net.thr', tf.tensor1d([1])]]))).toThrow(/shape \[1\], the parameter \[\]/);
    expect(opt.stepCount).toBe(1);
    tf.dispose([...grads.values(), ...frozen.values(), ...params.values()]);
    opt.dispose();
  });

  it('namedGradients maps tfjs gradients back to dotted names; plain-object gradients work too', () => {
    const params = makeParams();
    const { value, grads } = namedGradients(() => tf.sum(tf.square(params.get('enc.0.weight')!)), params);
    expect(value.dataSync()[0]).toBeCloseTo(0.25 + 1.5625 + 4 + 0.5625, 5);
    expectClose(grads.get('enc.0.weight')!.dataSync(), P0['enc.0.weight'].map((p) => 2 * p), 1e-6);
    const opt = new SGD(params, { lr: 0.1, weightDecay: 0 });
    const w = params.get('enc.0.weight')!;
    opt.step({ 'enc.0.weight': grads.get('enc.0.weight')! });
    expectClose(w.dataSync(), P0['enc.0.weight'].map((p) => p - 0.2 * p), 1e-6);
    tf.dispose([value, ...grads.values(), ...params.values()]);
  });

  it('steps do not leak tensors', () => {
    const params = makeParams();
    const grads = makeGrads(G1);
    for (const name of ['AdamW', 'Adam', 'SGD']) {
      const opt = createOptimizer(name, params, { lr: 0.01 });
      opt.step(grads);
      const before = tf.memory().numTensors;
      opt.step(grads);
      opt.step(grads);
      expect(tf.memory().numTensors).toBe(before);
      opt.dispose();
    }
    tf.dispose([...grads.values(), ...params.values()]);
  });

  it('a state round trip gives identical subsequent steps', () => {
    const a = makeParams();
    const optA = new AdamW(a, { lr: 0.01 });
    const g1 = makeGrads(G1);
    const g2 = makeGrads(G2);
    optA.step(g1);
    optA.step(new Map([['enc.0.weight', g2.get('enc.0.weight')!]])); // bias: only one step
    const state = optA.state();
    expect(state.get('step.enc.0.weight')!.dataSync()[0]).toBe(2);
    expect(state.get('step.enc.0.bias')!.dataSync()[0]).toBe(1);

    const b = new Map([...a].map(([key, v]) => [key, tf.variable(v.clone(), true)]));
    const optB = new AdamW(b, { lr: 0.01 });
    optB.loadState(state);
    tf.dispose([...state.values()]); // loadState copied them
    expect(optB.stepCount).toBe(2);
    optA.step(g2);
    optB.step(g2);
    for (const key of a.keys()) expect(Array.from(b.get(key)!.dataSync())).toEqual(Array.from(a.get(key)!.dataSync()));

    const bad = new Map<string, tf.Tensor>([['step', tf.scalar(1, 'int32')], ['exp_avg.enc.0.bias', tf.zeros([2])]]);
    expect(() => optB.loadState(bad)).toThrow(/incomplete optimizer state \('enc.0.bias' has no valid step\)/);
    bad.set('step.enc.0.bias', tf.scalar(1, 'int32'));
    bad.set('exp_avg_sq.enc.0.bias', tf.zeros([3]));
    expect(() => optB.loadState(bad)).toThrow(/'exp_avg_sq.enc.0.bias' has shape \[3\], the parameter \[2\]/);
    bad.set('exp_avg.other', tf.zeros([2]));
    expect(() => optB.loadState(new Map([['step', tf.scalar(0)], ['exp_avg.other', tf.zeros([1])]]))).toThrow(/names no optimised parameter/);
    tf.dispose([...g1.values(), ...g2.values(), ...bad.values(), ...a.values(), ...b.values()]);
    optA.dispose();
    optB.dispose();
  });
});

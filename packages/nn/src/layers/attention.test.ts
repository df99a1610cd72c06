import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend, LayerNorm, MAB, SAB, type StateDict } from '../index';

type Mat = number[][];

/** Plain float64 reference of the reference's MAB, from a PyTorch-layout state dict. */
interface RefWeights {
  [key: string]: Float64Array;
}

function weightsOf(state: StateDict): RefWeights {
  const out: RefWeights = {};
  for (const [key, tensor] of state) out[key] = Float64Array.from(tensor.dataSync());
  return out;
}

function linear(x: Mat, w: Float64Array, b: Float64Array): Mat {
  const out = b.length;
  const inp = w.length / out;
  return x.map((row) => Array.from({ length: out }, (_, o) => {
    let s = b[o];
    for (let i = 0; i < inp; i++) s += w[o * inp + i] * row[i];
    return s;
  }));
}

function layerNorm(x: Mat, w: Float64Array, b: Float64Array, eps = 1e-5): Mat {
  return x.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * w[i] + b[i]);
  });
}

const silu = (v: number): number => v / (1 + Math.exp(-v));

/** One batch element: q [Nq][dimQ], k [Nk][dimK], masks as booleans. */
function refMab(W: RefWeights, prefix: string, q: Mat, k: Mat, qm: boolean[] | null, km: boolean[] | null, dimV: number, heads: number, ln: boolean): Mat {
  const p = (name: string): Float64Array => W[prefix + name];
  const qp = linear(q, p('W_q.weight'), p('W_q.bias'));
  const kp = linear(k, p('W_k.weight'), p('W_k.bias'));
  const vp = linear(k, p('W_v.weight'), p('W_v.bias'));
  const width = dimV / heads;
  const o: Mat = q.map(() => new Array<number>(dimV).fill(0));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < q.length; i++) {
      const s = k.map((_, j) => {
        if ((qm !== null && !qm[i]) || (km !== null && !km[j])) return -1e6;
        let dot = 0;
        for (let c = 0; c < width; c++) dot += qp[i][h * width + c] * kp[j][h * width + c];
        return dot / Math.sqrt(dimV);
      });
      const top = Math.max(...s);
      const e = s.map((v) => Math.exp(v - top));
      const z = e.reduce((a, v) => a + v, 0);
      for (let c = 0; c < width; c++) o[i][h * width + c] = e.reduce((a, v, j) => a + (v / z) * vp[j][h * width + c], 0);
    }
  }
  const wo = linear(o, p('W_o.weight'), p('W_o.bias'));
  let hh = q.map((row, i) => row.map((v, c) => v + wo[i][c]));
  if (ln) hh = layerNorm(hh, p('ln0.weight'), p('ln0.bias'));
  const m1 = linear(hh, p('MLP.0.0.weight'), p('MLP.0.0.bias')).map((r) => r.map(silu));
  const m2 = linear(m1, p('MLP.1.0.weight'), p('MLP.1.0.bias')).map((r) => r.map(silu));
  hh = hh.map((row, i) => row.map((v, c) => v + m2[i][c]));
  if (ln) hh = layerNorm(hh, p('ln1.weight'), p('ln1.bias'));
  return hh;
}

function randomArray(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
}

function toMats(data: ArrayLike<number>, b: number, n: number, d: number): Mat[] {
  return Array.from({ length: b }, (_, bi) => Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, c) => data[(bi * n + i) * d + c])));
}

/** Gives LayerNorm affine parameters non-trivial values so the test sees them. */
function randomiseLayerNorms(model: MAB, rng: Rng): void {
  const state = model.stateDict();
  for (const [key, tensor] of state) {
    if (key.includes('ln')) {
      const values = randomArray(rng, tensor.size, 0.5);
      if (key.endsWith('weight')) values.forEach((v, i) => (values[i] = 1 + v));
      tensor.dispose();
      state.set(key, tf.tensor(values, tensor.shape));
    }
  }
  model.loadStateDict(state);
  state.forEach((t) => t.dispose());
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.each(['wasm', 'cpu'] as const)('LayerNorm and attention on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });

  it('LayerNorm normalises the last axis like PyTorch (biased variance, eps 1e-5)', () => {
    const rng = Rng.fromSeed(1);
    const ln = new LayerNorm(5);
    expect([...ln.stateDict().keys()]).toEqual(['weight', 'bias']);
    const w = randomArray(rng, 5);
    const b = randomArray(rng, 5);
    ln.loadStateDict(new Map([['weight', tf.tensor1d(w)], ['bias', tf.tensor1d(b)]]));
    const x = randomArray(rng, 2 * 3 * 5, 3);
    const y = ln.apply(tf.tensor3d(x, [2, 3, 5]));
    expect(y.shape).toEqual([2, 3, 5]);
    const rows: Mat = Array.from({ length: 6 }, (_, r) => Array.from(x.subarray(r * 5, r * 5 + 5)));
    const expected = layerNorm(rows, Float64Array.from(w), Float64Array.from(b)).flat();
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(2e-5);
    // A constant row is mapped to the bias (variance 0, eps keeps it finite).
    const flat = ln.apply(tf.fill([1, 5], 7));
    expect(maxAbsDiff(flat.dataSync(), b)).toBeLessThan(1e-5);
    expect(() => ln.apply(tf.zeros([2, 4]))).toThrow(/LayerNorm\(5\) expects/);
    ln.dispose();
  });

  it('MAB has the reference state-dict keys and parameter count (25 216 at 64 / 4 heads)', () => {
    const mab = new MAB(64, 64, Rng.fromSeed(2));
    const state = mab.stateDict('transformer_ccx.mab_D');
    expect([...state.keys()]).toEqual(
      ['W_q', 'W_k', 'W_v', 'W_o', 'ln0', 'ln1', 'MLP.0.0', 'MLP.1.0'].flatMap((m) => [`transformer_ccx.mab_D.${m}.weight`, `transformer_ccx.mab_D.${m}.bias`]),
    );
    expect(state.get('transformer_ccx.mab_D.W_k.weight')!.shape).toEqual([64, 64]);
    expect(mab.parameterCount()).toBe(25216);
    state.forEach((t) => t.dispose());
    const sab = new SAB(64, 64, Rng.fromSeed(3));
    const keys = [...sab.stateDict('transformer_ccx.sab_stack_D.2.0').keys()];
    expect(keys[0]).toBe('transformer_ccx.sab_stack_D.2.0.mab.W_q.weight');
    expect(keys).toHaveLength(16);
    expect(keys.every((key) => key.startsWith('transformer_ccx.sab_stack_D.2.0.mab.'))).toBe(true);
    const noLn = new MAB(8, 6, Rng.fromSeed(4), { dimV: 8, heads: 2, ln: false });
    expect([...noLn.namedParameters().keys()].filter((k) => k.startsWith('ln'))).toEqual([]);
    expect(noLn.namedParameters().get('W_k.weight')!.shape).toEqual([6, 8]); // kernel [in, out]
    mab.dispose();
    sab.dispose();
    noLn.dispose();
  });

  it('MAB forward matches a per-element float64 computation, with and without masks', () => {
    const rng = Rng.fromSeed(5);
    const [B, Nq, Nk, dimK, dimV, heads] = [2, 4, 3, 5, 8, 2];
    const mab = new MAB(dimV, dimK, rng.split('model'), { dimV, heads });
    randomiseLayerNorms(mab, rng);
    const state = mab.stateDict();
    const W = weightsOf(state);
    state.forEach((t) => t.dispose());
    const q = randomArray(rng, B * Nq * dimV, 2);
    const k = randomArray(rng, B * Nk * dimK, 2);
    const qm = [[true, true, false, true], [true, false, false, false]];
    const km = [[true, false, true], [false, true, true]];
    const cases: Array<[boolean[][] | null, boolean[][] | null]> = [[null, null], [qm, null], [null, km], [qm, km]];
    for (const [qmask, kmask] of cases) {
      const out = tf.tidy(() => {
        const qt = qmask === null ? null : tf.tensor2d(qmask, [B, Nq], 'bool');
        // The key mask as float 0/1 exercises the numeric-mask path.
        const kt = kmask === null ? null : tf.tensor2d(kmask.map((r) => r.map(Number)), [B, Nk]);
        return mab.apply(tf.tensor3d(q, [B, Nq, dimV]), tf.tensor3d(k, [B, Nk, dimK]), qt, kt);
      });
      expect(out.shape).toEqual([B, Nq, dimV]);
      const qs = toMats(q, B, Nq, dimV);
      const ks = toMats(k, B, Nk, dimK);
      const expected = qs.flatMap((qb, b) => refMab(W, '', qb, ks[b], qmask?.[b] ?? null, kmask?.[b] ?? null, dimV, heads, true).flat());
      expect(maxAbsDiff(out.dataSync(), expected)).toBeLessThan(2e-4);
      out.dispose();
    }
    // The scale is sqrt(dimV), not sqrt(width): a per-head scale would change the output.
    const wrongScale = qsWithScale(W, q, k, B, Nq, Nk, dimK, dimV, heads);
    const right = mab.apply(tf.tensor3d(q, [B, Nq, dimV]), tf.tensor3d(k, [B, Nk, dimK]));
    expect(maxAbsDiff(right.dataSync(), wrongScale)).toBeGreaterThan(1e-3);
    right.dispose();
    mab.dispose();
  });

  it('SAB(x, mask) equals MAB(x, x, mask, mask) with the same weights', () => {
    const rng = Rng.fromSeed(6);
    const sab = new SAB(8, 8, Rng.fromSeed(7), { heads: 4 });
    const mab = new MAB(8, 8, Rng.fromSeed(7), { dimV: 8, heads: 4 });
    const x = tf.tensor3d(randomArray(rng, 2 * 3 * 8), [2, 3, 8]);
    const mask = tf.tensor2d([[1, 1, 0], [1, 1, 1]], [2, 3], 'bool');
    const a = sab.apply(x, mask);
    const b = mab.apply(x, x, mask, mask);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
    tf.dispose([x, mask, a, b]);
    sab.dispose();
    mab.dispose();
  });

  it('MAB gradients (inputs and parameters) agree with float64 finite differences', () => {
    const rng = Rng.fromSeed(8);
    const [Nq, Nk, dimK, dimV, heads] = [3, 3, 3, 4, 2];
    const mab = new MAB(dimV, dimK, rng.split('model'), { dimV, heads });
    randomiseLayerNorms(mab, rng);
    const q = randomArray(rng, Nq * dimV);
    const k = randomArray(rng, Nk * dimK);
    const r = randomArray(rng, Nq * dimV); // loss = sum(H * r)
    const qmask = [true, true, false];
    // The padded query row attends uniformly to every key (reference behaviour); its output is
    // ignored, so it does not enter the loss.
    r.fill(0, 2 * dimV);
    const kmask = [true, false, true];
    const masks = () => [tf.tensor2d([qmask], [1, Nq], 'bool'), tf.tensor2d([kmask], [1, Nk], 'bool')] as const;

    const state = mab.stateDict();
    const W = weightsOf(state);
    state.forEach((t) => t.dispose());
    const refLoss = (weights: RefWeights, qv: ArrayLike<number>, kv: ArrayLike<number>): number => {
      const out = refMab(weights, '', toMats(qv, 1, Nq, dimV)[0], toMats(kv, 1, Nk, dimK)[0], qmask, kmask, dimV, heads, true).flat();
      return out.reduce((a, v, i) => a + v * r[i], 0);
    };
    const fd = (f: (x: Float64Array) => number, x: Float64Array): Float64Array => {
      const h = 1e-6;
      return x.map((_, i) => {
        const plus = Float64Array.from(x);
        const minus = Float64Array.from(x);
        plus[i] += h;
        minus[i] -= h;
        return (f(plus) - f(minus)) / (2 * h);
      });
    };

    const lossOf = (qt: tf.Tensor, kt: tf.Tensor): tf.Scalar => {
      const [qm, km] = masks();
      return tf.sum(tf.mul(mab.apply(qt, kt, qm, km), tf.tensor3d(r, [1, Nq, dimV])));
    };
    const [gq, gk] = tf.grads((qt: tf.Tensor, kt: tf.Tensor) => lossOf(qt, kt))([tf.tensor3d(q, [1, Nq, dimV]), tf.tensor3d(k, [1, Nk, dimK])]);
    const fdQ = fd((x) => refLoss(W, x, k), Float64Array.from(q));
    const fdK = fd((x) => refLoss(W, q, x), Float64Array.from(k));
    expect(maxAbsDiff(gq.dataSync(), fdQ)).toBeLessThan(2e-3);
    expect(maxAbsDiff(gk.dataSync(), fdK)).toBeLessThan(2e-3);
    // With the padded query ignored, the masked-out key gets no gradient at all.
    expect(Array.from(gk.dataSync().subarray(dimK, 2 * dimK))).toEqual([0, 0, 0]);

    const params = mab.namedParameters();
    const { grads } = tf.variableGrads(() => lossOf(tf.tensor3d(q, [1, Nq, dimV]), tf.tensor3d(k, [1, Nk, dimK])), [...params.values()]);
    for (const name of ['W_q.weight', 'W_k.bias', 'W_v.weight', 'W_o.weight', 'ln0.weight', 'ln1.bias', 'MLP.0.0.weight', 'MLP.1.0.bias']) {
      const variable = params.get(name)!;
      let got: Float64Array = Float64Array.from(grads[variable.name]!.dataSync());
      const expected = fd((x) => refLoss({ ...W, [name]: x }, q, k), W[name]);
      // Linear kernels are [in, out]; the reference weights (and so the differences) are [out, in].
      if (name.endsWith('weight') && variable.rank === 2) got = transpose(got, variable.shape[0] ?? 0, variable.shape[1] ?? 0);
      expect(maxAbsDiff(got, expected)).toBeLessThan(2e-3);
    }
    tf.dispose([gq, gk, ...Object.values(grads)]);
    mab.dispose();
  });

  it('rejects bad shapes and configurations with clear errors', () => {
    expect(() => new MAB(32, 64, Rng.fromSeed(1))).toThrow(/dimQ == dimV/);
    expect(() => new MAB(6, 6, Rng.fromSeed(1), { dimV: 6, heads: 4 })).toThrow(/divisible/);
    const mab = new MAB(4, 4, Rng.fromSeed(1), { dimV: 4, heads: 2 });
    expect(() => mab.apply(tf.zeros([1, 2, 4]), tf.zeros([2, 2, 4]))).toThrow(/batch size/);
    expect(() => mab.apply(tf.zeros([1, 2, 4]), tf.zeros([1, 3, 4]), null, tf.ones([1, 2]))).toThrow(/key mask must be \[1, 3\]/);
    mab.dispose();
  });
});

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

/** The MAB output if scores were scaled by sqrt(width) instead (to show the scale matters). */
function qsWithScale(W: RefWeights, q: Float32Array, k: Float32Array, B: number, Nq: number, Nk: number, dimK: number, dimV: number, heads: number): number[] {
  // Scaling the query projection by sqrt(dimV / width) turns /sqrt(dimV) into /sqrt(width).
  const factor = Math.sqrt(heads);
  const scaled: RefWeights = { ...W, 'W_q.weight': W['W_q.weight'].map((v) => v * factor), 'W_q.bias': W['W_q.bias'].map((v) => v * factor) };
  const qs = toMats(q, B, Nq, dimV);
  const ks = toMats(k, B, Nk, dimK);
  return qs.flatMap((qb, b) => refMab(scaled, '', qb, ks[b], null, null, dimV, heads, true).flat());
}

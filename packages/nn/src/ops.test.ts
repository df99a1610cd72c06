import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { gatherRows, initBackend, rowIndex, segmentCounts, segmentMean, segmentSum } from './index';

/** Deterministic small inputs: x [n, f], an index of length e into [0, n). */
function fixture(seed: number, n: number, e: number, f: number) {
  const rng = Rng.fromSeed(seed);
  const x = Float32Array.from({ length: n * f }, () => rng.uniform() * 2 - 1);
  const idx = Int32Array.from({ length: e }, () => Math.floor(rng.uniform() * n));
  const weights = Float32Array.from({ length: e * f }, () => rng.uniform() * 2 - 1);
  return { x, idx, weights };
}

function refGather(x: Float32Array, f: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * f);
  idx.forEach((r, e) => out.set(x.subarray(r * f, r * f + f), e * f));
  return out;
}

function refSegment(values: Float32Array, f: number, ids: Int32Array, n: number, mean: boolean): Float32Array {
  const out = new Float32Array(n * f);
  const count = new Float32Array(n);
  ids.forEach((s, e) => {
    count[s]++;
    for (let k = 0; k < f; k++) out[s * f + k] += values[e * f + k];
  });
  if (mean) for (let s = 0; s < n; s++) for (let k = 0; k < f; k++) out[s * f + k] /= Math.max(count[s], 1);
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

/** Central finite differences of a scalar function of x (evaluated in float64 from float32 sums). */
function finiteDifferences(loss: (x: Float32Array) => number, x: Float32Array, eps = 1e-2): Float32Array {
  const grad = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const plus = Float32Array.from(x);
    const minus = Float32Array.from(x);
    plus[i] += eps;
    minus[i] -= eps;
    grad[i] = (loss(plus) - loss(minus)) / (2 * eps);
  }
  return grad;
}

describe.each(['wasm', 'cpu'] as const)('ops on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });

  const N = 7;
  const E = 19;
  const F = 3;

  it('gatherRows matches a plain-JS gather for every index form', () => {
    const { x, idx } = fixture(1, N, E, F);
    const expected = refGather(x, F, idx);
    const xt = tf.tensor2d(x, [N, F]);
    const forms = [idx, Array.from(idx), tf.tensor1d(idx, 'int32'), tf.tensor2d(idx, [E, 1], 'int32')];
    for (const form of forms) {
      const y = gatherRows(xt, form);
      expect(y.shape).toEqual([E, F]);
      expectClose(y.dataSync(), expected, 0);
      y.dispose();
      if (form instanceof tf.Tensor) form.dispose();
    }
    xt.dispose();
  });

  it('segmentSum, segmentMean and segmentCounts match plain JS, empty segments are zero', () => {
    const { x: values, idx } = fixture(2, E, E, F);
    const ids = idx.map((i) => i % (N - 2)); // the last two segments stay empty
    const v = tf.tensor2d(values, [E, F]);
    const sum = segmentSum(v, ids, N);
    const mean = segmentMean(v, ids, N);
    const counts = segmentCounts(ids, N);
    expect(sum.shape).toEqual([N, F]);
    expectClose(sum.dataSync(), refSegment(values, F, ids, N, false), 1e-5);
    expectClose(mean.dataSync(), refSegment(values, F, ids, N, true), 1e-6);
    expect(Array.from(mean.dataSync().subarray((N - 2) * F))).toEqual(new Array(2 * F).fill(0));
    const refCounts = new Array(N).fill(0);
    ids.forEach((s) => refCounts[s]++);
    expect(Array.from(counts.dataSync())).toEqual(refCounts);
    tf.dispose([v, sum, mean, counts]);
  });

  it('works on rank-1 and rank-3 rows', () => {
    const v1 = tf.tensor1d([1, 2, 3, 4]);
    const s1 = segmentSum(v1, [0, 2, 0, 2], 3);
    expect(Array.from(s1.dataSync())).toEqual([4, 0, 6]);
    const x3 = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const g3 = gatherRows(x3, [1, 1, 0]);
    expect(g3.shape).toEqual([3, 2, 2]);
    expect(Array.from(g3.dataSync())).toEqual([5, 6, 7, 8, 5, 6, 7, 8, 1, 2, 3, 4]);
    const m3 = segmentMean(g3, [0, 0, 1], 2);
    expect(Array.from(m3.dataSync())).toEqual([5, 6, 7, 8, 1, 2, 3, 4]);
    tf.dispose([v1, s1, x3, g3, m3]);
  });

  type Op = 'gatherRows' | 'segmentSum' | 'segmentMean';
  const cases: Array<{ op: Op; rows: number; outRows: number }> = [
    { op: 'gatherRows', rows: N, outRows: E },
    { op: 'segmentSum', rows: E, outRows: N },
    { op: 'segmentMean', rows: E, outRows: N },
  ];

  it.each(cases)('$op gradient matches finite differences', ({ op, rows, outRows }) => {
    const { idx } = fixture(3, N, E, F);
    const { x, weights } = fixture(4, rows, outRows, F);
    const ids = idx.map((i) => i % (N - 1)); // one empty segment
    const apply = (t: tf.Tensor2D): tf.Tensor2D =>
      op === 'gatherRows' ? gatherRows(t, ids) : op === 'segmentSum' ? segmentSum(t, ids, N) : segmentMean(t, ids, N);
    // A non-linear scalar loss: sum(w * y + 0.5 * y^2), so the gradient depends on the values.
    const lossOf = (t: tf.Tensor2D): tf.Scalar => {
      const y = apply(t);
      return tf.sum(tf.add(tf.mul(tf.tensor2d(weights.subarray(0, outRows * F), [outRows, F]), y), tf.mul(0.5, tf.square(y))));
    };
    const before = tf.memory().numTensors;
    const xt = tf.tensor2d(x, [rows, F]);
    const grad = tf.tidy(() => tf.grad((t) => lossOf(t as tf.Tensor2D))(xt));
    const numeric = finiteDifferences((values) => tf.tidy(() => lossOf(tf.tensor2d(values, [rows, F])).dataSync()[0]), x);
    expect(grad.shape).toEqual([rows, F]);
    expectClose(grad.dataSync(), numeric, 2e-2);
    tf.dispose([xt, grad]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves no tensors behind under tf.tidy, forward and backward', () => {
    const { x, idx } = fixture(5, N, E, F);
    const xt = tf.tensor2d(x, [N, F]);
    const index = rowIndex(idx);
    const before = tf.memory().numTensors;
    const beforeData = tf.engine().backend.numDataIds();
    const out = tf.tidy(() => segmentMean(gatherRows(segmentSum(gatherRows(xt, index), index, N), index), idx, N));
    out.dispose();
    const v = tf.variable(xt);
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(segmentMean(gatherRows(v, index), idx, N)) as tf.Scalar, [v]);
      value.dispose();
      Object.values(grads).forEach((g) => g.dispose());
    });
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(beforeData);
    tf.dispose([xt, index]);
  });

  it('rejects bad indices and sizes', () => {
    const v = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => segmentSum(v, [0, 1, 1], 2)).toThrow(/2 rows but the index has 3 entries/);
    expect(() => segmentSum(v, [0, 1], -1)).toThrow(/numSegments/);
    const floatIndex = tf.tensor1d([0, 1]);
    expect(() => gatherRows(v, floatIndex as tf.Tensor1D)).toThrow(/int32/);
    tf.dispose([v, floatIndex]);
  });
});

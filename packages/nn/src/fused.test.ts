import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { Mlp, kernelState, nativeKernels, denseActBatchNormEval, edgeMessageEval, actBatchNorm, actBatchNormEval, checkpoint, edgePairFeatures, gatherPairAdd, fusedKernelsActive, fusedSilu, initBackend, setFusedKernels, setSimdLoops, simdLoopsActive } from './index';

function randomTensor(rng: Rng, shape: number[], mean = 0, scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.normal(mean, scale)), shape);
}

/** The plain autograd composition the fused op replaces. */
function stockActBatchNorm(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, act: 'silu' | 'none', eps: number) {
  const a = act === 'silu' ? tf.mul(x, tf.sigmoid(x)) : x;
  const { mean, variance } = tf.moments(a, 0);
  return { y: tf.batchNorm(a, mean, variance, b, w, eps), mean, variance };
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function scaleOf(a: tf.Tensor): number {
  return tf.tidy(() => Math.max(1e-6, tf.max(tf.abs(a)).dataSync()[0]));
}

// The native kernels run where @hypertrack/native loads (CI builds it); the WebAssembly-path test
// run (HYPERTRACK_NATIVE=off) leaves that mode out and checks the other three again.
const nativeRun = nativeKernels() !== null;
const MODES = [
  ...(nativeRun ? [{ name: 'wasm + native kernels', backend: 'wasm' as const, fused: true, simd: true, native: true }] : []),
  { name: 'wasm, fused kernels (SIMD loops)', backend: 'wasm' as const, fused: true, simd: true, native: false },
  { name: 'wasm, fused kernels (JS loops)', backend: 'wasm' as const, fused: true, simd: false, native: false },
  { name: 'wasm, stock-op fallback', backend: 'wasm' as const, fused: false, simd: true, native: false },
  { name: 'cpu (stock-op fallback)', backend: 'cpu' as const, fused: true, simd: true, native: false },
];

describe.each(MODES)('fused ops on $name', ({ backend, fused, simd, native }) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
    setFusedKernels(fused);
    setSimdLoops(simd);
    kernelState.native = native;
  });
  afterAll(() => {
    setFusedKernels(true);
    setSimdLoops(true);
    kernelState.native = true;
  });

  it('uses the custom kernels exactly on wasm with kernels on', () => {
    expect(fusedKernelsActive()).toBe(backend === 'wasm' && fused);
    expect(simdLoopsActive()).toBe(backend === 'wasm' && fused && simd);
  });

  it(native ? 'runs the native kernels' : 'runs no native kernel', () => {
    const before = kernelState.nativeCalls;
    tf.tidy(() => actBatchNorm(tf.ones([4, 3]) as tf.Tensor2D, tf.ones([3]) as tf.Tensor1D, tf.zeros([3]) as tf.Tensor1D).y.dataSync());
    expect(kernelState.nativeCalls > before).toBe(native);
  });

  // Shapes reach every path of the SIMD loops: whole 4-lane blocks of 4, 2 and 1 rows, leftover
  // rows done in JS, more than one accumulation chunk (256 blocks), and no whole block at all.
  it.each([
    ['none', 300, 7],
    ['silu', 300, 7],
    ['silu', 301, 30],
    ['none', 600, 64],
    ['silu', 600, 64],
    ['silu', 3, 61],
  ] as const)('actBatchNorm (act %s, [%i, %i]) matches the stock composition: values and gradients', (act, rows, features) => {
    const rng = Rng.fromSeed((act === 'silu' ? 11 : 12) + rows + features);
    const x = randomTensor(rng, [rows, features], 0.5, 2);
    const w = randomTensor(rng, [features], 1, 0.3);
    const b = randomTensor(rng, [features], 0, 0.3);
    const r = randomTensor(rng, [rows, features]);
    const fused = tf.tidy(() => ({ ...actBatchNorm(x as tf.Tensor2D, w as tf.Tensor1D, b as tf.Tensor1D, { act, eps: 1e-5 }) }));
    const stock = tf.tidy(() => ({ ...stockActBatchNorm(x, w, b, act, 1e-5) }));
    expect(maxDiff(fused.y, stock.y)).toBeLessThan(1e-4);
    expect(maxDiff(fused.mean, stock.mean)).toBeLessThan(1e-5);
    expect(maxDiff(fused.variance, stock.variance) / scaleOf(stock.variance)).toBeLessThan(1e-5);
    const loss = (f: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(tf.square(f(xx, ww, bb)), r));
    const gFused = tf.grads(loss((xx, ww, bb) => actBatchNorm(xx as tf.Tensor2D, ww as tf.Tensor1D, bb as tf.Tensor1D, { act }).y))([x, w, b]);
    const gStock = tf.grads(loss((xx, ww, bb) => stockActBatchNorm(xx, ww, bb, act, 1e-5).y))([x, w, b]);
    gFused.forEach((g, k) => expect(maxDiff(g, gStock[k]) / scaleOf(gStock[k])).toBeLessThan(2e-4));
    tf.dispose([x, w, b, r, fused.y, fused.mean, fused.variance, stock.y, stock.mean, stock.variance, ...gFused, ...gStock]);
  });

  it.each([
    ['none', 300, 7],
    ['silu', 301, 30],
    ['silu', 600, 64],
    ['silu', 3, 61],
  ] as const)('actBatchNormEval (act %s, [%i, %i]) matches batchNorm with fixed statistics: values and gradients', (act, rows, features) => {
    const rng = Rng.fromSeed(40 + rows + features);
    const x = randomTensor(rng, [rows, features], 0.5, 2);
    const w = randomTensor(rng, [features], 1, 0.3);
    const b = randomTensor(rng, [features], 0, 0.3);
    const m = randomTensor(rng, [features], 0.2, 0.5);
    const v = tf.tidy(() => tf.add(tf.abs(randomTensor(rng, [features], 1, 0.5)), 0.1));
    const r = randomTensor(rng, [rows, features]);
    const stock = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.batchNorm(act === 'silu' ? tf.mul(xx, tf.sigmoid(xx)) : xx, m, v, bb, ww, 1e-5);
    const fused = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      actBatchNormEval(xx as tf.Tensor2D, ww as tf.Tensor1D, bb as tf.Tensor1D, m as tf.Tensor1D, v as tf.Tensor1D, { act, eps: 1e-5 });
    const yF = fused(x, w, b);
    const yS = stock(x, w, b);
    expect(maxDiff(yF, yS) / scaleOf(yS)).toBeLessThan(1e-5);
    const loss = (f: (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.Tensor) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(tf.square(f(xx, ww, bb)), r));
    const gF = tf.grads(loss(fused))([x, w, b]);
    const gS = tf.grads(loss(stock))([x, w, b]);
    gF.forEach((g, k) => expect(maxDiff(g, gS[k]) / scaleOf(gS[k])).toBeLessThan(1e-4));
    tf.dispose([x, w, b, m, v, r, yF, yS, ...gF, ...gS]);
  });

  // The Linear's bias folded into the op (natively in the kernels' passes, else a separate add):
  // the same as the op on x + inputBias, with the bias's gradient the column sums of dx.
  it.each(['silu', 'none'] as const)('actBatchNorm and actBatchNormEval with inputBias (act %s) equal them on x + inputBias: values and gradients', (act) => {
    const rng = Rng.fromSeed(act === 'silu' ? 31 : 32);
    const [rows, features] = [700, 13];
    const x = randomTensor(rng, [rows, features], 0.3, 2);
    const w = randomTensor(rng, [features], 1, 0.3);
    const b = randomTensor(rng, [features], 0, 0.3);
    const xb = randomTensor(rng, [features], 0, 1);
    const r = randomTensor(rng, [rows, features]);
    const mean = randomTensor(rng, [features], 0.5, 0.2);
    const variance = tf.tidy(() => tf.add(tf.abs(randomTensor(rng, [features])), 0.5));
    const fused = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor, xbb: tf.Tensor) =>
      actBatchNorm(xx as tf.Tensor2D, ww as tf.Tensor1D, bb as tf.Tensor1D, { act, inputBias: xbb as tf.Tensor1D }).y;
    const added = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor, xbb: tf.Tensor) => actBatchNorm(tf.add(xx, xbb) as tf.Tensor2D, ww as tf.Tensor1D, bb as tf.Tensor1D, { act }).y;
    const fusedEval = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor, xbb: tf.Tensor) =>
      actBatchNormEval(xx as tf.Tensor2D, ww as tf.Tensor1D, bb as tf.Tensor1D, mean as tf.Tensor1D, variance as tf.Tensor1D, { act, inputBias: xbb as tf.Tensor1D });
    const addedEval = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor, xbb: tf.Tensor) =>
      actBatchNormEval(tf.add(xx, xbb) as tf.Tensor2D, ww as tf.Tensor1D, bb as tf.Tensor1D, mean as tf.Tensor1D, variance as tf.Tensor1D, { act });
    const loss = (f: typeof fused) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor, xbb: tf.Tensor) => tf.sum(tf.mul(tf.square(f(xx, ww, bb, xbb)), r));
    for (const [withBias, reference] of [
      [fused, added],
      [fusedEval, addedEval],
    ] as const) {
      const before = kernelState.nativeCalls;
      expect(maxDiff(tf.tidy(() => withBias(x, w, b, xb)), tf.tidy(() => reference(x, w, b, xb)))).toBeLessThan(1e-4);
      const g = tf.grads(loss(withBias))([x, w, b, xb]);
      const gRef = tf.grads(loss(reference))([x, w, b, xb]);
      // Without an activation, training-mode BatchNorm ignores a constant shift: the bias gradient is
      // a sum of 700 rows of dx that cancels to 0 up to rounding, so it is compared against the
      // scale of those rows (the sum of |dx| over a column).
      const dxColumnScale = tf.tidy(() => tf.max(tf.sum(tf.abs(gRef[0]), 0)).dataSync()[0]);
      g.forEach((grad, k) => expect(maxDiff(grad, gRef[k]) / (k === 3 ? dxColumnScale : scaleOf(gRef[k]))).toBeLessThan(2e-4));
      expect(kernelState.nativeCalls > before).toBe(native);
      tf.dispose([...g, ...gRef]);
    }
    tf.dispose([x, w, b, xb, r, mean, variance]);
  });

  it.each(['silu', 'none'] as const)('denseActBatchNormEval (act %s) equals the product, then actBatchNormEval: values and gradients', (act) => {
    const rng = Rng.fromSeed(act === 'silu' ? 41 : 42);
    // 500 rows of 20 into 30: narrow enough for the native tiles (where they run).
    const [rows, inFeatures, outFeatures] = [500, 20, 30];
    const x = randomTensor(rng, [rows, inFeatures]);
    const kernel = randomTensor(rng, [inFeatures, outFeatures], 0, 0.3);
    const bias = randomTensor(rng, [outFeatures], 0, 0.3);
    const weight = randomTensor(rng, [outFeatures], 1, 0.2);
    const bnBias = randomTensor(rng, [outFeatures], 0, 0.2);
    const mean = randomTensor(rng, [outFeatures], 0.3, 0.2);
    const variance = tf.tidy(() => tf.add(tf.abs(randomTensor(rng, [outFeatures])), 0.5));
    const r = randomTensor(rng, [rows, outFeatures]);
    const fusedOp = (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor, ww: tf.Tensor, nb: tf.Tensor) =>
      denseActBatchNormEval(xx as tf.Tensor2D, kk as tf.Tensor2D, bb as tf.Tensor1D, { weight: ww as tf.Tensor1D, bias: nb as tf.Tensor1D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D, eps: 1e-5 }, act);
    const composed = (xx: tf.Tensor, kk: tf.Tensor, bb: tf.Tensor, ww: tf.Tensor, nb: tf.Tensor) =>
      actBatchNormEval(tf.add(tf.matMul(xx, kk), bb) as tf.Tensor2D, ww as tf.Tensor1D, nb as tf.Tensor1D, mean as tf.Tensor1D, variance as tf.Tensor1D, { act });
    const addon = nativeKernels()?.addon;
    const spy = addon === undefined ? null : jest.spyOn(addon, 'denseEval');
    expect(maxDiff(tf.tidy(() => fusedOp(x, kernel, bias, weight, bnBias)), tf.tidy(() => composed(x, kernel, bias, weight, bnBias)))).toBeLessThan(1e-4);
    expect((spy?.mock.calls.length ?? 0) > 0).toBe(native);
    spy?.mockRestore();
    const loss = (f: typeof fusedOp) => (...t: tf.Tensor[]) => tf.sum(tf.mul(tf.square(f(t[0], t[1], t[2], t[3], t[4])), r));
    const g = tf.grads(loss(fusedOp))([x, kernel, bias, weight, bnBias]);
    const gRef = tf.grads(loss(composed))([x, kernel, bias, weight, bnBias]);
    g.forEach((grad, k) => expect(maxDiff(grad, gRef[k]) / scaleOf(gRef[k])).toBeLessThan(2e-4));
    tf.dispose([x, kernel, bias, weight, bnBias, mean, variance, r, ...g, ...gRef]);
  });

  it.each([0, 5])('edgeMessageEval (geometry width %i) equals its composition: values and gradients', (g) => {
    const rng = Rng.fromSeed(50 + g);
    const [nodes, edges, d, m] = [40, 600, 12, 16]; // 600 edges: several tiles of 6 and a partial block
    const h = randomTensor(rng, [nodes, d]);
    const src = tf.tensor2d(Int32Array.from({ length: edges }, () => rng.int(nodes)), [edges, 1], 'int32');
    const dst = tf.tensor2d(Int32Array.from({ length: edges }, (_, e) => (e === 3 ? 7 : rng.int(nodes))), [edges, 1], 'int32');
    const attr = randomTensor(rng, [edges, 1]);
    const geometry = g === 0 ? undefined : (randomTensor(rng, [edges, g]) as tf.Tensor2D);
    const w = randomTensor(rng, [d + 3 + g, m], 0, 0.3);
    const table = randomTensor(rng, [nodes, 2 * m], 0, 0.5);
    const norm = { weight: randomTensor(rng, [m], 1, 0.2) as tf.Tensor1D, bias: randomTensor(rng, [m], 0, 0.2) as tf.Tensor1D, mean: randomTensor(rng, [m], 0.3, 0.2) as tf.Tensor1D, variance: tf.tidy(() => tf.add(tf.abs(randomTensor(rng, [m])), 0.5)) as tf.Tensor1D, eps: 1e-5 };
    const r = randomTensor(rng, [edges, m]);
    const fusedOp = (hh: tf.Tensor, ww: tf.Tensor, tt: tf.Tensor) =>
      edgeMessageEval({ h: hh as tf.Tensor2D, src: src as tf.Tensor2D, dst: dst as tf.Tensor2D, attr: attr as tf.Tensor2D, geometry, w: ww as tf.Tensor2D, table: tt as tf.Tensor2D }, norm, 'silu');
    const composed = (hh: tf.Tensor, ww: tf.Tensor, tt: tf.Tensor) => {
      let p: tf.Tensor2D = edgePairFeatures(hh as tf.Tensor2D, src as tf.Tensor2D, dst as tf.Tensor2D, attr as tf.Tensor2D);
      if (geometry !== undefined) p = tf.concat([p, geometry], 1);
      const pre = gatherPairAdd(tf.matMul(p, ww as tf.Tensor2D), tt as tf.Tensor2D, dst as tf.Tensor2D, src as tf.Tensor2D);
      return actBatchNormEval(pre, norm.weight, norm.bias, norm.mean, norm.variance, { act: 'silu' });
    };
    const addon = nativeKernels()?.addon;
    const spy = addon === undefined ? null : jest.spyOn(addon, 'messageEval');
    expect(maxDiff(tf.tidy(() => fusedOp(h, w, table)), tf.tidy(() => composed(h, w, table)))).toBeLessThan(1e-4);
    // The one-pass kernel ran (on all 600 edges, not just the empty probe) exactly on the native path.
    expect(spy?.mock.calls.some((call) => call[10] === edges) ?? false).toBe(native);
    spy?.mockRestore();
    // Under a gradient tape the op is its composition: the same gradients.
    const loss = (f: typeof fusedOp) => (hh: tf.Tensor, ww: tf.Tensor, tt: tf.Tensor) => tf.sum(tf.mul(tf.square(f(hh, ww, tt)), r));
    const grads = tf.grads(loss(fusedOp))([h, w, table]);
    const gRef = tf.grads(loss(composed))([h, w, table]);
    grads.forEach((grad, k) => expect(maxDiff(grad, gRef[k]) / scaleOf(gRef[k])).toBeLessThan(2e-4));
    tf.dispose([h, src, dst, attr, w, table, r, norm.weight, norm.bias, norm.mean, norm.variance, ...(geometry === undefined ? [] : [geometry]), ...grads, ...gRef]);
  });

  it('actBatchNorm keeps the variance exact when the mean is large against the spread (raw mm)', () => {
    const rng = Rng.fromSeed(31);
    const rows = 20_000;
    const values = Float32Array.from({ length: rows * 4 }, (_, i) => 1000 * (1 + (i % 4)) + rng.normal(0, 0.5));
    const x = tf.tensor2d(values, [rows, 4]);
    const { y, mean, variance } = actBatchNorm(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D);
    const v = variance.dataSync();
    for (let f = 0; f < 4; f++) {
      let m = 0;
      for (let r = 0; r < rows; r++) m += values[4 * r + f];
      m /= rows;
      let expected = 0;
      for (let r = 0; r < rows; r++) expected += (values[4 * r + f] - m) ** 2;
      expected /= rows;
      expect(Math.abs(v[f] - expected) / expected).toBeLessThan(1e-3);
      expect(mean.dataSync()[f]).toBeCloseTo(m, 2);
    }
    tf.dispose([x, y, mean, variance]);
  });

  it('edgePairFeatures and gatherPairAdd refuse a row index outside the table', () => {
    const h = tf.ones([3, 8]) as tf.Tensor2D;
    const good = tf.tensor2d([0, 2], [2, 1], 'int32');
    const bad = tf.tensor2d([0, 3], [2, 1], 'int32');
    const attr = tf.zeros([2, 1]) as tf.Tensor2D;
    const edge = tf.zeros([2, 4]) as tf.Tensor2D;
    if (backend === 'wasm' && fused) {
      expect(() => edgePairFeatures(h, good, bad, attr)).toThrow('edgePairFeatures: dst[1] is 3, outside the 3 rows 0..2');
      expect(() => gatherPairAdd(edge, h, bad, good)).toThrow('gatherPairAdd: first[1] is 3, outside the 3 rows 0..2');
    }
    tf.dispose(edgePairFeatures(h, good, good, attr));
    tf.dispose([h, good, bad, attr, edge]);
  });

  it('fusedSilu matches x sigmoid(x): values and gradients', () => {
    const rng = Rng.fromSeed(13);
    const x = randomTensor(rng, [50, 9], 0, 4);
    const r = randomTensor(rng, [50, 9]);
    const y = fusedSilu(x);
    const expected = tf.mul(x, tf.sigmoid(x));
    expect(maxDiff(y, expected)).toBeLessThan(1e-5);
    const [g] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(fusedSilu(v), r)))([x]);
    const [gStock] = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(tf.mul(v, tf.sigmoid(v)), r)))([x]);
    expect(maxDiff(g, gStock)).toBeLessThan(1e-5);
    tf.dispose([x, r, y, expected, g, gStock]);
  });

  // d = 8 takes the SIMD loops (widths that are multiples of 4), d = 5 the JS loops.
  it.each([5, 8])('edgePairFeatures (d = %i) matches the gather composition, including a self-loop: values and gradients', (d) => {
    const rng = Rng.fromSeed(16 + d);
    const n = 9;
    const e = 40;
    const src = Int32Array.from({ length: e }, () => rng.int(n));
    const dst = Int32Array.from({ length: e }, () => rng.int(n));
    src[0] = dst[0] = 4; // self-loop: the norm's gradient is 0 there
    const s2 = tf.tensor2d(src, [e, 1], 'int32');
    const d2 = tf.tensor2d(dst, [e, 1], 'int32');
    const h = randomTensor(rng, [n, d]) as tf.Tensor2D;
    const attr = randomTensor(rng, [e, 1]) as tf.Tensor2D;
    const r = randomTensor(rng, [e, d + 3]);
    const stock = (hh: tf.Tensor, aa: tf.Tensor) => {
      const hs = tf.gather(hh, src);
      const hd = tf.gather(hh, dst);
      const diff = tf.sub(hs, hd);
      // sqrt(x + tiny) keeps the reference's gradient finite at the self-loop, where it is ~0.
      const norm = tf.sqrt(tf.add(tf.sum(tf.square(diff), 1, true), 1e-30));
      return tf.concat([tf.mul(hs, hd), norm, tf.sum(tf.mul(hs, hd), 1, true), aa], 1);
    };
    const value = edgePairFeatures(h, s2, d2, attr);
    const expected = stock(h, attr);
    expect(maxDiff(value, expected)).toBeLessThan(1e-5);
    const loss = (f: (hh: tf.Tensor, aa: tf.Tensor) => tf.Tensor) => (hh: tf.Tensor, aa: tf.Tensor) => tf.sum(tf.mul(f(hh, aa), r));
    const g = tf.grads(loss((hh, aa) => edgePairFeatures(hh as tf.Tensor2D, s2, d2, aa as tf.Tensor2D)))([h, attr]);
    // The reference on cpu/wasm alike: tf.gather's gradient needs UnsortedSegmentSum, absent on
    // wasm, so compute it as the sum over edges by hand from the stock forward's pieces.
    const gExpected = tf.tidy(() => {
      const hv = h.arraySync();
      const rv = r.arraySync() as number[][];
      const dh = hv.map((row) => row.map(() => 0));
      for (let k = 0; k < e; k++) {
        const [j, i] = [src[k], dst[k]];
        const diff = hv[j].map((v, c) => v - hv[i][c]);
        const norm = Math.hypot(...diff);
        for (let c = 0; c < d; c++) {
          const gp = rv[k][c] + rv[k][d + 1];
          const gn = norm > 0 ? (rv[k][d] * diff[c]) / norm : 0;
          dh[j][c] += gp * hv[i][c] + gn;
          dh[i][c] += gp * hv[j][c] - gn;
        }
      }
      return [tf.tensor2d(dh), tf.slice(r, [0, d + 2], [-1, 1])];
    });
    g.forEach((grad, k) => expect(maxDiff(grad, gExpected[k]) / scaleOf(gExpected[k])).toBeLessThan(1e-5));
    tf.dispose([s2, d2, h, attr, r, value, expected, ...g, ...gExpected]);
  });

  it.each([3, 8])('gatherPairAdd (m = %i) matches edge + table[first, :m] + table[second, m:]: values and gradients', (m) => {
    const rng = Rng.fromSeed(17 + m);
    const n = 7;
    const e = 30;
    const first = Int32Array.from({ length: e }, () => rng.int(n));
    const second = Int32Array.from({ length: e }, () => rng.int(n));
    const f2 = tf.tensor2d(first, [e, 1], 'int32');
    const s2 = tf.tensor2d(second, [e, 1], 'int32');
    const edge = randomTensor(rng, [e, m]) as tf.Tensor2D;
    const table = randomTensor(rng, [n, 2 * m]) as tf.Tensor2D;
    const r = randomTensor(rng, [e, m]);
    const value = gatherPairAdd(edge, table, f2, s2);
    const tv = table.arraySync();
    const ev = edge.arraySync();
    const expected = ev.map((row, k) => row.map((v, c) => v + tv[first[k]][c] + tv[second[k]][m + c]));
    expect(maxDiff(value, tf.tensor2d(expected))).toBeLessThan(1e-5);
    const [gEdge, gTable] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(gatherPairAdd(a as tf.Tensor2D, b as tf.Tensor2D, f2, s2), r)))([edge, table]);
    const rv = r.arraySync() as number[][];
    const dt = tv.map((row) => row.map(() => 0));
    for (let k = 0; k < e; k++) {
      for (let c = 0; c < m; c++) {
        dt[first[k]][c] += rv[k][c];
        dt[second[k]][m + c] += rv[k][c];
      }
    }
    expect(maxDiff(gEdge, r)).toBeLessThan(1e-6);
    expect(maxDiff(gTable, tf.tensor2d(dt))).toBeLessThan(1e-5);
    tf.dispose([f2, s2, edge, table, r, value, gEdge, gTable]);
  });

  it('tf.clone shares the buffer (patched wasm Identity) and outlives its source', () => {
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const before = tf.backend().numDataIds();
    const b = tf.clone(a);
    expect(tf.backend().numDataIds()).toBe(before); // no new buffer (tfjs's numBytes counts tensors, not buffers)
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3, 4]);
    const c = tf.add(b, 1);
    expect(Array.from(c.dataSync())).toEqual([2, 3, 4, 5]);
    tf.dispose([b, c]);
  });

  it('checkpoint gives the plain gradients and moves the running statistics once', () => {
    const rng = Rng.fromSeed(14);
    const makeMlp = () => new Mlp([5, 8, 6], Rng.fromSeed(15), { act: 'silu', bn: true, lastAct: true });
    const plain = makeMlp();
    const ckpt = makeMlp();
    const x = tf.variable(randomTensor(rng, [40, 5]));
    const r = randomTensor(rng, [40, 6]);
    const params = (m: Mlp) => [...m.namedParameters().values()];
    const lossPlain = () => tf.sum(tf.mul(tf.square(plain.apply(x)), r)) as tf.Scalar;
    const lossCkpt = () => tf.sum(tf.mul(tf.square(checkpoint((h) => ckpt.apply(h), [x], params(ckpt))), r)) as tf.Scalar;
    const before = tf.memory().numTensors;
    const a = tf.variableGrads(lossPlain, [x, ...params(plain)]);
    const b = tf.variableGrads(lossCkpt, [x, ...params(ckpt)]);
    expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(1e-4);
    const names = Object.keys(a.grads);
    expect(names.length).toBe(1 + plain.namedParameters().size);
    const pNames = [x.name, ...params(plain).map((v) => v.name)];
    const cNames = [x.name, ...params(ckpt).map((v) => v.name)];
    pNames.forEach((name, k) => {
      const ga = a.grads[name];
      const gb = b.grads[cNames[k]];
      expect(gb.shape).toEqual(ga.shape);
      expect(maxDiff(ga, gb) / scaleOf(ga)).toBeLessThan(1e-5);
    });
    // Running statistics moved exactly once per forward pass in both models.
    const stats = (m: Mlp) => [...m.namedBuffers().values()];
    stats(plain).forEach((v, k) => expect(maxDiff(v, stats(ckpt)[k])).toBeLessThan(1e-6));
    expect(stats(ckpt).find((v) => v.dtype === 'int32')!.dataSync()[0]).toBe(1);
    tf.dispose([a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, r]);
    plain.dispose();
    ckpt.dispose();
  });
});

describe('the kernel state initBackend returns', () => {
  it('is the one object the ops read: turning fused kernels off there takes the stock path, and the setters write it', async () => {
    const backend = await initBackend({ prefer: 'wasm' });
    expect(backend.kernels.fused).toBe(true);
    expect(fusedKernelsActive()).toBe(true);
    backend.kernels.fused = false;
    try {
      expect(fusedKernelsActive()).toBe(false);
      const x = tf.tensor2d([[-1, 0.5], [2, -3]]);
      const stock = fusedSilu(x);
      expect(Array.from(stock.dataSync())).toEqual(Array.from(tf.mul(x, tf.sigmoid(x)).dataSync()));
    } finally {
      setFusedKernels(true);
    }
    expect(backend.kernels.fused).toBe(true);
    setSimdLoops(false);
    expect(backend.kernels.simdLoops).toBe(false);
    expect(simdLoopsActive()).toBe(false);
    setSimdLoops(true);
    expect(simdLoopsActive()).toBe(true);
  });
});

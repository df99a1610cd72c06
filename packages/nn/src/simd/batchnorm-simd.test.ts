import { batchNormLoops, batchNormModuleBytes } from './batchnorm-simd';
import { edgeModuleBytes } from './edge-simd';
import { wasmApi } from './wasm-api';

/** A heap with named float32 regions, like tensors on the wasm backend's heap. */
function heap(sizes: Record<string, number>) {
  const memory = new wasmApi.Memory({ initial: 16 });
  const at: Record<string, number> = {};
  let offset = 64;
  for (const [key, size] of Object.entries(sizes)) {
    at[key] = offset;
    offset += 4 * size + 16;
  }
  const view = (key: string) => new Float32Array(memory.buffer, at[key], sizes[key]);
  return { memory, at, view };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('batch-norm SIMD loops', () => {
  it('is a valid module on this runtime, as is the per-edge one (tested through the fused ops)', () => {
    expect(wasmApi.validate(batchNormModuleBytes())).toBe(true);
    expect(wasmApi.validate(edgeModuleBytes())).toBe(true);
  });

  // 6 features: blocks of 2 rows (12 floats, 3 vectors), so lanes wrap across rows.
  const rows = 10;
  const features = 6;
  const blockRows = 2;
  const n = rows * features;
  const block = blockRows * features;
  const data = (seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 2);
  const perFeature = (values: number[]) => Float32Array.from({ length: block }, (_, j) => values[j % features]);

  it.each([false, true])('stats and apply match the scalar formulas (silu %s)', (silu) => {
    const h = heap({ x: n, s: n, y: n, sum: block, sq: block, scale: block, shift: block, centre: block });
    const x = data(1);
    h.view('x').set(x);
    h.view('s').set(x.map(sigmoid));
    h.view('scale').set(perFeature([1, 2, 3, -1, 0.5, 4]));
    h.view('shift').set(perFeature([0, 1, -2, 3, 0.25, -1]));
    const loops = batchNormLoops(h.memory);
    expect(loops).not.toBeNull();
    const centre = [0.5, -1, 2, 0, 1, -0.25];
    h.view('centre').set(perFeature(centre));
    loops?.stats(silu, h.at.x, h.at.s, h.at.y, rows / blockRows, 4 * block, h.at.centre, h.at.sum, h.at.sq);
    const a = x.map((v) => (silu ? Math.fround(v * Math.fround(sigmoid(v))) : v));
    const y = h.view('y');
    for (let i = 0; i < n; i++) expect(y[i]).toBeCloseTo(a[i], 6);
    const sum = h.view('sum');
    const sq = h.view('sq');
    for (let f = 0; f < features; f++) {
      let es = 0;
      let eq = 0;
      for (let r = 0; r < rows; r++) {
        es += a[r * features + f] - centre[f];
        eq += (a[r * features + f] - centre[f]) ** 2;
      }
      expect(sum[f] + sum[f + features]).toBeCloseTo(es, 4);
      expect(sq[f] + sq[f + features]).toBeCloseTo(eq, 4);
    }
    loops?.apply(h.at.y, rows / blockRows, 4 * block, h.at.scale, h.at.shift);
    const scale = [1, 2, 3, -1, 0.5, 4];
    const shift = [0, 1, -2, 3, 0.25, -1];
    for (let i = 0; i < n; i++) expect(y[i]).toBeCloseTo(a[i] * scale[i % features] + shift[i % features], 5);
  });

  it.each([false, true])('gradient sums and dx match the closed form (silu %s)', (silu) => {
    const h = heap({ x: n, s: n, dy: n, dx: n, mean: block, invStd: block, coef: block, meanDy: block, meanDyXhat: block, accDy: block, accDyXhat: block });
    const x = data(2);
    const dy = data(3);
    const s = x.map(sigmoid);
    h.view('x').set(x);
    h.view('s').set(s);
    h.view('dy').set(dy);
    const mean = [0.1, -0.2, 0.3, 0, 0.5, -1];
    const invStd = [1, 2, 0.5, 1.5, 3, 0.25];
    const coef = [0.5, 1, -1, 2, 0.1, 1];
    const meanDy = [0.01, 0.02, -0.03, 0.1, 0, 0.2];
    const meanDyXhat = [0.3, -0.1, 0.2, 0, 0.05, -0.4];
    h.view('mean').set(perFeature(mean));
    h.view('invStd').set(perFeature(invStd));
    h.view('coef').set(perFeature(coef));
    h.view('meanDy').set(perFeature(meanDy));
    h.view('meanDyXhat').set(perFeature(meanDyXhat));
    const loops = batchNormLoops(h.memory);
    loops?.gradSums(silu, h.at.x, h.at.s, h.at.dy, rows / blockRows, 4 * block, h.at.mean, h.at.invStd, h.at.accDy, h.at.accDyXhat);
    loops?.gradDx(silu, h.at.x, h.at.s, h.at.dy, h.at.dx, rows / blockRows, 4 * block, h.at.mean, h.at.invStd, h.at.coef, h.at.meanDy, h.at.meanDyXhat);
    const dx = h.view('dx');
    const accDy = h.view('accDy');
    const accDyXhat = h.view('accDyXhat');
    const sumDy = new Array<number>(features).fill(0);
    const sumDyXhat = new Array<number>(features).fill(0);
    for (let i = 0; i < n; i++) {
      const f = i % features;
      const a = silu ? x[i] * s[i] : x[i];
      const xhat = (a - mean[f]) * invStd[f];
      sumDy[f] += dy[i];
      sumDyXhat[f] += dy[i] * xhat;
      let expected = coef[f] * (dy[i] - meanDy[f] - xhat * meanDyXhat[f]);
      if (silu) expected *= s[i] * (1 + x[i] * (1 - s[i]));
      expect(dx[i]).toBeCloseTo(expected, 4);
    }
    for (let f = 0; f < features; f++) {
      expect(accDy[f] + accDy[f + features]).toBeCloseTo(sumDy[f], 4);
      expect(accDyXhat[f] + accDyXhat[f + features]).toBeCloseTo(sumDyXhat[f], 4);
    }
  });
});

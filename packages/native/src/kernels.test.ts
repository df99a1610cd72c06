import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNativeKernels, resetNativeKernels, NATIVE_SWITCH, type NativeAddon } from './index';

/**
 * The kernels against plain float64 implementations of their formulas, on a heap laid out by hand.
 * CI installs a compiler and OpenBLAS, so the addon must load here unless the run switched it off
 * (the WebAssembly-path test run sets HYPERTRACK_NATIVE=off; then only the switch is checked).
 */
const switchedOff = process.env[NATIVE_SWITCH] === 'off' || process.env[NATIVE_SWITCH] === '0';

/** A heap of float32/int32 arrays at known byte offsets, like the tfjs wasm heap. */
class Heap {
  readonly buffer: ArrayBuffer;
  private next = 64; // offset 0 stays unused, as a null pointer would
  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(bytes);
  }
  f32(values: ArrayLike<number> | number): { at: number; view: Float32Array } {
    const length = typeof values === 'number' ? values : values.length;
    const at = this.next;
    this.next += 4 * length + 64;
    const view = new Float32Array(this.buffer, at, length);
    if (typeof values !== 'number') view.set(values);
    else view.fill(Number.NaN); // outputs start as garbage: a kernel must write every entry
    return { at, view };
  }
  i32(values: ArrayLike<number>): { at: number; view: Int32Array } {
    const at = this.next;
    this.next += 4 * values.length + 64;
    const view = new Int32Array(this.buffer, at, values.length);
    view.set(values);
    return { at, view };
  }
}

/** A small seeded generator (mulberry32 with Box-Muller): this package depends on nothing of ours. */
class Rng {
  private state: number;
  private constructor(seed: number) {
    this.state = seed >>> 0;
  }
  static fromSeed(seed: number): Rng {
    return new Rng(seed * 2654435761);
  }
  uniform(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
  normal(mean: number, scale: number): number {
    return mean + scale * Math.sqrt(-2 * Math.log(1 - this.uniform())) * Math.cos(2 * Math.PI * this.uniform());
  }
}

/** Normal draws already rounded to float32, so the float64 references see the kernels' exact inputs. */
function normals(rng: Rng, n: number, mean = 0, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => Math.fround(rng.normal(mean, scale)));
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Largest |a - b| over the largest |b| (at least 1e-3): a relative error for a whole array. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let scale = 1e-3;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return Number.isNaN(worst) ? Infinity : worst / scale;
}

function addon(): NativeAddon {
  const load = loadNativeKernels();
  if (load.kernels === null) throw new Error(`the native kernels must load in this test run: ${load.reason}`);
  return load.kernels.addon;
}

const describeIf = (condition: boolean) => (condition ? describe : (_name: string, _body: () => void) => undefined);

// CI (.ci/run) installs a compiler and OpenBLAS and sets HYPERTRACK_EXPECT_NATIVE=1: there the
// kernels must load. Elsewhere a machine without a compiler runs the WebAssembly path, and the
// tests check that it says why in one line.
const expectNative = process.env.HYPERTRACK_EXPECT_NATIVE === '1';
const loaded = !switchedOff && loadNativeKernels().kernels !== null;

describeIf(!switchedOff && !loaded && !expectNative)('not built on this machine', () => {
  it('says why in one line, with the fix', () => {
    const { reason } = loadNativeKernels();
    expect(reason).toMatch(/^@hypertrack\/native (is not built|does not load) \(.+\); run `npm rebuild @hypertrack\/native`/);
    expect(reason).not.toContain('\n');
  });
});

describeIf(switchedOff)('switched off', () => {
  it('reports the switch as the reason', () => {
    resetNativeKernels();
    expect(loadNativeKernels()).toEqual({ kernels: null, reason: `switched off by ${NATIVE_SWITCH}=${process.env[NATIVE_SWITCH]}` });
  });
});

/** This CPU's flags, read independently of the addon's own detection. */
const cpuFlags = new Set((readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '').trim().split(/\s+/));

describeIf(!switchedOff && (loaded || expectNative))('native kernels', () => {
  it('load with the variant this CPU supports and OpenBLAS for the products (CI installs it)', () => {
    const load = loadNativeKernels();
    expect(load.reason).toBeUndefined();
    const avx2 = cpuFlags.has('avx2') && cpuFlags.has('fma');
    const avx512 = cpuFlags.has('avx512f');
    expect(load.kernels?.variant).toBe(avx512 && avx2 ? 'avx512' : avx2 ? 'avx2' : 'generic');
    expect(load.kernels?.blas).toBe('openblas');
    expect(load.kernels?.addon.describe().gemm).toBe(avx512 ? 'avx512 tiles + blas' : 'blas');
    expect(load.kernels?.description).toBe(`${avx512 && avx2 ? 'AVX-512' : avx2 ? 'AVX2/FMA' : 'portable C'} kernels, ${avx512 ? 'AVX-512 narrow products + OpenBLAS' : 'OpenBLAS products'}`);
  });

  describe.each([
    { act: 'silu', code: 1 },
    { act: 'none', code: 0 },
  ])('activation + BatchNorm ($act)', ({ code }) => {
    // 1000 rows (not a multiple of the 256-row summing chunk), 13 features (not a multiple of 8),
    // a mean of 500 against a spread of 1 (raw millimetres): the centred sums must not cancel.
    const rows = 1000;
    const features = 13;
    const eps = 1e-5;
    const rng = Rng.fromSeed(11 + code);
    const x = normals(rng, rows * features, code === 1 ? 0 : 500, code === 1 ? 2 : 1);
    const w = normals(rng, features, 1, 0.2);
    const b = normals(rng, features);
    const dy = normals(rng, rows * features);
    const a = x.map((v) => (code === 1 ? v * sigmoid(v) : v));
    const mean = new Float64Array(features);
    const variance = new Float64Array(features);
    for (let r = 0; r < rows; r++) for (let f = 0; f < features; f++) mean[f] += a[r * features + f] / rows;
    for (let r = 0; r < rows; r++) for (let f = 0; f < features; f++) variance[f] += (a[r * features + f] - mean[f]) ** 2 / rows;
    const xhat = a.map((v, i) => (v - mean[i % features]) / Math.sqrt(variance[i % features] + eps));

    it('forward: y, the batch mean and the biased variance', () => {
      const heap = new Heap(1 << 20);
      const X = heap.f32(x);
      const [Y, M, V] = [heap.f32(rows * features), heap.f32(features), heap.f32(features)];
      const [W, B] = [heap.f32(w), heap.f32(b)];
      addon().actBatchNorm(heap.buffer, X.at, Y.at, M.at, V.at, W.at, B.at, rows, features, code, eps, 0);
      expect(relativeError(M.view, mean)).toBeLessThan(1e-5);
      expect(relativeError(V.view, variance)).toBeLessThan(1e-4);
      expect(relativeError(Y.view, xhat.map((v, i) => v * w[i % features] + b[i % features]))).toBeLessThan(1e-5);
    });

    it('with the dense layer\'s bias folded in: the same as on x + bias, and the bias gradient is the sum of dx', () => {
      const heap = new Heap(1 << 21);
      const shift = normals(rng, features);
      const xMinusShift = x.map((v, i) => Math.fround(v - shift[i % features]));
      const [X, XB, W, B, DY] = [heap.f32(xMinusShift), heap.f32(shift), heap.f32(w), heap.f32(b), heap.f32(dy)];
      const [Y, M, V] = [heap.f32(rows * features), heap.f32(features), heap.f32(features)];
      addon().actBatchNorm(heap.buffer, X.at, Y.at, M.at, V.at, W.at, B.at, rows, features, code, eps, XB.at);
      // x - shift + shift is x up to one rounding of x - shift.
      expect(relativeError(M.view, mean)).toBeLessThan(1e-4);
      const [DX, DW, DB, DXB] = [heap.f32(rows * features), heap.f32(features), heap.f32(features), heap.f32(features)];
      addon().actBatchNormGrad(heap.buffer, X.at, DY.at, W.at, M.at, V.at, DX.at, DW.at, DB.at, rows, features, code, eps, XB.at, DXB.at);
      const columnSums = new Float64Array(features);
      const columnScale = new Float64Array(features);
      DX.view.forEach((g, i) => {
        columnSums[i % features] += g;
        columnScale[i % features] += Math.abs(g);
      });
      // Without an activation the sums cancel to about 0: compare on the scale of what is summed.
      const worst = Math.max(...Array.from(columnSums, (sum, f) => Math.abs(DXB.view[f] - sum) / columnScale[f]));
      expect(worst).toBeLessThan(1e-6);
      const E = heap.f32(rows * features);
      addon().actBatchNormEval(heap.buffer, X.at, E.at, W.at, B.at, M.at, V.at, rows, features, code, eps, XB.at);
      expect(relativeError(E.view, Y.view)).toBeLessThan(1e-4);
    });

    it('evaluation mode with given statistics', () => {
      const heap = new Heap(1 << 20);
      const [X, Y, W, B, M, V] = [heap.f32(x), heap.f32(rows * features), heap.f32(w), heap.f32(b), heap.f32(mean), heap.f32(variance)];
      addon().actBatchNormEval(heap.buffer, X.at, Y.at, W.at, B.at, M.at, V.at, rows, features, code, eps, 0);
      expect(relativeError(Y.view, xhat.map((v, i) => v * w[i % features] + b[i % features]))).toBeLessThan(1e-5);
    });

    it('gradient: dx, dweight, dbias of the formula', () => {
      const heap = new Heap(1 << 20);
      const [X, DY, W, M, V] = [heap.f32(x), heap.f32(dy), heap.f32(w), heap.f32(mean), heap.f32(variance)];
      const [DX, DW, DB] = [heap.f32(rows * features), heap.f32(features), heap.f32(features)];
      addon().actBatchNormGrad(heap.buffer, X.at, DY.at, W.at, M.at, V.at, DX.at, DW.at, DB.at, rows, features, code, eps, 0, 0);
      const db = new Float64Array(features);
      const dw = new Float64Array(features);
      dy.forEach((g, i) => {
        db[i % features] += g;
        dw[i % features] += g * xhat[i];
      });
      const dx = dy.map((g, i) => {
        const f = i % features;
        const da = (w[f] / Math.sqrt(variance[f] + eps)) * (g - db[f] / rows - (xhat[i] * dw[f]) / rows);
        const s = sigmoid(x[i]);
        return code === 1 ? da * s * (1 + x[i] * (1 - s)) : da;
      });
      // With the mean at 500, x itself carries float32's 3e-5 of rounding: x^ and so dweight cannot be closer.
      expect(relativeError(DB.view, db)).toBeLessThan(1e-5);
      expect(relativeError(DW.view, dw)).toBeLessThan(code === 1 ? 1e-5 : 1e-4);
      expect(relativeError(DX.view, dx)).toBeLessThan(1e-4);
    });
  });

  describe('per-edge kernels', () => {
    const nodes = 50;
    const edges = 700;
    const d = 12;
    const rng = Rng.fromSeed(5);
    const h = normals(rng, nodes * d);
    const src = Int32Array.from({ length: edges }, () => rng.int(nodes));
    const dst = Int32Array.from({ length: edges }, () => rng.int(nodes));
    src[3] = dst[3] = 7; // a self-loop: the norm's gradient is 0 there
    const attr = normals(rng, edges);

    it('edge pair features [h_j h_i, |h_j - h_i|, <h_j, h_i>, a] and their gradient', () => {
      const heap = new Heap(1 << 20);
      const [H, S, D, A, O] = [heap.f32(h), heap.i32(src), heap.i32(dst), heap.f32(attr), heap.f32(edges * (d + 3))];
      expect(addon().edgePairFeatures(heap.buffer, H.at, nodes, S.at, D.at, A.at, O.at, edges, d)).toBe(-1);
      const expected = new Float64Array(edges * (d + 3));
      const dy = normals(rng, edges * (d + 3));
      const dh = new Float64Array(nodes * d);
      for (let e = 0; e < edges; e++) {
        const [j, i, o] = [src[e] * d, dst[e] * d, e * (d + 3)];
        let dot = 0;
        let sq = 0;
        for (let k = 0; k < d; k++) {
          expected[o + k] = h[j + k] * h[i + k];
          dot += h[j + k] * h[i + k];
          sq += (h[j + k] - h[i + k]) ** 2;
        }
        const norm = Math.sqrt(sq);
        [expected[o + d], expected[o + d + 1], expected[o + d + 2]] = [norm, dot, attr[e]];
        for (let k = 0; k < d; k++) {
          const gp = dy[o + k] + dy[o + d + 1];
          const gn = norm > 0 ? (dy[o + d] * (h[j + k] - h[i + k])) / norm : 0;
          dh[j + k] += gp * h[i + k] + gn;
          dh[i + k] += gp * h[j + k] - gn;
        }
      }
      expect(relativeError(O.view, expected)).toBeLessThan(1e-6);
      const [G, DH, DA] = [heap.f32(dy), heap.f32(nodes * d), heap.f32(edges)];
      expect(addon().edgePairFeaturesGrad(heap.buffer, H.at, nodes, S.at, D.at, G.at, DH.at, DA.at, edges, d)).toBe(-1);
      expect(relativeError(DH.view, dh)).toBeLessThan(1e-5);
      expect(relativeError(DA.view, Array.from({ length: edges }, (_, e) => Math.fround(dy[e * (d + 3) + d + 2])))).toBe(0);
    });

    it('gather-pair-add, its gradient, the row gather and the row scatter', () => {
      const heap = new Heap(1 << 20);
      const m = d / 2;
      const table = normals(rng, nodes * 2 * m);
      const edge = normals(rng, edges * m);
      const [X, T, F, S, O] = [heap.f32(edge), heap.f32(table), heap.i32(src), heap.i32(dst), heap.f32(edges * m)];
      expect(addon().gatherPairAdd(heap.buffer, X.at, T.at, nodes, F.at, S.at, O.at, edges, m)).toBe(-1);
      const sum = edge.map((v, i) => v + table[src[Math.floor(i / m)] * 2 * m + (i % m)] + table[dst[Math.floor(i / m)] * 2 * m + m + (i % m)]);
      expect(relativeError(O.view, sum)).toBeLessThan(1e-6);
      const DT = heap.f32(nodes * 2 * m);
      expect(addon().gatherPairAddGrad(heap.buffer, X.at, F.at, S.at, DT.at, nodes, edges, m)).toBe(-1);
      const dtable = new Float64Array(nodes * 2 * m);
      edge.forEach((g, i) => {
        const e = Math.floor(i / m);
        dtable[src[e] * 2 * m + (i % m)] += g;
        dtable[dst[e] * 2 * m + m + (i % m)] += g;
      });
      expect(relativeError(DT.view, dtable)).toBeLessThan(1e-6);
      const G = heap.f32(edges * d);
      expect(addon().gatherRows(heap.buffer, heap.f32(h).at, nodes, F.at, G.at, edges, d)).toBe(-1);
      expect(Array.from(G.view)).toEqual(Array.from({ length: edges * d }, (_, i) => Math.fround(h[src[Math.floor(i / d)] * d + (i % d)])));
      const SUM = heap.f32(nodes * d);
      expect(addon().scatterAddRows(heap.buffer, G.at, S.at, SUM.at, nodes, edges, d)).toBe(-1);
      const segment = new Float64Array(nodes * d);
      G.view.forEach((v, i) => (segment[dst[Math.floor(i / d)] * d + (i % d)] += v));
      expect(relativeError(SUM.view, segment)).toBeLessThan(1e-6);
    });

    it('report the first edge with an index out of range, and write nothing past the outputs', () => {
      const heap = new Heap(1 << 20);
      const bad = src.slice();
      bad[123] = nodes; // one past the last row
      bad[400] = -1;
      const [H, S, D, A, O] = [heap.f32(h), heap.i32(bad), heap.i32(dst), heap.f32(attr), heap.f32(edges * (d + 3))];
      expect(addon().edgePairFeatures(heap.buffer, H.at, nodes, S.at, D.at, A.at, O.at, edges, d)).toBe(123);
      expect(addon().gatherRows(heap.buffer, H.at, nodes, S.at, O.at, edges, d)).toBe(123);
      expect(addon().scatterAddRows(heap.buffer, H.at, S.at, O.at, nodes, edges, 1)).toBe(123);
      expect(addon().gatherPairAdd(heap.buffer, O.at, H.at, nodes / 2, D.at, S.at, O.at, edges, 1)).toBeGreaterThanOrEqual(0);
    });
  });

  it('says beforehand which shapes have a native path, and checks the arguments of those questions', () => {
    const avx512 = cpuFlags.has('avx512f');
    // A layer over edges is narrow; a square product needs the BLAS (which CI installs).
    expect(addon().gemmRuns(0, 0, 55_000, 64, 67)).toBe(true);
    expect(addon().gemmRuns(0, 0, 1024, 1024, 1024)).toBe(true);
    expect(addon().denseEvalFits(55_000, 64, 64)).toBe(avx512);
    expect(addon().denseEvalFits(100, 64, 64)).toBe(false); // not narrow: 100 rows for 64 columns
    expect(addon().messageEvalFits(64, 0, 64)).toBe(avx512);
    expect(addon().messageEvalFits(64, 0, 200)).toBe(false); // output wider than the tiles take
    expect(() => (addon().gemmRuns as (...args: number[]) => boolean)(0, 0, 1)).toThrow('gemmRuns takes 5 arguments, got 3');
  });

  describe('dense products', () => {
    // The GNN's shapes: a dense layer over edges (C = A B, n = 64), its input gradient (A B^T into
    // 67 columns: 4 whole vectors and 3 lanes) and its weight gradient (A^T B summed over 5000 rows,
    // more than one partial-sum chunk). On AVX-512 these run on the narrow tiles, else the BLAS.
    it.each([
      [false, false, 5003, 64, 67],
      [false, true, 5003, 67, 64],
      [true, false, 67, 64, 5003],
      [false, false, 4099, 30, 61],
      [true, false, 61, 30, 4099],
      [false, false, 3000, 128, 20],
      [false, false, 3000, 1, 7],
    ])('narrow C = op(A) op(B), transposeA %s, transposeB %s, [%i x %i] over k = %i, the same for 1 and 2 threads', (ta, tb, m, n, k) => {
      const rng = Rng.fromSeed(m + n + k);
      const a = normals(rng, m * k);
      const b = normals(rng, k * n);
      const heap = new Heap(1 << 26);
      const [A, B, C] = [heap.f32(a), heap.f32(b), heap.f32(m * n)];
      const run = (threads: number) => {
        addon().setThreads(threads);
        expect(addon().gemm(heap.buffer, ta ? 1 : 0, tb ? 1 : 0, m, n, k, A.at, 0, B.at, 0, C.at, 0, 1)).toBe(true);
        return Float32Array.from(C.view);
      };
      const two = run(2);
      const one = run(1);
      expect(Array.from(two)).toEqual(Array.from(one));
      const aAt = (i: number, l: number) => (ta ? a[l * m + i] : a[i * k + l]);
      const bAt = (l: number, j: number) => (tb ? b[j * k + l] : b[l * n + j]);
      const expected = new Float64Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let l = 0; l < k; l++) sum += aAt(i, l) * bAt(l, j);
        expected[i * n + j] = sum;
      }
      expect(relativeError(one, expected)).toBeLessThan(1e-5);
    });

    it.each([
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ])('C = op(A) op(B) with transposeA %s, transposeB %s, batched and broadcast', (ta, tb) => {
      const rng = Rng.fromSeed(ta ? 1 : 2 + (tb ? 4 : 0));
      const [m, n, k, batch] = [37, 19, 301, 3];
      const a = normals(rng, batch * m * k);
      const bOne = normals(rng, k * n); // one B for every A: stride 0
      const heap = new Heap(1 << 20);
      const [A, B, C] = [heap.f32(a), heap.f32(bOne), heap.f32(batch * m * n)];
      addon().gemm(heap.buffer, ta ? 1 : 0, tb ? 1 : 0, m, n, k, A.at, m * k, B.at, 0, C.at, m * n, batch);
      const expected = new Float64Array(batch * m * n);
      const aAt = (p: number, i: number, l: number) => (ta ? a[p * m * k + l * m + i] : a[p * m * k + i * k + l]);
      const bAt = (l: number, j: number) => (tb ? bOne[j * k + l] : bOne[l * n + j]);
      for (let p = 0; p < batch; p++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let l = 0; l < k; l++) sum += Math.fround(aAt(p, i, l)) * Math.fround(bAt(l, j));
        expected[p * m * n + i * n + j] = sum;
      }
      expect(relativeError(C.view, expected)).toBeLessThan(1e-5);
    });
  });
});

describe('the build script', () => {
  it('exits 0 without a compiler and records why, leaving the installed addon alone', () => {
    const out = mkdtempSync(join(tmpdir(), 'native-build-'));
    try {
      const script = join(__dirname, '..', 'scripts', 'build-addon.mjs');
      const result = spawnSync(process.execPath, [script], { env: { ...process.env, CC: 'no-such-compiler', HYPERTRACK_NATIVE_OUT: out }, encoding: 'utf8' });
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toBe('@hypertrack/native: not built, the tensor layer stays on WebAssembly: no C compiler found (tried no-such-compiler; install gcc or set CC, then run npm rebuild @hypertrack/native)');
      const info = JSON.parse(readFileSync(join(out, 'build-info.json'), 'utf8'));
      expect(info.ok).toBe(false);
      expect(info.reason).toMatch(/^no C compiler found/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

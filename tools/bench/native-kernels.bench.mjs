// Issue 15 (native speed): the native kernels one by one on a mu = 2 layer's shapes (55k edges x 64
// features; the per-edge kernels on a mu = 20 graph, 15k nodes and 300k edges), called directly on
// a plain buffer, for each instruction-set variant the CPU has (HYPERTRACK_NATIVE_VARIANT, each in
// its own process, alternating; avx512-all is every kernel in its AVX-512 form, avx512 the mix the
// addon takes). This is the measurement behind the variant each kernel uses.
// Run after a build: node tools/bench/native-kernels.bench.mjs [threads]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadNativeKernels } from '@hypertrack/native';

const ROUNDS = 3;
const threads = Number(process.argv[2] ?? 1);

function timeMs(fn, runs = 10) {
  for (let i = 0; i < 3; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - t0) / runs;
}

/** One process, one variant: every kernel's time in ms, as a JSON line. */
function measureHere() {
  const load = loadNativeKernels();
  if (load.kernels === null) throw new Error(`the native kernels do not load: ${load.reason}`);
  const a = load.kernels.addon;
  a.setThreads(threads);
  const [R, F] = [55_000, 64];
  const n = R * F;
  const [N, E, d] = [15_000, 300_000, 64];
  const heap = new ArrayBuffer(4 * (5 * n + N * d + 3 * E + E * (d + 3) + 2 * E * d + 2 * N * d) + 65_536);
  let next = 64;
  const alloc = (floats) => {
    const at = next;
    next += 4 * floats + 64;
    return at;
  };
  const f = new Float32Array(heap);
  const i32 = new Int32Array(heap);
  const [x, dy, dx, y] = [alloc(n), alloc(n), alloc(n), alloc(n)];
  const [w, b, mean, variance, dw, db] = [alloc(F), alloc(F), alloc(F), alloc(F), alloc(F), alloc(F)];
  for (let i = 0; i < n; i++) [f[x / 4 + i], f[dy / 4 + i]] = [2 * Math.sin(i), Math.cos(i)];
  for (let k = 0; k < F; k++) [f[w / 4 + k], f[variance / 4 + k]] = [1, 1];
  const [h, src, dst, attr, pair, edge, table, out] = [alloc(N * d), alloc(E), alloc(E), alloc(E), alloc(E * (d + 3)), alloc(E * d), alloc(2 * N * d), alloc(E * d)];
  let seed = 1;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % N;
  for (let e = 0; e < E; e++) [i32[src / 4 + e], i32[dst / 4 + e]] = [rnd(), rnd()];
  for (let i = 0; i < N * d; i++) f[h / 4 + i] = Math.sin(i);
  const results = {
    variant: a.describe().variant,
    'SiLU + BatchNorm forward': timeMs(() => a.actBatchNorm(heap, x, y, mean, variance, w, b, R, F, 1, 1e-5, 0)),
    'SiLU + BatchNorm gradient': timeMs(() => a.actBatchNormGrad(heap, x, dy, w, mean, variance, dx, dw, db, R, F, 1, 1e-5, 0, 0)),
    'BatchNorm gradient (no act)': timeMs(() => a.actBatchNormGrad(heap, x, dy, w, mean, variance, dx, dw, db, R, F, 0, 1e-5, 0, 0)),
    'SiLU + BatchNorm evaluation': timeMs(() => a.actBatchNormEval(heap, x, y, w, b, mean, variance, R, F, 1, 1e-5, 0)),
    'pair features, 300k edges': timeMs(() => a.edgePairFeatures(heap, h, N, src, dst, attr, pair, E, d)),
    'gather-pair-add, 300k edges': timeMs(() => a.gatherPairAdd(heap, edge, table, N, src, dst, out, E, d)),
    'row scatter-add, 300k edges': timeMs(() => a.scatterAddRows(heap, edge, dst, h, N, E, d)),
  };
  console.log(JSON.stringify(results));
}

if (process.env.NATIVE_KERNELS_CHILD === '1') {
  measureHere();
} else {
  const script = fileURLToPath(import.meta.url);
  const variants = ['avx512', 'avx512-all', 'avx2', 'generic'];
  const runs = new Map();
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of variants) {
      const child = spawnSync(process.execPath, [script, String(threads)], { encoding: 'utf8', env: { ...process.env, NATIVE_KERNELS_CHILD: '1', HYPERTRACK_NATIVE_VARIANT: variant } });
      if (child.status !== 0) throw new Error(child.stderr);
      const line = JSON.parse(child.stdout.trim().split('\n').pop());
      // A variant the CPU lacks falls back to a narrower one: keep what actually ran.
      const list = runs.get(line.variant) ?? [];
      list.push(line);
      runs.set(line.variant, list);
    }
  }
  const median = (values) => [...values].sort((p, q) => p - q)[Math.floor(values.length / 2)];
  const names = Object.keys([...runs.values()][0][0]).filter((k) => k !== 'variant');
  console.log(`native kernels, ${threads} thread(s), median of ${ROUNDS} processes per variant (ms)`);
  console.log(`${'kernel'.padEnd(32)} ${[...runs.keys()].map((v) => v.padStart(9)).join(' ')}`);
  for (const name of names) console.log(`${name.padEnd(32)} ${[...runs.values()].map((list) => median(list.map((r) => r[name])).toFixed(2).padStart(9)).join(' ')}`);
}

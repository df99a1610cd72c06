// Issue 15 (native speed), the first measurement: dense float32 products as the GNN runs them,
// tfjs-wasm (XNNPACK, WebAssembly SIMD, no FMA) against native code on the same machine, side by
// side in one run: a plain AVX2/FMA kernel (tools/bench/native/gemm.c, one thread) and the
// system's OpenBLAS (cblas_sgemm, 1 and 2 threads), both through Node-API. It compiles gemm.c with
// gcc into a temporary folder (Debian: gcc, libopenblas-dev, nodejs headers); without them it says
// so and measures tfjs alone. The products' relative difference to tfjs (Frobenius norm) is printed.
// Run after a build: node tools/bench/native-gemm.bench.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@hypertrack/nn';
import { Rng } from '@hypertrack/core';
import { measure } from './harness.mjs';

function build(threads) {
  const out = join(mkdtempSync(join(tmpdir(), 'gemm-')), 'gemm.node');
  execFileSync('gcc', ['-O3', '-mavx2', '-mfma', '-shared', '-fPIC', '-I/usr/include/node', '-DNODE_GYP_MODULE_NAME=gemm', join(import.meta.dirname, 'native', 'gemm.c'), '-o', out, '-lopenblas'], { stdio: 'pipe' });
  process.env.OPENBLAS_NUM_THREADS = String(threads);
  return createRequire(import.meta.url)(out);
}

const rng = Rng.fromSeed(3);
const random = (n) => Float32Array.from({ length: n }, () => rng.normal(0, 1));

// [m, k] x [k, n]: a 1024^3 product; a SuperEdgeConv message MLP's first layer over 200k edges
// (input 3 * 64 + 3 + 8 = 203 wide, 64 out); its weight gradient A^T dY; the 64 -> 64 second layer.
const shapes = [
  { name: '1024 x 1024 x 1024', m: 1024, k: 1024, n: 1024, transA: 0 },
  { name: 'edges 200k x 203 -> 64', m: 200_000, k: 203, n: 64, transA: 0 },
  { name: 'weight grad 203 x 200k x 64 (A^T B)', m: 203, k: 200_000, n: 64, transA: 1 },
  { name: 'edges 200k x 64 -> 64', m: 200_000, k: 64, n: 64, transA: 0 },
];

let native = null;
try {
  native = build(Number(process.env.BENCH_BLAS_THREADS ?? 2));
} catch (error) {
  console.log(`native: not built (${String(error.stderr ?? error.message).split('\n')[0]}); tfjs-wasm only`);
}
await initBackend({ prefer: 'wasm', log: console.log });

for (const s of shapes) {
  const flops = 2 * s.m * s.n * s.k;
  const a = random(s.m * s.k);
  const b = random(s.k * s.n);
  const at = tf.tensor2d(a, s.transA ? [s.k, s.m] : [s.m, s.k]);
  const bt = tf.tensor2d(b, [s.k, s.n]);
  const gflops = (r) => (flops / (r.medianMs * 1e6)).toFixed(1);
  const line = (label, r) => console.log(`  ${label}: ${gflops(r)} GFLOP/s`);
  console.log(`${s.name} (${(flops / 1e9).toFixed(2)} GFLOP)`);
  const runs = flops > 5e9 ? 3 : 5;
  let reference;
  const tfjs = await measure('  tfjs-wasm matMul', async () => {
    const c = tf.matMul(at, bt, s.transA === 1, false);
    reference = await c.data();
    c.dispose();
  }, { warmup: 1, runs });
  line('tfjs-wasm', tfjs);
  if (native !== null) {
    const c = new Float32Array(s.m * s.n);
    for (const [mode, label] of [[0, 'AVX2/FMA kernel, 1 thread'], [1, `OpenBLAS, ${process.env.OPENBLAS_NUM_THREADS} threads`]]) {
      const r = await measure(`  ${label}`, () => native.gemm(a, b, c, s.m, s.n, s.k, s.transA, mode), { warmup: 1, runs });
      // Relative difference of the whole product (Frobenius norms): float32 sums in another order.
      let diff = 0;
      let norm = 0;
      for (let i = 0; i < c.length; i++) {
        diff += (c[i] - reference[i]) ** 2;
        norm += reference[i] ** 2;
      }
      console.log(`  ${label}: ${gflops(r)} GFLOP/s, ${(tfjs.medianMs / r.medianMs).toFixed(1)}x tfjs-wasm, relative difference ${Math.sqrt(diff / norm).toExponential(1)}`);
    }
  }
  tf.dispose([at, bt]);
}

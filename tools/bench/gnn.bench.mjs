// Targets (issue 5, tensor backend): one SuperEdgeConv layer (in = m = h = 64, BatchNorm,
// residual) forward + backward over 200k edges <= 0.8 s on this 2-core machine; the tune-5
// EdgePredictor must train (forward + backward of the focal loss) on a mu = 20 graph inside the
// wasm heap (about 4 GiB). Medians of the harness; figures go to docs/benchmarks.md.
//
// Run after a build (npx nx run-many -t build -p @hypertrack/nn @hypertrack/gnn):
//   node tools/bench/gnn.bench.mjs                 every case, each in its own child process
//   node tools/bench/gnn.bench.mjs conv:wasm:200000 model:wasm:15000:500000   chosen cases
//   GNN_BENCH_PROFILE=1 ...                        also print the kernels that take the time
//   GNN_BENCH_SIMD=0 ...                           BatchNorm kernels without their SIMD loops
// Cases: conv:<backend>:<edges> (nodes = edges / 4) and model:<backend>:<hits>:<edges>.
// Each case runs in a fresh process, so the wasm heap and the peak RSS belong to that case alone.
// Peak tensor memory is tf.profile's peakBytes over one forward + backward (tf.memory().numBytes
// at its highest; tfjs counts a buffer shared by several tensors once per tensor, so this
// overstates); the wasm heap size at the end is the real high-water mark (it never shrinks, cap
// about 4 GiB); peak RSS is the process's maxRSS. CPU time is printed next to the wall time. The load average is printed with each figure.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend, setSimdLoops } from '@hypertrack/nn';
import { EdgePredictor, SuperEdgeConv, TUNE5_GNN, edgeFocalLoss, prepareGraph } from '@hypertrack/gnn';
import { measure } from './harness.mjs';

const DEFAULT_CASES = [
  'conv:wasm:50000',
  'conv:wasm:200000',
  'conv:wasm:1000000',
  'conv:cpu:50000',
  'model:wasm:1500:60000', // mu = 2: ~1.5k hits, 40-75k edges
  'model:wasm:15000:500000', // mu = 20: ~15k hits, 0.3-0.8M edges
  'model:wasm:15000:1000000', // mu = 20, dense graph
];
const TIMEOUT_S = { wasm: Number(process.env.GNN_BENCH_TIMEOUT ?? 900), cpu: Number(process.env.GNN_BENCH_CPU_TIMEOUT ?? 240) };
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const load = () => loadavg()[0].toFixed(2);

function randomEdges(nodes, edges, rng) {
  const src = Int32Array.from({ length: edges }, () => rng.int(nodes));
  const dst = Int32Array.from({ length: edges }, () => rng.int(nodes));
  return { src, dst };
}

/**
 * measure() with the process CPU time of each run as well: wasm runs on one thread, so on this
 * shared 2-core machine the CPU time is close to what the wall time would be without the other
 * jobs. Returns the harness result plus cpuMs (the median over the timed runs).
 */
async function measureWithCpu(name, fn, options) {
  const cpu = [];
  const timed = async (i) => {
    const c0 = process.cpuUsage();
    await fn(i);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  };
  const result = await measure(name, timed, options);
  const runs = cpu.slice(options.warmup).sort((a, b) => a - b);
  const cpuMs = runs[Math.floor(runs.length / 2)];
  console.log(`${''.padEnd(48)} cpu    ${cpuMs.toFixed(1).padStart(8)} ms  (median CPU time of the same runs)`);
  return { ...result, cpuMs };
}

/** The wasm heap's size: it only grows, so at the end of a case it is that case's high-water mark. */
function wasmHeapBytes() {
  const backend = tf.backend();
  return backend.wasm?.HEAPU8?.buffer.byteLength ?? 0;
}

/** Runs fn once under tf.profile: peak tensor bytes, and the kernels that took the time. */
async function profileOnce(fn, printKernels) {
  const info = await tf.profile(fn);
  if (printKernels) {
    const byName = new Map();
    let total = 0;
    for (const k of info.kernels) {
      const ms = await k.kernelTimeMs;
      total += ms;
      const entry = byName.get(k.name) ?? { ms: 0, count: 0 };
      entry.ms += ms;
      entry.count += 1;
      byName.set(k.name, entry);
    }
    console.log(`  profile: ${info.kernels.length} kernels, ${total.toFixed(0)} ms inside kernels (profiled run; each kernel output is read back)`);
    for (const [name, { ms, count }] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
      console.log(`    ${name.padEnd(24)} ${ms.toFixed(1).padStart(8)} ms  ${String(count).padStart(5)} calls`);
    }
    // Matrix products by operand shapes (which products the time goes to).
    const byShape = new Map();
    for (const k of info.kernels) {
      if (k.name !== 'BatchMatMul') continue;
      const key = k.inputShapes.map((shape) => `[${shape.join(',')}]`).join(' x ');
      const entry = byShape.get(key) ?? { ms: 0, count: 0 };
      entry.ms += await k.kernelTimeMs;
      entry.count += 1;
      byShape.set(key, entry);
    }
    for (const [key, { ms, count }] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
      console.log(`    matMul ${key.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms  ${String(count).padStart(5)} calls`);
    }
  }
  return { peakBytes: info.peakBytes, kernels: info.kernels.length };
}

async function convCase(backend, edges) {
  const nodes = edges / 4;
  const rng = Rng.fromSeed(5);
  const { src, dst } = randomEdges(nodes, edges, rng);
  const coords = Float32Array.from({ length: nodes * 64 }, () => rng.normal(0, 1));
  const graph = prepareGraph({ numNodes: nodes, coordDim: 64, coords, src, dst });
  // The plain layer (no checkpointing): the layer target is about its compute; the model cases use 'auto'.
  const conv = new SuperEdgeConv(64, { mDim: 64, hDim: 64, residual: true, act: 'silu', bn: true, checkpoint: process.env.GNN_BENCH_CHECKPOINT === '1' }, rng.split('conv'));
  const x = tf.variable(graph.x);
  const params = [...conv.namedParameters().values(), x];
  const forward = () => tf.tidy(() => void tf.sum(conv.apply(x, graph)).dataSync());
  const forwardBackward = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(conv.apply(x, graph))), params);
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
    });
  const label = `SuperEdgeConv 64 ${backend} ${edges / 1000}k edges`;
  const slow = backend === 'cpu' || edges >= 1e6;
  const fwd = await measureWithCpu(`${label} fwd (load ${load()})`, forward, slow ? { warmup: 1, runs: 3 } : { warmup: 2, runs: 7 });
  const both = await measureWithCpu(`${label} fwd+bwd (load ${load()})`, forwardBackward, slow ? { warmup: 1, runs: 3 } : { warmup: 2, runs: 5 });
  const peak = await profileOnce(forwardBackward, process.env.GNN_BENCH_PROFILE === '1');
  graph.dispose();
  x.dispose();
  conv.dispose();
  return { fwdMs: fwd.medianMs, fwdBwdMs: both.medianMs, fwdCpuMs: fwd.cpuMs, fwdBwdCpuMs: both.cpuMs, ...peak };
}

async function modelCase(backend, hits, edges) {
  const rng = Rng.fromSeed(20);
  const { src, dst } = randomEdges(hits, edges, rng);
  // Hits in a barrel of radius 1 m and length 3 m, in mm, unnormalised as in tune-5.
  const coords = new Float32Array(hits * 3);
  for (let i = 0; i < hits; i++) {
    const r = rng.uniformIn(30, 1000);
    const phi = rng.uniformIn(-Math.PI, Math.PI);
    coords.set([r * Math.cos(phi), r * Math.sin(phi), rng.uniformIn(-1500, 1500)], 3 * i);
  }
  const labels = Uint8Array.from({ length: edges }, () => (rng.uniform() < 0.05 ? 1 : 0));
  const graph = prepareGraph({ numNodes: hits, coordDim: 3, coords, src, dst });
  const model = new EdgePredictor(TUNE5_GNN, 7);
  const params = [...model.namedParameters().values()];
  const forward = () => tf.tidy(() => void tf.sum(model.forward(graph).logits).dataSync());
  const forwardBackward = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => edgeFocalLoss(model.forward(graph).logits, labels), params);
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
    });
  const label = `tune-5 EdgePredictor ${backend} ${hits / 1000}k hits ${edges / 1000}k edges`;
  const big = edges >= 3e5;
  const fwd = await measureWithCpu(`${label} fwd (load ${load()})`, forward, big ? { warmup: 1, runs: 3 } : { warmup: 2, runs: 7 });
  const both = await measureWithCpu(`${label} fwd+bwd (load ${load()})`, forwardBackward, big ? { warmup: 1, runs: 3 } : { warmup: 2, runs: 5 });
  const peak = await profileOnce(forwardBackward, process.env.GNN_BENCH_PROFILE === '1');
  graph.dispose();
  model.dispose();
  return { fwdMs: fwd.medianMs, fwdBwdMs: both.medianMs, fwdCpuMs: fwd.cpuMs, fwdBwdCpuMs: both.cpuMs, ...peak };
}

/**
 * Machine speed now: median wall and CPU time of a 1024 x 1024 matMul (74-105 ms on an idle
 * machine in dependencies.md and nn.bench.mjs). On this shared VM the figures below swing with
 * it, so compare cases measured next to each other, and read the absolute times against it.
 */
function calibrate() {
  const a = tf.randomNormal([1024, 1024]);
  const runs = [];
  for (let k = 0; k < 5; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    tf.tidy(() => void tf.matMul(a, a).dataSync()); // void: tidy would walk a returned array element by element
    const c = process.cpuUsage(c0);
    if (k > 0) runs.push([performance.now() - t0, (c.user + c.system) / 1000]);
  }
  a.dispose();
  runs.sort((x, y) => x[0] - y[0]);
  const [wall, cpu] = runs[Math.floor(runs.length / 2)];
  console.log(`  calibration: matMul 1024^2 ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU (idle machine: 74-105 ms), load ${load()}`);
  return wall;
}

async function runCase(spec) {
  const [kind, backend, ...sizes] = spec.split(':');
  await initBackend({ prefer: backend });
  // GNN_BENCH_SIMD=0: the activation + BatchNorm kernels run their JS loops (the before figure).
  if (process.env.GNN_BENCH_SIMD === '0') setSimdLoops(false);
  const calibrationMs = backend === 'wasm' ? calibrate() : undefined;
  const result = kind === 'conv' ? await convCase(backend, Number(sizes[0])) : await modelCase(backend, Number(sizes[0]), Number(sizes[1]));
  const rss = process.resourceUsage().maxRSS * 1024;
  const heap = wasmHeapBytes();
  console.log(
    `  ${spec}: peak tensors ${mib(result.peakBytes)} (tfjs numBytes, counts shared buffers once per tensor), wasm heap ${heap ? mib(heap) : '-'}, peak RSS ${mib(rss)}, ${result.kernels} kernels per fwd+bwd, load ${load()}`,
  );
  console.log(`RESULT ${JSON.stringify({ spec, ...result, calibrationMs, wasmHeap: heap, peakRss: rss, load: loadavg()[0] })}`);
}

const args = process.argv.slice(2);
if (args.length === 1 && process.env.GNN_BENCH_CHILD === '1') {
  await runCase(args[0]);
} else {
  const self = fileURLToPath(import.meta.url);
  for (const spec of args.length > 0 ? args : DEFAULT_CASES) {
    const backend = spec.split(':')[1];
    const run = spawnSync(process.execPath, [self, spec], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GNN_BENCH_CHILD: '1' },
      timeout: TIMEOUT_S[backend] * 1000,
      killSignal: 'SIGKILL',
    });
    if (run.signal !== null) console.log(`  ${spec}: stopped after ${TIMEOUT_S[backend]} s (${run.signal}); no figure`);
    else if (run.status !== 0) console.log(`  ${spec}: failed with exit code ${run.status}`);
  }
}

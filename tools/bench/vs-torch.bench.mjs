// Issue 15 (native speed): the GNN against PyTorch on the CPU, side by side in one run. Each case
// alternates ours and PyTorch's (tools/bench/torch/hypertrack_torch.py, Debian's python3-torch)
// for two rounds and reports the medians of all timed runs and their ratio.
//   step   a tune-5 training step (forward, focal loss, backward, clipping, AdamW) per mu = 2-sized
//          event (1.2k hits, 55k edges): ours on the main thread (BLAS on both cores) and with
//          two workers (one event each, one core each; time per event = step / 2), PyTorch with
//          one and with two threads
//   conv   one SuperEdgeConv layer (64 wide, BatchNorm, residual) forward + backward with the
//          input gradient, 200k edges on 50k nodes
//   infer  tune-5 inference (evaluation mode, edge probabilities read back) on a mu = 20-sized
//          graph: 15k hits, 300k edges
// Run after a build: node tools/bench/vs-torch.bench.mjs [step] [conv] [infer]
// BENCH_PYTHON names the Python with torch (default /usr/bin/python3). Without it the PyTorch half is reported as missing and ours still runs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, GnnTrainer, SuperEdgeConv, TUNE5_GNN, TUNE5_TRAINING, prepareGraph } from '@hypertrack/gnn';
import { measure } from './harness.mjs';
import { trainingEvent } from './training-event.mjs';

const TORCH_SCRIPT = fileURLToPath(new URL('./torch/hypertrack_torch.py', import.meta.url));
// Debian's python3-torch lives under the system Python; a pyenv or venv python3 on PATH lacks it.
const PYTHON = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const ROUNDS = 2;
const load = () => loadavg()[0].toFixed(2);


/** PyTorch's median for one case, or null when python3-torch is missing. */
function torch(args) {
  const result = spawnSync(PYTHON, [TORCH_SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: undefined } });
  if (result.status !== 0) {
    console.log(`  PyTorch: not measured (${(result.stderr || result.error?.message || '').trim().split('\n').pop()})`);
    return null;
  }
  const line = JSON.parse(result.stdout.trim().split('\n').pop());
  console.log(`  PyTorch ${args.join(' ')}: median ${line.medianMs.toFixed(1)} ms (${line.runs.map((t) => t.toFixed(0)).join(', ')}), load ${load()}`);
  return line.runs;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Alternates ours and PyTorch's for ROUNDS rounds; prints both medians and ours / PyTorch. */
async function sideBySide(label, ours, torchCases) {
  const oursRuns = [];
  const torchRuns = torchCases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    oursRuns.push(...(await ours(round)));
    torchCases.forEach((args, i) => {
      const runs = torch(args);
      if (runs !== null) torchRuns[i].push(...runs);
    });
  }
  const oursMs = median(oursRuns);
  console.log(`${label}: ours ${oursMs.toFixed(1)} ms`);
  const result = { label, oursMs };
  torchCases.forEach((args, i) => {
    if (torchRuns[i].length === 0) return;
    const torchMs = median(torchRuns[i]);
    const threads = args[args.indexOf('--threads') + 1];
    console.log(`  against PyTorch with ${threads} thread(s): ${torchMs.toFixed(1)} ms, ours / PyTorch = ${(oursMs / torchMs).toFixed(2)}`);
    result[`torch${threads}Ms`] = torchMs;
  });
  return result;
}

async function timed(name, fn, options, perRun = 1) {
  const times = [];
  await measure(name, async (i) => {
    const t0 = performance.now();
    await fn(i);
    if (i >= options.warmup) times.push((performance.now() - t0) / perRun);
  }, options);
  return times;
}

async function stepCase(info) {
  const events = [trainingEvent(1, 1200, 55_000), trainingEvent(2, 1200, 55_000)];
  const root = Rng.fromSeed(3);
  const results = [];
  for (const workers of [0, 2]) {
    const run = async () => {
      const trainer = new GnnTrainer(new EdgePredictor(TUNE5_GNN, 1), TUNE5_TRAINING);
      if (workers > 0) await trainer.useWorkers(workers, info.name);
      const batch = workers === 0 ? [events[0]] : events;
      const label = workers === 0 ? 'train step, 1 event, main thread' : 'train step, 2 events, 2 workers';
      const times = await timed(label, (i) => trainer.trainStep(batch, root.split(i)), { warmup: 2, runs: 5 }, batch.length);
      trainer.model.dispose();
      await trainer.close();
      return times;
    };
    const torchCases = workers === 0 ? [['--case', 'step', '--hits', '1200', '--edges', '55000', '--threads', '1'], ['--case', 'step', '--hits', '1200', '--edges', '55000', '--threads', '2']] : [];
    results.push(await sideBySide(workers === 0 ? 'step (main thread)' : 'step (2 workers, per event)', run, torchCases));
  }
  return results;
}

async function convCase() {
  const edges = 200_000;
  const nodes = edges / 4;
  const rng = Rng.fromSeed(5);
  const src = Int32Array.from({ length: edges }, () => rng.int(nodes));
  const dst = Int32Array.from({ length: edges }, () => rng.int(nodes));
  const coords = Float32Array.from({ length: nodes * 64 }, () => rng.normal(0, 1));
  const graph = prepareGraph({ numNodes: nodes, coordDim: 64, coords, src, dst });
  const conv = new SuperEdgeConv(64, { mDim: 64, hDim: 64, residual: true, act: 'silu', bn: true, checkpoint: false }, rng.split('conv'));
  const x = tf.variable(graph.x);
  const params = [...conv.namedParameters().values(), x];
  const forwardBackward = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(conv.apply(x, graph))), params);
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
    });
  const result = await sideBySide('conv (200k edges, fwd + bwd)', () => timed('SuperEdgeConv 200k edges fwd+bwd', forwardBackward, { warmup: 2, runs: 5 }), [
    ['--case', 'conv', '--hits', String(nodes), '--edges', String(edges), '--threads', '2', '--runs', '3'],
  ]);
  graph.dispose();
  x.dispose();
  conv.dispose();
  return [result];
}

async function inferCase() {
  const input = trainingEvent(7, 15_000, 300_000);
  const model = new EdgePredictor(TUNE5_GNN, 7);
  // Statistics as after training: one training-mode forward fills the running means.
  tf.tidy(() => void model.forward(prepareGraph(input)).logits.dataSync());
  const result = await sideBySide('infer (mu = 20: 15k hits, 300k edges)', () => timed('GNN inference, 300k edges', () => model.predict(input), { warmup: 1, runs: 5 }), [
    ['--case', 'infer', '--hits', '15000', '--edges', '300000', '--threads', '2', '--runs', '3'],
  ]);
  model.dispose();
  return [result];
}

const info = await initBackend({ log: (line) => console.log(line) });
const chosen = process.argv.slice(2);
const cases = { step: () => stepCase(info), conv: convCase, infer: inferCase };
const results = [];
for (const name of chosen.length > 0 ? chosen : Object.keys(cases)) {
  if (!(name in cases)) throw new Error(`unknown case '${name}' (step, conv, infer)`);
  results.push(...(await cases[name]()));
}
console.log(`RESULT ${JSON.stringify(results)}`);

// Targets (issue 5, tensor backend): one message-passing layer forward + backward over 200k edges
// (50k nodes, 64 features) <= 0.8 s on this machine. Medians of the harness; figures go to
// docs/benchmarks.md and packages/nn/README.md.
// Run after a build: node tools/bench/nn.bench.mjs
import * as tf from '@tensorflow/tfjs-core';
import { gatherRows, initBackend, patchWasmBatchMatMul, rowIndex, segmentSum, unpatchWasmBatchMatMul } from '@hypertrack/nn';
import { Rng } from '@hypertrack/core';
import { measure } from './harness.mjs';

/** A random graph and the weights of one layer: x [V, F], edges src -> dst, MLP 2F -> F -> F. */
function setup(edges, nodes, features, seed = 1) {
  const rng = Rng.fromSeed(seed);
  const src = Int32Array.from({ length: edges }, () => rng.int(nodes));
  const dst = Int32Array.from({ length: edges }, () => rng.int(nodes));
  const normal = (shape, scale) => tf.variable(tf.randomNormal(shape, 0, scale, 'float32', seed + shape[0]));
  return {
    nodes,
    src: rowIndex(src),
    dst: rowIndex(dst),
    x: normal([nodes, features], 1),
    w1: normal([2 * features, features], Math.sqrt(1 / features)),
    b1: tf.variable(tf.zeros([features])),
    w2: normal([features, features], Math.sqrt(1 / features)),
    b2: tf.variable(tf.zeros([features])),
  };
}

/** One step: m_e = MLP([x_src, x_dst]), h_v = sum of m_e over edges into v; loss = mean(h^2). */
function layerLoss(g) {
  const pair = tf.concat([gatherRows(g.x, g.src), gatherRows(g.x, g.dst)], 1);
  const hidden = tf.relu(tf.add(tf.matMul(pair, g.w1), g.b1));
  const message = tf.add(tf.matMul(hidden, g.w2), g.b2);
  const aggregated = segmentSum(message, g.dst, g.nodes);
  return tf.mean(tf.square(aggregated));
}

/**
 * The same layer with the first linear map applied per node: [x_src, x_dst] W1 equals
 * (x W1a)[src] + (x W1b)[dst], so the widest product runs over V nodes instead of E edges.
 */
function factoredLayerLoss(g) {
  const features = g.w2.shape[0];
  const w1a = tf.slice(g.w1, [0, 0], [features, features]);
  const w1b = tf.slice(g.w1, [features, 0], [features, features]);
  const pre = tf.add(gatherRows(tf.matMul(g.x, w1a), g.src), gatherRows(tf.matMul(g.x, w1b), g.dst));
  const hidden = tf.relu(tf.add(pre, g.b1));
  const message = tf.add(tf.matMul(hidden, g.w2), g.b2);
  return tf.mean(tf.square(segmentSum(message, g.dst, g.nodes)));
}

function forward(g, loss = layerLoss) {
  tf.tidy(() => loss(g).dataSync());
}

function forwardBackward(g, loss = layerLoss) {
  tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => loss(g), [g.x, g.w1, g.b1, g.w2, g.b2]);
    value.dataSync();
    for (const grad of Object.values(grads)) grad.dataSync();
  });
}

function dispose(g) {
  tf.dispose([g.src, g.dst, g.x, g.w1, g.b1, g.w2, g.b2]);
}

const info = await initBackend({ log: (line) => console.log(line) });
if (info.name !== 'wasm') console.log(`note: the fastest backend here is ${info.name}; figures below are for it`);
const big = setup(200_000, 50_000, 64);
const label = `${info.name} 200k edges, 50k nodes, 64 features`;
await measure(`MP layer fwd (${label})`, () => forward(big), { warmup: 2, runs: 7 });
await measure(`MP layer fwd+bwd (${label})`, () => forwardBackward(big), { warmup: 2, runs: 7 });
await measure(`MP layer fwd, node-factored W1 (${label})`, () => forward(big, factoredLayerLoss), { warmup: 2, runs: 7 });
await measure(`MP layer fwd+bwd, node-factored W1 (${label})`, () => forwardBackward(big, factoredLayerLoss), { warmup: 2, runs: 7 });
unpatchWasmBatchMatMul();
await measure(`MP layer fwd+bwd, stock matMul (${label})`, () => forwardBackward(big), { warmup: 1, runs: 3 });
patchWasmBatchMatMul();
console.log(`wasm heap in use: ${(tf.memory().numBytes / 2 ** 20).toFixed(0)} MiB of tensors, ${tf.memory().numTensors} tensors`);
dispose(big);

await initBackend({ prefer: 'cpu', log: (line) => console.log(line) });
const small = setup(20_000, 5_000, 64);
await measure('MP layer fwd (cpu 20k edges, 5k nodes, 64 features)', () => forward(small), { warmup: 1, runs: 5 });
await measure('MP layer fwd+bwd (cpu 20k edges, 5k nodes, 64 features)', () => forwardBackward(small), { warmup: 1, runs: 5 });
dispose(small);

import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend, setFusedKernels } from '@hypertrack/nn';
import { prepareGraph } from './graph';
import { SuperEdgeConv } from './super-edge-conv';

function graphOf(seed: number, n: number, e: number, dim: number) {
  const rng = Rng.fromSeed(seed);
  const coords = Float32Array.from({ length: dim * n }, () => rng.normal(0, 1));
  const src = Int32Array.from({ length: e }, () => rng.int(n));
  const dst = Int32Array.from({ length: e }, () => rng.int(n));
  src[0] = dst[0] = 2; // a self-loop
  return prepareGraph({ numNodes: n, coordDim: dim, coords, src, dst });
}

/** Loss and gradients (input and every parameter, by parameter name) of one layer. */
function lossAndGrads(conv: SuperEdgeConv, graph: ReturnType<typeof graphOf>, r: tf.Tensor) {
  const x = tf.variable(graph.x);
  const params = [...conv.namedParameters().entries()];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(tf.square(conv.apply(x, graph)), r)) as tf.Scalar, [x, ...params.map(([, v]) => v)]);
  const out = {
    value: value.dataSync()[0],
    dx: grads[x.name].dataSync().slice(),
    params: new Map(params.map(([name, v]) => [name, grads[v.name].dataSync().slice()])),
    buffers: new Map([...conv.namedBuffers().entries()].map(([name, v]) => [name, v.dataSync().slice()])),
  };
  tf.dispose([value, ...Object.values(grads), x]);
  return out;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe.each([
  { backend: 'wasm' as const, fused: true },
  { backend: 'wasm' as const, fused: false },
  { backend: 'cpu' as const, fused: true },
])('SuperEdgeConv on $backend (fused kernels $fused)', ({ backend, fused }) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
    setFusedKernels(fused);
  });
  afterAll(() => setFusedKernels(true));

  it('checkpointed training gives the plain loss, gradients and running statistics', () => {
    const graph = graphOf(1, 30, 120, 6);
    const r = tf.tensor2d(Float32Array.from({ length: 30 * 6 }, (_, i) => Math.sin(i)), [30, 6]);
    const make = (checkpoint: boolean) =>
      new SuperEdgeConv(6, { mDim: 8, hDim: 6, residual: true, act: 'silu', bn: true, checkpoint }, Rng.fromSeed(9));
    const plainConv = make(false);
    const ckptConv = make(true);
    expect(ckptConv.checkpointed(graph)).toBe(true);
    expect(plainConv.checkpointed(graph)).toBe(false);
    const tensorsBefore = tf.memory().numTensors;
    const plain = lossAndGrads(plainConv, graph, r);
    const ckpt = lossAndGrads(ckptConv, graph, r);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(Math.abs(ckpt.value - plain.value)).toBeLessThan(1e-4 * Math.max(1, Math.abs(plain.value)));
    expect(maxRelDiff(ckpt.dx, plain.dx)).toBeLessThan(1e-5);
    expect(ckpt.params.size).toBe(plain.params.size);
    for (const [name, g] of plain.params) expect(maxRelDiff(ckpt.params.get(name)!, g)).toBeLessThan(1e-5);
    // One forward pass moved the running statistics once, recomputation or not.
    for (const [name, b] of plain.buffers) expect(maxRelDiff(ckpt.buffers.get(name)!, b)).toBeLessThan(1e-6);
    tf.dispose(r);
    graph.dispose();
    plainConv.dispose();
    ckptConv.dispose();
  });

  it("'auto' checkpoints only in training mode and only from CHECKPOINT_AUTO_EDGES edges", () => {
    const graph = graphOf(2, 10, 40, 3);
    const conv = new SuperEdgeConv(3, { mDim: 4, hDim: 4, residual: false, act: 'silu', bn: true }, Rng.fromSeed(3));
    expect(conv.checkpointed(graph)).toBe(false);
    expect(conv.checkpointed({ ...graph, numEdges: 100_000 })).toBe(true);
    conv.eval();
    expect(conv.checkpointed({ ...graph, numEdges: 100_000 })).toBe(false);
    graph.dispose();
    conv.dispose();
  });
});

describe('SuperEdgeConv with gated aggregation', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });
  const options = { mDim: 6, hDim: 6, residual: false, act: 'silu' as const, bn: false };

  it('is the plain mean when the gate is the same for every edge, and zero for a hit without edges', () => {
    const graph = graphOf(7, 9, 30, 4);
    const plain = new SuperEdgeConv(4, options, Rng.fromSeed(1));
    const gated = new SuperEdgeConv(4, { ...options, aggregation: 'gated' }, Rng.fromSeed(1));
    const gate = gated.gate!;
    gate.kernel.assign(tf.zerosLike(gate.kernel));
    gate.bias!.assign(tf.fill([1], 0.7));
    const messages = plain.message(graph.x, graph);
    const mean = plain.aggregate(messages, graph).arraySync();
    const weighted = gated.aggregate(messages, graph).arraySync();
    const dst = graph.dst.dataSync();
    const lonely = Array.from({ length: 9 }, (_, i) => i).filter((i) => !dst.includes(i));
    for (let i = 0; i < 9; i++) {
      for (let k = 0; k < 6; k++) expect(weighted[i][k]).toBeCloseTo(mean[i][k], 4);
      if (lonely.includes(i)) expect(weighted[i]).toEqual([0, 0, 0, 0, 0, 0]);
    }
    tf.dispose([messages]);
    graph.dispose();
  });

  it('weights each message by its gate, reads the pair geometry when asked, and learns the gate', () => {
    const graph = graphOf(8, 6, 20, 3);
    const conv = new SuperEdgeConv(3, { ...options, aggregation: 'gated', gateGeometry: true }, Rng.fromSeed(2));
    expect(conv.gate!.inFeatures).toBe(6 + 8);
    const messages = conv.message(graph.x, graph);
    const g = tf.sigmoid(conv.gate!.apply(tf.concat([messages, graph.pairGeometry()], 1))).dataSync();
    const m = messages.arraySync();
    const dst = graph.dst.dataSync();
    const out = conv.aggregate(messages, graph).arraySync();
    for (let i = 0; i < 6; i++) {
      let norm = 0;
      const sum = new Array(6).fill(0);
      dst.forEach((d, e) => {
        if (d !== i) return;
        norm += g[e];
        for (let k = 0; k < 6; k++) sum[k] += g[e] * m[e][k];
      });
      for (let k = 0; k < 6; k++) expect(out[i][k]).toBeCloseTo(norm > 0 ? sum[k] / (norm + 1e-6) : 0, 4);
    }
    const grads = lossAndGrads(conv, graph, tf.onesLike(tf.zeros([6, 6])));
    expect(Math.max(...Array.from(grads.params.get('gate.weight')!, Math.abs))).toBeGreaterThan(0);
    tf.dispose([messages]);
    graph.dispose();
  });
});

describe('SuperEdgeConv with the pair geometry in its messages', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  it('adds g_ij W_geometry to the first layer of phi, so zero geometry weights give the plain message', () => {
    const graph = graphOf(9, 7, 25, 3);
    const options = { mDim: 5, hDim: 5, residual: false, act: 'silu' as const, bn: false };
    const plain = new SuperEdgeConv(3, options, Rng.fromSeed(3));
    const withGeometry = new SuperEdgeConv(3, { ...options, messageGeometry: true }, Rng.fromSeed(3));
    const w = withGeometry.phi.firstLinear.kernel;
    expect(w.shape).toEqual([3 * 3 + 3 + 8, 5]);
    // Copy the plain layer's weights and zero the geometry rows: the messages must agree.
    withGeometry.loadStateDict(new Map([...plain.stateDict()].filter(([k]) => k !== 'nn.0.0.weight')), { strict: false });
    const plainW = plain.phi.firstLinear.kernel;
    w.assign(tf.concat([plainW, tf.zeros([8, 5])], 0));
    const a = plain.message(graph.x, graph).arraySync();
    const b = withGeometry.message(graph.x, graph).arraySync();
    for (let e = 0; e < a.length; e++) for (let k = 0; k < 5; k++) expect(b[e][k]).toBeCloseTo(a[e][k], 5);
    // With weights on the geometry, messages move.
    w.assign(tf.concat([plainW, tf.ones([8, 5])], 0));
    const c = withGeometry.message(graph.x, graph).arraySync();
    expect(c.some((row, e) => row.some((v, k) => Math.abs(v - a[e][k]) > 1e-3))).toBe(true);
    graph.dispose();
  });
});

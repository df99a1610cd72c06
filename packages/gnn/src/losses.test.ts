import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { rocAuc, rocAucWithoutSelfLoops } from '@hypertrack/metrics';
import { edgeContrastiveLoss, edgeFocalLoss, planContrastive, sampledEdgeAuc } from './index';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));

describe('edgeFocalLoss', () => {
  it('equals sum (1 - p_t) (-ln p_t) w / sum w with positives weighted by #neg / #pos', () => {
    const logits = [2, -1, 0, 3.5, -0.25];
    const labels = Uint8Array.from([1, 0, 1, 0, 0]);
    const wPos = 3 / 2;
    let num = 0;
    let den = 0;
    logits.forEach((l, e) => {
      const pt = labels[e] ? sigmoid(l) : 1 - sigmoid(l);
      const w = labels[e] ? wPos : 1;
      num += (1 - pt) * -Math.log(pt) * w;
      den += w;
    });
    expect(edgeFocalLoss(tf.tensor1d(logits), labels).dataSync()[0]).toBeCloseTo(num / den, 6);
    // gamma 0 without balance: the plain mean binary cross-entropy.
    const bce = logits.reduce((s, l, e) => s - Math.log(labels[e] ? sigmoid(l) : 1 - sigmoid(l)), 0) / logits.length;
    expect(edgeFocalLoss(tf.tensor1d(logits), labels, { gamma: 0, edgeBalance: false }).dataSync()[0]).toBeCloseTo(bce, 6);
  });

  it('stays finite for large logits and with one class only', () => {
    const value = edgeFocalLoss(tf.tensor1d([80, -80, 80]), Uint8Array.from([0, 1, 1])).dataSync()[0];
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(20);
    expect(edgeFocalLoss(tf.tensor1d([1, 2]), Uint8Array.from([1, 1])).dataSync()[0]).toBeGreaterThan(0);
    expect(() => edgeFocalLoss(tf.tensor1d([1, 2]), Uint8Array.from([1]))).toThrow(/1 entries for 2 logits/);
  });
});

describe('edgeContrastiveLoss', () => {
  // Hits 0, 1, 2 are track 0; hit 3 is track 1; hit 4 is noise.
  const hitTrack = Int32Array.from([0, 0, 0, 1, -1]);
  const edges = {
    numNodes: 5,
    src: Int32Array.from([0, 1, 2, 0, 3, 1, 2, 4]),
    dst: Int32Array.from([1, 2, 0, 3, 3, 1, 3, 2]),
  };
  //                    pos pos pos neg self self below neg(noise end)
  const logitValues = Float32Array.from([1.2, 0.3, -0.4, 0.8, 2.0, 1.0, -10, -0.1]);

  it('matches the softmax formula over positive and negative edges of each track', () => {
    const tau = 0.3;
    const s = Array.from(logitValues, (l) => Math.tanh(l) / tau);
    const negatives = Math.exp(s[3]) + Math.exp(s[7]); // edge 6 has p < 1e-3 and is left out
    const nll = [0, 1, 2].map((e) => -Math.log(Math.exp(s[e]) / (Math.exp(s[e]) + negatives)));
    const expected = nll.reduce((a, b) => a + b, 0) / 3 / 3; // one track, weight 1, 3 hits
    const loss = edgeContrastiveLoss(tf.tensor1d(logitValues), { edges, hitTrack, logitValues }, { trackWeights: false }, Rng.fromSeed(1));
    expect(loss!.dataSync()[0]).toBeCloseTo(expected, 5);
    const plan = planContrastive({ edges, hitTrack, logitValues }, {}, Rng.fromSeed(1))!;
    expect(Array.from(plan.tracks)).toEqual([0]); // track 1 has no positive edge
    expect(Array.from(plan.positiveEdge)).toEqual([0, 1, 2]);
    expect(Array.from(plan.negativeEdge)).toEqual([3, 7]);
  });

  it('weights tracks by their hit weights and draws at most subSample tracks', () => {
    // Two tracks of two hits each, joined both ways, and one cross edge.
    const track = Int32Array.from([0, 0, 1, 1]);
    const e2 = { numNodes: 4, src: Int32Array.from([0, 1, 2, 3, 0]), dst: Int32Array.from([1, 0, 3, 2, 2]) };
    const values = Float32Array.from([0.5, 0.1, -0.3, 0.7, 0.2]);
    const hitWeight = Float32Array.from([0.1, 0.1, 0.3, 0.5]);
    const s = Array.from(values, (l) => Math.tanh(l) / 0.3);
    const nll = (pos: number[]) => pos.reduce((a, e) => a - Math.log(Math.exp(s[e]) / (Math.exp(s[e]) + Math.exp(s[4]))), 0) / pos.length;
    const expected = (0.2 * nll([0, 1]) + 0.8 * nll([2, 3])) / 1.0 / 2;
    const input = { edges: e2, hitTrack: track, hitWeight, logitValues: values };
    expect(edgeContrastiveLoss(tf.tensor1d(values), input, {}, Rng.fromSeed(3))!.dataSync()[0]).toBeCloseTo(expected, 5);
    const seen = new Set<number>();
    for (let seed = 0; seed < 20; seed++) seen.add(planContrastive(input, { subSample: 1 }, Rng.fromSeed(seed))!.tracks[0]);
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it('returns null when no track has a positive edge, and its gradient is finite', () => {
    const none = edgeContrastiveLoss(tf.tensor1d([1]), { edges: { numNodes: 2, src: Int32Array.from([0]), dst: Int32Array.from([1]) }, hitTrack: Int32Array.from([0, 1]), logitValues: Float32Array.from([1]) }, {}, Rng.fromSeed(1));
    expect(none).toBeNull();
    const grad = tf.grad((l: tf.Tensor) => edgeContrastiveLoss(l as tf.Tensor1D, { edges, hitTrack, logitValues }, {}, Rng.fromSeed(1))!)(tf.tensor1d(logitValues)).dataSync();
    expect(Array.from(grad).every(Number.isFinite)).toBe(true);
    expect(grad[0]).toBeLessThan(0); // raising a positive edge's score lowers the loss
    expect(grad[3]).toBeGreaterThan(0); // raising a negative edge's score raises it
    expect(grad[6]).toBe(0); // below minProb
  });
});

describe('sampledEdgeAuc', () => {
  const rng = Rng.fromSeed(21);
  const n = 400;
  const src = Int32Array.from({ length: n }, (_, e) => (e % 5 === 0 ? e % 37 : rng.int(37)));
  const dst = Int32Array.from({ length: n }, (_, e) => (e % 5 === 0 ? e % 37 : rng.int(37)));
  const labels = Uint8Array.from({ length: n }, (_, e) => (src[e] === dst[e] || rng.uniform() < 0.3 ? 1 : 0));
  const scores = Float32Array.from({ length: n }, (_, e) => labels[e] + rng.normal(0, 0.8) + (src[e] === dst[e] ? 1 : 0));

  it('is the exact AUC with and without self-loops when every edge fits', () => {
    const { edgeAuc: withSelfLoops, edgeAucNoSelf: withoutSelfLoops } = sampledEdgeAuc(scores, labels, { src, dst }, n, Rng.fromSeed(1));
    expect(withSelfLoops).toBe(rocAuc(scores, labels));
    expect(withoutSelfLoops).toBe(rocAucWithoutSelfLoops(scores, labels, src, dst));
    // Easy, always-positive self-loops flatter the figure.
    expect(withoutSelfLoops).toBeLessThan(withSelfLoops);
  });

  it('scores both on one random subset when there are more edges than maxEdges', () => {
    const a = sampledEdgeAuc(scores, labels, { src, dst }, 150, Rng.fromSeed(2));
    const b = sampledEdgeAuc(scores, labels, { src, dst }, 150, Rng.fromSeed(2));
    expect(a).toEqual(b);
    const pick = Rng.fromSeed(2).choiceWithoutReplacement(n, 150);
    const [s, l] = [Float32Array.from(pick, (e) => scores[e]), Uint8Array.from(pick, (e) => labels[e])];
    expect(a.edgeAuc).toBe(rocAuc(s, l));
    expect(a.edgeAucNoSelf).toBe(rocAucWithoutSelfLoops(s, l, Int32Array.from(pick, (e) => src[e]), Int32Array.from(pick, (e) => dst[e])));
    expect(sampledEdgeAuc(scores, new Uint8Array(n), { src, dst }, n, Rng.fromSeed(1))).toEqual({ edgeAuc: -1, edgeAucNoSelf: -1 });
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@hypertrack/nn';
import { clusterFocalLoss, clusterTarget, diceLoss, eventClusterLosses, intersectLoss, intersectWeights, jaccardLoss, modeOf } from './losses';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const value = (t: tf.Tensor) => t.dataSync()[0];

describe('cluster losses (golden values worked by hand)', () => {
  it('modeOf takes the most frequent value, the smallest on ties, noise included', () => {
    expect(modeOf([3, 1, 3, 1, 2])).toBe(1);
    expect(modeOf([-1, -1, 4])).toBe(-1);
    expect(modeOf([7])).toBe(7);
  });

  it('targets follow the pivots (pivotmajor) or the chosen hits (major)', () => {
    const track = Int32Array.from([0, 0, 0, 1, 1, 1, -1]);
    const micrograph = [0, 1, 2, 3, 4, 6];
    expect(clusterTarget(track, micrograph, [0, 1, 3], [3, 4, 6], 'pivotmajor')).toEqual({ track: 0, y: Float32Array.from([1, 1, 1, 0, 0, 0]) });
    expect(clusterTarget(track, micrograph, [0, 1, 3], [3, 4, 6], 'major')).toEqual({ track: 1, y: Float32Array.from([0, 0, 0, 1, 1, 0]) });
    // Noise pivots make every noise hit a positive (reference quirk 7, kept as the reference's target).
    expect(clusterTarget(track, micrograph, [6, 6, 0], [], 'pivotmajor').y).toEqual(Float32Array.from([0, 0, 0, 0, 0, 1]));
  });

  it('focal loss: logits 0 and ln 3 against targets 1 and 0', () => {
    // logit 0, y 1: bce = ln 2, pt = 1/2, focal = ln 2 / 2. logit ln 3, y 0: bce = ln 4, pt = 1/4,
    // focal = (3/4) ln 4. Mean over the two: (ln 2 / 2 + 0.75 ln 4) / 2.
    const loss = clusterFocalLoss(tf.tensor1d([0, Math.log(3)]), Float32Array.from([1, 0]));
    expect(value(loss)).toBeCloseTo((Math.log(2) / 2 + 0.75 * Math.log(4)) / 2, 5);
  });

  it('intersect, dice and jaccard', () => {
    const probs = tf.tensor1d([0.9, 0.8, 0.3, 0.6]);
    const y = Float32Array.from([1, 1, 0, 0]);
    // Chosen: hits 10, 11, 13 (probabilities 0.9, 0.8, 0.6); weight 1/4 each; 13 is off the track.
    const signed = intersectWeights([10, 11, 12, 13], new Set([10, 11, 13]), y, () => 0.25);
    expect(Array.from(signed)).toEqual([0.25, 0.25, 0, -0.25]);
    expect(value(intersectLoss(probs, signed))).toBeCloseTo(-(0.25 * 0.9 + 0.25 * 0.8 - 0.25 * 0.6), 6);
    // sum p y = 1.7, sum p = 2.6, sum y = 2.
    expect(value(diceLoss(probs, y))).toBeCloseTo(1 - (2 * 1.7 + 1) / (2.6 + 2 + 1), 6);
    expect(value(jaccardLoss(probs, y))).toBeCloseTo(1 - (1.7 + 1) / (2.6 + 2 - 1.7 + 1), 6);
  });

  it('event normalisation: mean BCE; intersect summed plus 1; dice and jaccard averaged', () => {
    const clusters = [
      { bce: tf.scalar(0.2), set: tf.scalar(-0.3) },
      { bce: tf.scalar(0.4), set: tf.scalar(-0.5) },
    ];
    const intersect = eventClusterLosses(clusters, 'intersect');
    expect(value(intersect.clusterBCE)).toBeCloseTo(0.3, 6);
    expect(value(intersect.clusterContrastive)).toBeCloseTo(0.2, 6);
    expect(value(eventClusterLosses(clusters, 'dice').clusterContrastive)).toBeCloseTo(-0.4, 6);
    expect(value(eventClusterLosses([], 'dice').clusterBCE)).toBe(0);
  });

  it('the focal and dice losses have the gradients of their formulas (finite differences)', () => {
    const y = Float32Array.from([1, 0, 1]);
    for (const f of [(l: tf.Tensor1D) => clusterFocalLoss(l, y), (l: tf.Tensor1D) => diceLoss(tf.sigmoid(l) as tf.Tensor1D, y)]) {
      const at = [0.3, -1.2, 2.0];
      const analytic = tf.grad((l: tf.Tensor) => f(l as tf.Tensor1D))(tf.tensor1d(at)).dataSync();
      at.forEach((_, i) => {
        const shifted = (d: number) => value(f(tf.tensor1d(at.map((v, k) => (k === i ? v + d : v)))));
        expect(analytic[i]).toBeCloseTo((shifted(1e-2) - shifted(-1e-2)) / 2e-2, 3);
      });
    }
  });
});

import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { rocAuc } from '@hypertrack/metrics';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, TUNE5_GNN, edgeContrastiveLoss, edgeFocalLoss, prepareGraph } from './index';
import { toyEvent } from './testing/toy-event';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

it('a short training run on a simulated event lowers the loss and raises the edge AUC', async () => {
  const event = toyEvent(21, 3, 0.15);
  const positives = event.labels.reduce((s, y) => s + y, 0);
  // Both classes well populated (self-loops count as positives, as in the reference).
  expect(positives).toBeGreaterThan(1000);
  expect(event.labels.length - positives).toBeGreaterThan(1000);
  const model = new EdgePredictor({ ...TUNE5_GNN, nstack: 3, hDim: 16, mDim: 16, zDim: 12, correlateHidden: [8] }, 5);
  const graph = prepareGraph({ ...event, coordDim: 3 });
  const optimizer = tf.train.adam(1e-2);
  const rng = Rng.fromSeed(9);
  const auc = async () => rocAuc((await model.predict({ ...event, coordDim: 3 })).probabilities, event.labels);
  // An untrained model's running statistics are the initial ones (mean 0, variance 1), which do not
  // fit raw millimetre inputs, so the starting AUC is taken in training mode (batch statistics).
  const aucBefore = rocAuc(tf.tidy(() => model.forward(graph).logits.dataSync() as Float32Array), event.labels);
  const losses: number[] = [];
  for (let step = 0; step < 50; step++) {
    const value = optimizer.minimize(() => {
      const { logits } = model.forward(graph);
      const focal = edgeFocalLoss(logits, event.labels);
      const contrastive = edgeContrastiveLoss(
        logits,
        { edges: event, hitTrack: event.hitTrack, hitWeight: event.hitWeight, logitValues: logits.dataSync() as Float32Array },
        {},
        rng.split(step),
      );
      return contrastive === null ? tf.mul(focal, 0.2) : tf.add(tf.mul(focal, 0.2), contrastive);
    }, true);
    losses.push(value!.dataSync()[0]);
    value!.dispose();
  }
  const aucAfter = await auc();
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  expect(mean(losses.slice(-5))).toBeLessThan(0.8 * mean(losses.slice(0, 5)));
  // Measured: 0.50 -> 0.84 over these 50 steps (loss 0.49 -> 0.29).
  expect(aucAfter).toBeGreaterThan(aucBefore + 0.2);
  expect(aucAfter).toBeGreaterThan(0.75);
  graph.dispose();
  model.dispose();
});

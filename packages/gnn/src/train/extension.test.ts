import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@hypertrack/core';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, TUNE5_GNN, TUNE5_TRAINING, eventGradients, type GnnConfig, type LatentLossExtension } from '../index';
import { toyEvent } from '../testing/toy-event';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

const SMALL: GnnConfig = { ...TUNE5_GNN, nstack: 2, hDim: 8, mDim: 8, zDim: 5, correlateHidden: [4] };

/** A latent loss with one parameter: w * mean(z^2), weighted 0.5. */
function squareLoss(): LatentLossExtension & { w: tf.Variable } {
  const w = tf.variable(tf.scalar(1.5));
  return {
    w,
    parameters: new Map([['extension.w', w]]),
    loss: (z) => ({ total: tf.mul(0.5, tf.mul(w, tf.mean(tf.square(z)))) as tf.Scalar, scalars: { meanSquare: tf.tidy(() => tf.mean(tf.square(z)).dataSync()[0]) } }),
  };
}

describe('a latent-loss extension (the transformer plugs in here)', () => {
  it('adds its loss to the edge losses, and its gradient to the GNN and to its own parameters', () => {
    const event = { ...toyEvent(3), coordDim: 3 };
    const model = new EdgePredictor(SMALL, 2);
    const plain = eventGradients(model, event, 1, TUNE5_TRAINING, Rng.fromSeed(4));
    const extension = squareLoss();
    const extended = eventGradients(model, event, 1, TUNE5_TRAINING, Rng.fromSeed(4), extension);
    const meanSquare = extended.losses.extension?.meanSquare as number;
    expect(meanSquare).toBeGreaterThan(0);
    // The total grows by exactly the extension's weighted loss, and the edge parts are unchanged.
    expect(extended.losses.value).toBeCloseTo(plain.losses.value + 0.5 * 1.5 * meanSquare, 4);
    expect(extended.losses.edgeBCE).toBe(plain.losses.edgeBCE);
    expect(extended.losses.edgeAuc).toBe(plain.losses.edgeAuc);
    expect(plain.losses.extension).toBeUndefined();
    // d/dw of 0.5 w mean(z^2) is 0.5 mean(z^2); the fusion MLP (which makes z) gets a different gradient.
    expect(extended.grads.get('extension.w')?.dataSync()[0]).toBeCloseTo(0.5 * meanSquare, 4);
    const fusion = 'mlp_fusion_edx.1.0.weight';
    const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(extended.grads.get(fusion) as tf.Tensor, plain.grads.get(fusion) as tf.Tensor))).dataSync()[0]);
    expect(difference).toBeGreaterThan(0);
    tf.dispose([...plain.grads.values(), ...extended.grads.values(), extension.w]);
    model.dispose();
  });

  it('refuses parameter names that collide with the GNN', () => {
    const model = new EdgePredictor(SMALL, 2);
    const w = tf.variable(tf.scalar(1));
    const clash: LatentLossExtension = { parameters: new Map([['thr', w]]), loss: (z) => ({ total: tf.sum(z) as tf.Scalar, scalars: {} }) };
    expect(() => eventGradients(model, { ...toyEvent(1), coordDim: 3 }, 1, TUNE5_TRAINING, Rng.fromSeed(1), clash)).toThrow("the latent-loss extension's parameter 'thr' collides with the GNN's");
    w.dispose();
    model.dispose();
  });
});

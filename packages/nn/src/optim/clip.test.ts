import * as tf from '@tensorflow/tfjs-core';
import { clipGradNorm, initBackend } from '../index';

describe.each(['wasm', 'cpu'] as const)('clipGradNorm on %s', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });

  it('scales by maxNorm / (norm + 1e-6) when the global norm exceeds maxNorm', () => {
    // Global norm sqrt(3^2 + 4^2 + 12^2) = 13.
    const grads = new Map<string, tf.Tensor>([['a.weight', tf.tensor2d([[3, 4]], [1, 2])], ['a.bias', tf.tensor1d([12])]]);
    const { grads: clipped, norm } = clipGradNorm(grads, 1);
    expect(norm).toBeCloseTo(13, 5);
    const c = 1 / (13 + 1e-6);
    expect(Array.from(clipped.get('a.weight')!.dataSync())).toEqual([Math.fround(3 * c), Math.fround(4 * c)].map((v) => expect.closeTo(v, 7)));
    expect(clipped.get('a.bias')!.dataSync()[0]).toBeCloseTo(12 * c, 7);
    expect(clipped.get('a.weight')!.shape).toEqual([1, 2]);
    // New tensors: the inputs are unchanged and still owned by the caller.
    expect(Array.from(grads.get('a.weight')!.dataSync())).toEqual([3, 4]);
    tf.dispose([...grads.values(), ...clipped.values()]);
  });

  it('leaves gradients below maxNorm unchanged (returned as copies) and accepts plain objects', () => {
    const g = { w: tf.tensor1d([0.3, -0.4]) };
    const { grads, norm } = clipGradNorm(g, 1);
    expect(norm).toBeCloseTo(0.5, 6);
    expect(Array.from(grads.get('w')!.dataSync())).toEqual(Array.from(g.w.dataSync()));
    expect(grads.get('w')).not.toBe(g.w);
    // PyTorch's clamp: a norm within 1e-6 of maxNorm is already scaled by maxNorm / (norm + 1e-6).
    const { grads: edge } = clipGradNorm(g, 0.5);
    expect(edge.get('w')!.dataSync()[0]).toBeCloseTo((0.3 * 0.5) / (0.5 + 1e-6), 7);
    expect(clipGradNorm(new Map(), 1)).toEqual({ grads: new Map(), norm: 0 });
    expect(() => clipGradNorm(g, 0)).toThrow(/maxNorm must be positive/);
    tf.dispose([g.w, ...grads.values(), ...edge.values()]);
  });

  it('propagates a non-finite norm as NaN gradients (PyTorch default)', () => {
    const g = new Map([['w', tf.tensor1d([Infinity, 1])]]);
    const { grads, norm } = clipGradNorm(g, 1);
    expect(norm).toBe(Infinity);
    expect(Array.from(grads.get('w')!.dataSync()).every((v) => Number.isNaN(v) || v === 0)).toBe(true);
    tf.dispose([...g.values(), ...grads.values()]);
  });
});

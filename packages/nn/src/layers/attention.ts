import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@hypertrack/core';
import { Module } from '../module';
import { LayerNorm } from './layernorm';
import { Linear } from './linear';
import { Mlp, type MlpOptions } from './mlp';

/** A set mask [batch, items]: bool, or numbers where non-zero means "present". */
export type SetMask = tf.Tensor;

export interface MabOptions {
  /** Width of the projections, of the output and of every head together. Default 64. */
  readonly dimV?: number;
  /** Attention heads; `dimV` must be divisible by it. Default 4. */
  readonly heads?: number;
  /** LayerNorm after each residual sum (`ln0`, `ln1`). Default true. */
  readonly ln?: boolean;
  /**
   * The feed-forward MLP [dimV, dimV, dimV]. Default {act: 'silu', lastAct: true} (tune-5's
   * MLP_param). BatchNorm is refused: over [batch, items, features] it would not do what the
   * reference's BatchNorm1d does there either.
   */
  readonly mlp?: Pick<MlpOptions, 'act' | 'dropout' | 'lastAct'>;
}

/** Value used for masked attention scores before the softmax (the reference's masked_fill). */
export const MASKED_SCORE = -1e6;

/**
 * The reference's multi-head attention block MAB(Q, K) (section 3.5), with its child names
 * `W_q`, `W_k`, `W_v`, `W_o`, `ln0`, `ln1`, `MLP` and its arithmetic:
 *
 *     Q_, K_, V_ = split heads of W_q Q, W_k K, W_v K, stacked head-major (row h*B + b)
 *     S = Q_ K_^T / sqrt(dimV)                  (dimV, not the head width)
 *     S[~(qmask[b,q] & kmask[b,k])] = -1e6
 *     H = Q + W_o concat_heads(softmax(S) V_)   (residual on the un-projected Q)
 *     H = ln0(H);  H = H + MLP(H);  H = ln1(H)
 *
 * Linear layers use PyTorch's default initialisation drawn from `rng`.
 */
export class MAB extends Module {
  readonly dimQ: number;
  readonly dimK: number;
  readonly dimV: number;
  readonly heads: number;
  readonly wQ: Linear;
  readonly wK: Linear;
  readonly wV: Linear;
  readonly wO: Linear;
  readonly ln0: LayerNorm | null;
  readonly ln1: LayerNorm | null;
  readonly mlp: Mlp;

  constructor(dimQ: number, dimK: number, rng: Rng, options: MabOptions = {}) {
    super();
    const dimV = options.dimV ?? 64;
    const heads = options.heads ?? 4;
    for (const [name, value] of [['dimQ', dimQ], ['dimK', dimK], ['dimV', dimV], ['heads', heads]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`MAB ${name} must be a positive integer, got ${value}`);
    }
    if (dimV % heads !== 0) throw new RangeError(`MAB dimV (${dimV}) must be divisible by heads (${heads})`);
    if (dimQ !== dimV) {
      throw new RangeError(`MAB needs dimQ == dimV for its residual on the un-projected queries, got dimQ ${dimQ}, dimV ${dimV}`);
    }
    this.dimQ = dimQ;
    this.dimK = dimK;
    this.dimV = dimV;
    this.heads = heads;
    // Registration order of the reference's __init__ (W_q, W_k, W_v, W_o, ln0, ln1, MLP).
    this.wQ = this.addChild('W_q', new Linear(dimQ, dimV, rng));
    this.wK = this.addChild('W_k', new Linear(dimK, dimV, rng));
    this.wV = this.addChild('W_v', new Linear(dimK, dimV, rng));
    this.wO = this.addChild('W_o', new Linear(dimV, dimV, rng));
    const ln = options.ln ?? true;
    this.ln0 = ln ? this.addChild('ln0', new LayerNorm(dimV)) : null;
    this.ln1 = ln ? this.addChild('ln1', new LayerNorm(dimV)) : null;
    const mlp = options.mlp ?? {};
    if ((mlp as MlpOptions).bn) throw new RangeError('MAB: BatchNorm in the MLP is not supported');
    this.mlp = this.addChild('MLP', new Mlp([dimV, dimV, dimV], rng, { act: mlp.act ?? 'silu', dropout: mlp.dropout ?? 0, lastAct: mlp.lastAct ?? true, bn: false }));
  }

  /**
   * q [B, Nq, dimQ], k [B, Nk, dimK]; optional masks qmask [B, Nq] and kmask [B, Nk] (bool, or
   * non-zero = present). Returns [B, Nq, dimV]. Padded query rows get uniform attention over the
   * keys, as in the reference; their outputs are meaningless and should be ignored.
   */
  apply(q: tf.Tensor, k: tf.Tensor, qmask?: SetMask | null, kmask?: SetMask | null): tf.Tensor {
    if (q.rank !== 3 || q.shape[2] !== this.dimQ) throw new RangeError(`MAB expects queries [B, Nq, ${this.dimQ}], got [${q.shape.join(', ')}]`);
    if (k.rank !== 3 || k.shape[2] !== this.dimK) throw new RangeError(`MAB expects keys [B, Nk, ${this.dimK}], got [${k.shape.join(', ')}]`);
    // Ranks are checked above; the defaults only satisfy noUncheckedIndexedAccess.
    const [batch = 0, nq = 0] = q.shape;
    const nk = k.shape[1] ?? 0;
    if (k.shape[0] !== batch) throw new RangeError(`MAB queries and keys differ in batch size (${batch} vs ${k.shape[0]})`);
    checkMask('query', qmask, batch, nq);
    checkMask('key', kmask, batch, nk);
    const heads = this.heads;
    const width = this.dimV / heads;
    return tf.tidy(() => {
      // [B, N, dimV] -> [heads * B, N, width], row h * B + b (torch.cat(x.split(width, -1), 0)).
      const split = (x: tf.Tensor, n: number): tf.Tensor3D =>
        tf.reshape(tf.transpose(tf.reshape(x, [batch, n, heads, width]), [2, 0, 1, 3]), [heads * batch, n, width]);
      const qh = split(this.wQ.apply(q), nq);
      const kh = split(this.wK.apply(k), nk);
      const vh = split(this.wV.apply(k), nk);
      let scores: tf.Tensor = tf.div(tf.matMul(qh, tf.transpose(kh, [0, 2, 1])), Math.sqrt(this.dimV));
      const mask = pairMask(qmask, kmask, batch, nq, nk);
      if (mask !== null) {
        const full = tf.tile(mask, [heads, 1, 1]);
        scores = tf.where(full, scores, tf.fill([heads * batch, nq, nk], MASKED_SCORE));
      }
      const attended = tf.matMul(tf.softmax(scores), vh);
      // [heads * B, Nq, width] -> [B, Nq, heads * width] (torch.cat(o.split(B, 0), -1)).
      const merged = tf.reshape(tf.transpose(tf.reshape(attended, [heads, batch, nq, width]), [1, 2, 0, 3]), [batch, nq, this.dimV]);
      let h: tf.Tensor = tf.add(q, this.wO.apply(merged));
      if (this.ln0 !== null) h = this.ln0.apply(h);
      h = tf.add(h, this.mlp.apply(h));
      if (this.ln1 !== null) h = this.ln1.apply(h);
      return h;
    });
  }
}

/** The reference's SAB: MAB(X, X) with the mask on both sides, held as child `mab`. */
export class SAB extends Module {
  readonly mab: MAB;

  constructor(dimIn: number, dimOut: number, rng: Rng, options: Omit<MabOptions, 'dimV'> = {}) {
    super();
    this.mab = this.addChild('mab', new MAB(dimIn, dimIn, rng, { ...options, dimV: dimOut }));
  }

  apply(x: tf.Tensor, mask?: SetMask | null): tf.Tensor {
    return this.mab.apply(x, x, mask, mask);
  }
}

function checkMask(kind: string, mask: SetMask | null | undefined, batch: number, n: number): void {
  if (mask === null || mask === undefined) return;
  if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== n) {
    throw new RangeError(`MAB ${kind} mask must be [${batch}, ${n}], got [${mask.shape.join(', ')}]`);
  }
}

function asBool(mask: SetMask): tf.Tensor {
  return mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
}

/** [B, Nq, Nk] bool: qmask[b, q] AND kmask[b, k], or null without masks. Call inside a tidy. */
function pairMask(
  qmask: SetMask | null | undefined,
  kmask: SetMask | null | undefined,
  batch: number,
  nq: number,
  nk: number,
): tf.Tensor3D | null {
  const hasQ = qmask !== null && qmask !== undefined;
  const hasK = kmask !== null && kmask !== undefined;
  if (!hasQ && !hasK) return null;
  const shape: [number, number, number] = [batch, nq, nk];
  const q = hasQ ? tf.broadcastTo(tf.reshape(asBool(qmask), [batch, nq, 1]), shape) : null;
  const k = hasK ? tf.broadcastTo(tf.reshape(asBool(kmask), [batch, 1, nk]), shape) : null;
  if (q !== null && k !== null) return tf.logicalAnd(q, k) as tf.Tensor3D;
  return (q ?? k) as tf.Tensor3D;
}

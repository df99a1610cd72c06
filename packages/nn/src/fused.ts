import * as tf from '@tensorflow/tfjs-core';
import { batchNormLoops, type BatchNormLoops } from './simd/batchnorm-simd';
import { edgeLoops, type EdgeLoops } from './simd/edge-simd';
import { f32, i32, simdHeap, type WasmBackend } from './simd/heap';

/**
 * Fused ops: one differentiable op where the stock composition runs many kernels, each of which
 * allocates a [rows, features] tensor on the wasm heap and pays tfjs's per-kernel overhead.
 *
 * On the wasm backend each op runs custom kernels (registered below with backendName 'wasm')
 * that work in place on the wasm heap: their element loops are WebAssembly SIMD (./simd), with
 * JS loops over Float32Array views for widths the SIMD loops do not cover and when SIMD is off;
 * the sigmoid inside SiLU uses the stock wasm Sigmoid kernel. On every other backend, or with `setFusedKernels(false)`, the same op runs a
 * composition of stock tfjs ops with the same hand-written gradient. Tests compare both against
 * the plain autograd composition (values and gradients, wasm and cpu).
 */

let enabled = true;

/** Turns the wasm custom kernels on or off (on by default; off gives the stock-op fallback). */
export function setFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether the fused kernels run their SIMD loops now (BatchNorm and per-edge ones alike). */
export function simdLoopsActive(): boolean {
  const backend = tf.backend() as WasmBackend;
  return fusedKernelsActive() && simdLoops(backend) !== null && simdEdgeLoops(backend) !== null;
}

/** Whether the fused wasm kernels are used now (wasm backend active, kernels on). */
export function fusedKernelsActive(): boolean {
  return enabled && tf.getBackend() === 'wasm' && registerWasmKernels();
}

/** The stock wasm Sigmoid kernel on x; the caller disposes the result. */
function wasmSigmoid(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const kernel = tf.getKernel('Sigmoid', 'wasm');
  if (kernel === undefined) throw new Error('the wasm Sigmoid kernel is not registered');
  return kernel.kernelFunc({ inputs: { x }, backend, attrs: {} }) as tf.TensorInfo;
}

type Act = 'silu' | 'none';

// ---------------------------------------------------------------------------------------------
// Activation + BatchNorm (training mode).

const ACT_BN = 'HyperTrackActBatchNorm';
const ACT_BN_GRAD = 'HyperTrackActBatchNormGrad';

interface ActBnAttrs {
  act: Act;
  eps: number;
}

/** Rows of one SIMD block: the fewest whose `features` floats fill whole 4-lane vectors. */
function blockRowsOf(features: number): number {
  return features % 4 === 0 ? 1 : features % 2 === 0 ? 2 : 4;
}

/** Blocks per call of a summing loop: its float32 accumulators are emptied into float64 after each. */
const SUM_CHUNK_BLOCKS = 256;

/** The BatchNorm SIMD loops over this backend's heap, or null (no SIMD, no heap, or turned off). */
function simdLoops(backend: WasmBackend): BatchNormLoops | null {
  const memory = simdHeap(backend);
  return memory === null ? null : batchNormLoops(memory);
}

/** The per-edge SIMD loops over this backend's heap, or null. */
function simdEdgeLoops(backend: WasmBackend): EdgeLoops | null {
  const memory = simdHeap(backend);
  return memory === null ? null : edgeLoops(memory);
}

/** Writes `values` (one per feature) repeated over a block of `length` floats at `T[at..]`. */
function replicate(T: Float32Array, at: number, values: ArrayLike<number>, length: number): void {
  const features = values.length;
  for (let j = 0; j < length; j++) T[at + j] = values[j % features];
}

/**
 * How a [rows, features] BatchNorm kernel splits its work: `blocks` whole SIMD blocks of `g` rows
 * (`blockLen` floats each; 0 when the loops are off or the width is 0, which would still run each
 * loop body once), the rest of the rows in JS, and a heap scratch of `slots` x blockLen floats for
 * the replicated per-feature operands (null without blocks). Allocates, so call it before taking
 * any heap view.
 */
function blockPlan(backend: WasmBackend, rows: number, features: number, slots: number) {
  const loops = simdLoops(backend);
  const g = blockRowsOf(features);
  const blockLen = g * features;
  const blocks = loops === null || features === 0 ? 0 : Math.floor(rows / g);
  const scratch = blocks > 0 ? backend.makeOutput([slots * blockLen], 'float32') : null;
  return { loops, g, blockLen, blocks, scratch };
}

/** [y, mean, variance]: a = act(x), y = (a - mean) / sqrt(variance + eps) * weight + bias. */
function actBatchNormKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { x, weight, bias } = args.inputs as Record<string, tf.TensorInfo>;
  const { act, eps } = args.attrs as unknown as ActBnAttrs;
  const [rows, features] = x.shape;
  const silu = act === 'silu';
  const sig = silu ? wasmSigmoid(backend, x) : null;
  const y = backend.makeOutput([rows, features], 'float32');
  const mean = backend.makeOutput([features], 'float32');
  const variance = backend.makeOutput([features], 'float32');
  // [sum, sq, scale, shift, centre] x blockLen: accumulators, the replicated affine map, the centre.
  const { loops, g, blockLen, blocks, scratch } = blockPlan(backend, rows, features, 5);
  const X = f32(backend, x);
  const S = sig === null ? null : f32(backend, sig);
  const Y = f32(backend, y);
  const W = f32(backend, weight);
  const B = f32(backend, bias);
  const T = scratch === null ? null : f32(backend, scratch);
  // Sums of a - centre with the first row as centre: the variance E[d^2] - E[d]^2 then does not
  // cancel when the mean is large against the spread (raw millimetres in the first layer).
  const centre = new Float32Array(features);
  if (rows > 0) for (let f = 0; f < features; f++) centre[f] = S === null ? X[f] : X[f] * S[f];
  const sum = new Float64Array(features);
  const sq = new Float64Array(features);
  if (loops !== null && T !== null) {
    T.fill(0, 0, 2 * blockLen);
    replicate(T, 4 * blockLen, centre, blockLen);
    for (let b0 = 0; b0 < blocks; b0 += SUM_CHUNK_BLOCKS) {
      const count = Math.min(SUM_CHUNK_BLOCKS, blocks - b0);
      const offset = 4 * b0 * blockLen;
      loops.stats(silu, X.byteOffset + offset, S === null ? 0 : S.byteOffset + offset, Y.byteOffset + offset, count, 4 * blockLen, T.byteOffset + 16 * blockLen, T.byteOffset, T.byteOffset + 4 * blockLen);
      for (let j = 0; j < blockLen; j++) {
        sum[j % features] += T[j];
        sq[j % features] += T[blockLen + j];
      }
      T.fill(0, 0, 2 * blockLen);
    }
  }
  const simdEnd = blocks * g * features;
  for (let i = simdEnd, f = 0; i < rows * features; i++) {
    const a = S === null ? X[i] : X[i] * S[i];
    Y[i] = a;
    const d = a - centre[f];
    sum[f] += d;
    sq[f] += d * d;
    if (++f === features) f = 0;
  }
  const M = f32(backend, mean);
  const V = f32(backend, variance);
  const scale = new Float32Array(features);
  const shift = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    const offset = sum[f] / rows;
    const m = centre[f] + offset;
    const v = Math.max(sq[f] / rows - offset * offset, 0);
    M[f] = m;
    V[f] = v;
    scale[f] = W[f] / Math.sqrt(v + eps);
    shift[f] = B[f] - m * scale[f];
  }
  if (loops !== null && T !== null) {
    replicate(T, 2 * blockLen, scale, blockLen);
    replicate(T, 3 * blockLen, shift, blockLen);
    loops.apply(Y.byteOffset, blocks, 4 * blockLen, T.byteOffset + 8 * blockLen, T.byteOffset + 12 * blockLen);
  }
  for (let i = simdEnd, f = 0; i < rows * features; i++) {
    Y[i] = Y[i] * scale[f] + shift[f];
    if (++f === features) f = 0;
  }
  if (scratch !== null) backend.disposeData(scratch.dataId);
  if (sig !== null) backend.disposeData(sig.dataId);
  return [y, mean, variance];
}

const ACT_BN_EVAL = 'HyperTrackActBatchNormEval';

/** y = (act(x) - mean) / sqrt(variance + eps) * weight + bias with given (running) statistics. */
function actBatchNormEvalKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, weight, bias, mean, variance } = args.inputs as Record<string, tf.TensorInfo>;
  const { act, eps } = args.attrs as unknown as ActBnAttrs;
  const [rows, features] = x.shape;
  const silu = act === 'silu';
  const sig = silu ? wasmSigmoid(backend, x) : null;
  const y = backend.makeOutput([rows, features], 'float32');
  // [scale, shift] x blockLen.
  const { loops, g, blockLen, blocks, scratch } = blockPlan(backend, rows, features, 2);
  const X = f32(backend, x);
  const S = sig === null ? null : f32(backend, sig);
  const Y = f32(backend, y);
  const W = f32(backend, weight);
  const B = f32(backend, bias);
  const M = f32(backend, mean);
  const V = f32(backend, variance);
  const T = scratch === null ? null : f32(backend, scratch);
  const scale = new Float32Array(features);
  const shift = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    scale[f] = W[f] / Math.sqrt(V[f] + eps);
    shift[f] = B[f] - M[f] * scale[f];
  }
  if (loops !== null && T !== null) {
    replicate(T, 0, scale, blockLen);
    replicate(T, blockLen, shift, blockLen);
    loops.evalApply(silu, X.byteOffset, S === null ? 0 : S.byteOffset, Y.byteOffset, blocks, 4 * blockLen, T.byteOffset, T.byteOffset + 4 * blockLen);
  }
  for (let i = blocks * g * features, f = 0; i < rows * features; i++) {
    Y[i] = (S === null ? X[i] : X[i] * S[i]) * scale[f] + shift[f];
    if (++f === features) f = 0;
  }
  if (scratch !== null) backend.disposeData(scratch.dataId);
  if (sig !== null) backend.disposeData(sig.dataId);
  return y;
}

/**
 * BatchNorm in evaluation mode after an optional activation, as one op: the given (running)
 * statistics, `y = (act(x) - mean) / sqrt(variance + eps) * weight + bias`. On wasm one SIMD pass
 * after the sigmoid (the stock path runs SiLU and FusedBatchNorm, about 20 ms each at 60k x 64);
 * differentiable in x, weight and bias (the statistics are constants).
 */
export function actBatchNormEval(
  x: tf.Tensor2D,
  weight: tf.Tensor1D,
  bias: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  options: { act?: Act; eps?: number } = {},
): tf.Tensor2D {
  const attrs: ActBnAttrs = { act: options.act ?? 'none', eps: options.eps ?? 1e-5 };
  if (x.rank !== 2) throw new RangeError(`actBatchNormEval expects [rows, features], got [${x.shape.join(', ')}]`);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, w, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    save([input, w]);
    const value = fusedKernelsActive()
      ? (tf.engine().runKernel(ACT_BN_EVAL, { x: input, weight: w, bias: b, mean, variance }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor)
      : tf.tidy(() => tf.batchNorm(stockAct(attrs.act, input), mean, variance, b, w, attrs.eps));
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved;
        return tf.tidy(() => {
          const invStd = tf.rsqrt(tf.add(variance, attrs.eps));
          const sig = attrs.act === 'silu' ? tf.sigmoid(xs) : null;
          const a = sig === null ? xs : tf.mul(xs, sig);
          const xhat = tf.mul(tf.sub(a, mean), invStd);
          const da = tf.mul(dy, tf.mul(ws, invStd));
          const dx = sig === null ? da : tf.mul(da, tf.mul(sig, tf.add(1, tf.mul(xs, tf.sub(1, sig)))));
          return [dx, tf.sum(tf.mul(dy, xhat), 0), tf.sum(dy, 0)];
        });
      },
    };
  });
  return op(x, weight, bias) as tf.Tensor2D;
}

/**
 * [dx, dweight, dbias] of actBatchNorm, with x̂ = (a - mean) / sqrt(variance + eps):
 * dbias = Σ dy, dweight = Σ dy x̂, da = weight / sqrt(variance + eps) (dy - dbias / R - x̂ dweight / R),
 * dx = da · act'(x) (SiLU: s (1 + x (1 - s)) with s = sigmoid(x)).
 */
function actBatchNormGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { x, dy, weight, mean, variance } = args.inputs as Record<string, tf.TensorInfo>;
  const { act, eps } = args.attrs as unknown as ActBnAttrs;
  const [rows, features] = x.shape;
  const silu = act === 'silu';
  const sig = silu ? wasmSigmoid(backend, x) : null;
  const dx = backend.makeOutput([rows, features], 'float32');
  const dweight = backend.makeOutput([features], 'float32');
  const dbias = backend.makeOutput([features], 'float32');
  // [mean, invStd, coef, meanDy, meanDyXhat, accDy, accDyXhat] x blockLen.
  const { loops, g, blockLen, blocks, scratch } = blockPlan(backend, rows, features, 7);
  const X = f32(backend, x);
  const S = sig === null ? null : f32(backend, sig);
  const DY = f32(backend, dy);
  const DX = f32(backend, dx);
  const W = f32(backend, weight);
  const M = f32(backend, mean);
  const V = f32(backend, variance);
  const T = scratch === null ? null : f32(backend, scratch);
  const at = (slot: number) => (T === null ? 0 : T.byteOffset + 4 * slot * blockLen);
  const invStd = new Float32Array(features);
  for (let f = 0; f < features; f++) invStd[f] = 1 / Math.sqrt(V[f] + eps);
  const sumDy = new Float64Array(features);
  const sumDyXhat = new Float64Array(features);
  if (loops !== null && T !== null) {
    replicate(T, 0, M, blockLen);
    replicate(T, blockLen, invStd, blockLen);
    T.fill(0, 5 * blockLen, 7 * blockLen);
    for (let b0 = 0; b0 < blocks; b0 += SUM_CHUNK_BLOCKS) {
      const count = Math.min(SUM_CHUNK_BLOCKS, blocks - b0);
      const offset = 4 * b0 * blockLen;
      loops.gradSums(silu, X.byteOffset + offset, S === null ? 0 : S.byteOffset + offset, DY.byteOffset + offset, count, 4 * blockLen, at(0), at(1), at(5), at(6));
      for (let j = 0; j < blockLen; j++) {
        sumDy[j % features] += T[5 * blockLen + j];
        sumDyXhat[j % features] += T[6 * blockLen + j];
      }
      T.fill(0, 5 * blockLen, 7 * blockLen);
    }
  }
  const simdEnd = blocks * g * features;
  for (let i = simdEnd, f = 0; i < rows * features; i++) {
    const a = S === null ? X[i] : X[i] * S[i];
    const gi = DY[i];
    sumDy[f] += gi;
    sumDyXhat[f] += gi * (a - M[f]) * invStd[f];
    if (++f === features) f = 0;
  }
  const DW = f32(backend, dweight);
  const DB = f32(backend, dbias);
  const coef = new Float32Array(features);
  const meanDy = new Float32Array(features);
  const meanDyXhat = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    DW[f] = sumDyXhat[f];
    DB[f] = sumDy[f];
    coef[f] = W[f] * invStd[f];
    meanDy[f] = sumDy[f] / rows;
    meanDyXhat[f] = sumDyXhat[f] / rows;
  }
  if (loops !== null && T !== null) {
    replicate(T, 2 * blockLen, coef, blockLen);
    replicate(T, 3 * blockLen, meanDy, blockLen);
    replicate(T, 4 * blockLen, meanDyXhat, blockLen);
    loops.gradDx(silu, X.byteOffset, S === null ? 0 : S.byteOffset, DY.byteOffset, DX.byteOffset, blocks, 4 * blockLen, at(0), at(1), at(2), at(3), at(4));
  }
  for (let i = simdEnd, f = 0; i < rows * features; i++) {
    const xi = X[i];
    if (S === null) {
      const xhat = (xi - M[f]) * invStd[f];
      DX[i] = coef[f] * (DY[i] - meanDy[f] - xhat * meanDyXhat[f]);
    } else {
      const s = S[i];
      const xhat = (xi * s - M[f]) * invStd[f];
      DX[i] = coef[f] * (DY[i] - meanDy[f] - xhat * meanDyXhat[f]) * (s * (1 + xi * (1 - s)));
    }
    if (++f === features) f = 0;
  }
  if (scratch !== null) backend.disposeData(scratch.dataId);
  if (sig !== null) backend.disposeData(sig.dataId);
  return [dx, dweight, dbias];
}

function stockAct(act: Act, x: tf.Tensor): tf.Tensor {
  return act === 'silu' ? tf.mul(x, tf.sigmoid(x)) : x;
}

function actBatchNormForward(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, attrs: ActBnAttrs): tf.Tensor[] {
  if (fusedKernelsActive()) {
    return tf.engine().runKernel(ACT_BN, { x, weight, bias }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  }
  return tf.tidy(() => {
    const a = stockAct(attrs.act, x);
    const { mean, variance } = tf.moments(a, 0);
    return [tf.batchNorm(a, mean, variance, bias, weight, attrs.eps), mean, variance];
  });
}

function actBatchNormBackward(x: tf.Tensor, dy: tf.Tensor, weight: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, attrs: ActBnAttrs): tf.Tensor[] {
  if (fusedKernelsActive()) {
    return tf.engine().runKernel(ACT_BN_GRAD, { x, dy, weight, mean, variance }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  }
  return tf.tidy(() => {
    const rows = x.shape[0];
    const sig = attrs.act === 'silu' ? tf.sigmoid(x) : null;
    const a = sig === null ? x : tf.mul(x, sig);
    const invStd = tf.rsqrt(tf.add(variance, attrs.eps));
    const xhat = tf.mul(tf.sub(a, mean), invStd);
    const dbias = tf.sum(dy, 0);
    const dweight = tf.sum(tf.mul(dy, xhat), 0);
    const da = tf.mul(
      tf.mul(weight, invStd),
      tf.sub(tf.sub(dy, tf.div(dbias, rows)), tf.mul(xhat, tf.div(dweight, rows))),
    );
    const dx = sig === null ? da : tf.mul(da, tf.mul(sig, tf.add(1, tf.mul(x, tf.sub(1, sig)))));
    return [dx, dweight, dbias];
  });
}

export interface ActBatchNormResult {
  /** The normalised output [rows, features]; differentiable in x, weight and bias. */
  readonly y: tf.Tensor2D;
  /** Batch mean and biased variance of act(x) [features] (for the running statistics; constants). */
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

/**
 * BatchNorm in training mode after an optional activation, as one op:
 * `a = act(x)`, `y = (a - mean(a)) / sqrt(var(a) + eps) * weight + bias` with the batch mean and
 * biased variance over the rows. Only x and the [features] statistics are kept for the backward
 * pass (the stock composition keeps a, the centred a and more, and its gradient tiles the
 * statistics to [rows, features]). `act` is 'silu' (PyTorch's order Linear -> SiLU -> BatchNorm)
 * or 'none'.
 */
export function actBatchNorm(
  x: tf.Tensor2D,
  weight: tf.Tensor1D,
  bias: tf.Tensor1D,
  options: { act?: Act; eps?: number } = {},
): ActBatchNormResult {
  const attrs: ActBnAttrs = { act: options.act ?? 'none', eps: options.eps ?? 1e-5 };
  if (x.rank !== 2) throw new RangeError(`actBatchNorm expects [rows, features], got [${x.shape.join(', ')}]`);
  if (weight.shape[0] !== x.shape[1] || bias.shape[0] !== x.shape[1]) {
    throw new RangeError(`actBatchNorm: weight and bias must have ${x.shape[1]} entries`);
  }
  let stats: tf.Tensor[] = [];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, w, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance] = actBatchNormForward(input as tf.Tensor2D, w as tf.Tensor1D, b as tf.Tensor1D, attrs);
    // The forward function runs inside a tidy: keep the statistics past it (re-owned below).
    stats = [tf.keep(mean), tf.keep(variance)];
    save([input, w, mean, variance]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, ms, vs] = saved;
        return actBatchNormBackward(xs, dy, ws, ms, vs, attrs);
      },
    };
  });
  const y = op(x, weight, bias) as tf.Tensor2D;
  // Clones belong to the caller's scope like y; the kept originals go.
  const [mean, variance] = [tf.clone(stats[0]) as tf.Tensor1D, tf.clone(stats[1]) as tf.Tensor1D];
  tf.dispose(stats);
  return { y, mean, variance };
}

// ---------------------------------------------------------------------------------------------
// SiLU on its own (an Mlp block without BatchNorm).

const SILU = 'HyperTrackSilu';
const SILU_GRAD = 'HyperTrackSiluGrad';

function siluKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs as Record<string, tf.TensorInfo>;
  const y = wasmSigmoid(backend, x);
  const X = f32(backend, x);
  const Y = f32(backend, y);
  for (let i = 0; i < X.length; i++) Y[i] *= X[i];
  return y;
}

function siluGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const dx = wasmSigmoid(backend, x);
  const X = f32(backend, x);
  const DY = f32(backend, dy);
  const DX = f32(backend, dx);
  for (let i = 0; i < X.length; i++) {
    const s = DX[i];
    DX[i] = DY[i] * s * (1 + X[i] * (1 - s));
  }
  return dx;
}

/**
 * SiLU `x sigmoid(x)` with the gradient `dy s (1 + x (1 - s))`; only x is kept for the backward
 * pass (the sigmoid is recomputed).
 */
export const fusedSilu: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  save([x]);
  const value = fusedKernelsActive() ? (tf.engine().runKernel(SILU, { x }) as tf.Tensor) : tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input] = saved;
      if (fusedKernelsActive()) return tf.engine().runKernel(SILU_GRAD, { x: input, dy }) as tf.Tensor;
      return tf.tidy(() => {
        const s = tf.sigmoid(input);
        return tf.mul(dy, tf.mul(s, tf.add(1, tf.mul(input, tf.sub(1, s)))));
      });
    },
  };
}) as (x: tf.Tensor) => tf.Tensor;

// ---------------------------------------------------------------------------------------------
// Edge features of a node pair (the SuperEdgeConv message input that cannot be applied per node).

const PAIR = 'HyperTrackEdgePairFeatures';
const PAIR_GRAD = 'HyperTrackEdgePairFeaturesGrad';

/**
 * Throws unless every index of each `[E, 1]` tensor lies in 0..rows-1. The SIMD loops address the
 * heap directly, so a bad index would read or overwrite another tensor; the check is one pass over
 * the indices, before any output is allocated.
 */
function checkRowIndices(op: string, backend: WasmBackend, rows: number, indices: Record<string, tf.TensorInfo>): void {
  for (const [name, info] of Object.entries(indices)) {
    const I = i32(backend, info);
    for (let e = 0; e < I.length; e++) {
      if (!(I[e] >= 0 && I[e] < rows)) throw new RangeError(`${op}: ${name}[${e}] is ${I[e]}, outside the ${rows} rows 0..${rows - 1}`);
    }
  }
}

/** out[e] = [h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr_e] with j = src[e], i = dst[e]. */
function pairKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { h, src, dst, attr } = args.inputs as Record<string, tf.TensorInfo>;
  const d = h.shape[1];
  const edges = src.shape[0];
  const width = d + 3;
  checkRowIndices('edgePairFeatures', backend, h.shape[0], { src, dst });
  const out = backend.makeOutput([edges, width], 'float32');
  const H = f32(backend, h);
  const S = i32(backend, src);
  const D = i32(backend, dst);
  const A = f32(backend, attr);
  const O = f32(backend, out);
  const loops = d > 0 && d % 4 === 0 ? simdEdgeLoops(backend) : null;
  if (loops !== null) {
    loops.pairForward(H.byteOffset, S.byteOffset, D.byteOffset, A.byteOffset, O.byteOffset, edges, 4 * d, 4 * width);
    return out;
  }
  for (let e = 0; e < edges; e++) {
    const j = S[e] * d;
    const i = D[e] * d;
    const o = e * width;
    let dot = 0;
    let sq = 0;
    for (let k = 0; k < d; k++) {
      const a = H[j + k];
      const b = H[i + k];
      const p = a * b;
      O[o + k] = p;
      dot += p;
      sq += (a - b) * (a - b);
    }
    O[o + d] = Math.sqrt(sq);
    O[o + d + 1] = dot;
    O[o + d + 2] = A[e];
  }
  return out;
}

/**
 * [dh, dattr]: with g = dout[e], dh_j += (g_prod + g_dot) h_i + g_norm (h_j - h_i) / |h_j - h_i| and
 * dh_i += (g_prod + g_dot) h_j - g_norm (h_j - h_i) / |h_j - h_i| (the norm term is 0 where
 * h_j = h_i, as in PyTorch), summed over the edges; dattr = g_attr.
 */
function pairGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { h, src, dst, dy } = args.inputs as Record<string, tf.TensorInfo>;
  const [n, d] = h.shape;
  const edges = src.shape[0];
  const width = d + 3;
  checkRowIndices('edgePairFeatures gradient', backend, n, { src, dst });
  const dh = backend.makeOutput([n, d], 'float32');
  const dattr = backend.makeOutput([edges, 1], 'float32');
  const H = f32(backend, h);
  const S = i32(backend, src);
  const D = i32(backend, dst);
  const G = f32(backend, dy);
  const DH = f32(backend, dh);
  const DA = f32(backend, dattr);
  DH.fill(0);
  const loops = d > 0 && d % 4 === 0 ? simdEdgeLoops(backend) : null;
  if (loops !== null) {
    loops.pairGrad(H.byteOffset, S.byteOffset, D.byteOffset, G.byteOffset, DH.byteOffset, DA.byteOffset, edges, 4 * d, 4 * width);
    return [dh, dattr];
  }
  for (let e = 0; e < edges; e++) {
    const j = S[e] * d;
    const i = D[e] * d;
    const o = e * width;
    let sq = 0;
    for (let k = 0; k < d; k++) sq += (H[j + k] - H[i + k]) * (H[j + k] - H[i + k]);
    const norm = Math.sqrt(sq);
    const gNorm = norm > 0 ? G[o + d] / norm : 0;
    const gDot = G[o + d + 1];
    for (let k = 0; k < d; k++) {
      const a = H[j + k];
      const b = H[i + k];
      const gp = G[o + k] + gDot;
      const gn = gNorm * (a - b);
      DH[j + k] += gp * b + gn;
      DH[i + k] += gp * a - gn;
    }
    DA[e] = G[o + d + 2];
  }
  return [dh, dattr];
}

function checkIndex(what: string, index: tf.Tensor, edges?: number): void {
  if (index.dtype !== 'int32' || index.rank !== 2 || index.shape[1] !== 1 || (edges !== undefined && index.shape[0] !== edges)) {
    throw new TypeError(`${what} must be an int32 [E, 1] tensor (rowIndex) for ${edges ?? 'E'} edges, got ${index.dtype} [${index.shape.join(', ')}]`);
  }
}

/**
 * The per-edge features of the node pair j = src[e] -> i = dst[e] that do not factor into per-node
 * products: `[h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr_e]`, [E, d + 3]. One op; on wasm one pass
 * over the edges forward and one backward (the gradient scatters straight into dh), instead of two
 * gathers, the product, the norm, the dot and a concatenation and all their gradients.
 * Differentiable in h and attr; the norm's gradient is 0 where h_j = h_i (a self-loop). Indices
 * are the prepared [E, 1] int32 tensors of `rowIndex`; on wasm an index outside h's rows is a
 * RangeError naming it.
 */
export function edgePairFeatures(h: tf.Tensor2D, src: tf.Tensor2D, dst: tf.Tensor2D, attr: tf.Tensor2D): tf.Tensor2D {
  const edges = src.shape[0];
  checkIndex('src', src);
  checkIndex('dst', dst, edges);
  if (h.rank !== 2) throw new RangeError(`edgePairFeatures expects h [N, d], got [${h.shape.join(', ')}]`);
  if (attr.rank !== 2 || attr.shape[0] !== edges || attr.shape[1] !== 1) {
    throw new RangeError(`edgePairFeatures expects attr [${edges}, 1], got [${attr.shape.join(', ')}]`);
  }
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [hIn, attrIn] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    save([hIn, src, dst]);
    const value = fusedKernelsActive()
      ? (tf.engine().runKernel(PAIR, { h: hIn, src, dst, attr: attrIn }) as tf.Tensor)
      : tf.tidy(() => {
          const hs = tf.gatherND(hIn, src) as tf.Tensor2D;
          const hd = tf.gatherND(hIn, dst) as tf.Tensor2D;
          const prod = tf.mul(hs, hd);
          const norm = tf.sqrt(tf.sum(tf.square(tf.sub(hs, hd)), 1, true));
          return tf.concat([prod, norm, tf.sum(prod, 1, true), attrIn], 1);
        });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [hs0, s, t] = saved;
        if (fusedKernelsActive()) return tf.engine().runKernel(PAIR_GRAD, { h: hs0, src: s, dst: t, dy }) as tf.Tensor[];
        return tf.tidy(() => {
          const d = hs0.shape[1]!;
          const hs = tf.gatherND(hs0, s) as tf.Tensor2D;
          const hd = tf.gatherND(hs0, t) as tf.Tensor2D;
          const diff = tf.sub(hs, hd);
          const norm = tf.sqrt(tf.sum(tf.square(diff), 1, true));
          const gProd = tf.slice(dy, [0, 0], [-1, d]);
          const gNorm = tf.slice(dy, [0, d], [-1, 1]);
          const gDot = tf.slice(dy, [0, d + 1], [-1, 1]);
          const gp = tf.add(gProd, gDot);
          const scale = tf.where(tf.greater(norm, 0), tf.div(gNorm, tf.maximum(norm, 1e-30)), tf.zerosLike(norm));
          const gn = tf.mul(diff, scale);
          const shape = hs0.shape as [number, number];
          const dh = tf.add(tf.scatterND(s, tf.add(tf.mul(gp, hd), gn), shape), tf.scatterND(t, tf.sub(tf.mul(gp, hs), gn), shape));
          return [dh, tf.slice(dy, [0, d + 2], [-1, 1])];
        });
      },
    };
  });
  return op(h, attr) as tf.Tensor2D;
}

// ---------------------------------------------------------------------------------------------
// Sum of two gathered halves of a node table and an edge term.

const GATHER_PAIR_ADD = 'HyperTrackGatherPairAdd';
const GATHER_PAIR_ADD_GRAD = 'HyperTrackGatherPairAddGrad';

/** out[e] = edge[e] + table[first[e], :m] + table[second[e], m:]. */
function gatherPairAddKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { edge, table, first, second } = args.inputs as Record<string, tf.TensorInfo>;
  const [edges, m] = edge.shape;
  checkRowIndices('gatherPairAdd', backend, table.shape[0], { first, second });
  const out = backend.makeOutput([edges, m], 'float32');
  const X = f32(backend, edge);
  const T = f32(backend, table);
  const F = i32(backend, first);
  const S = i32(backend, second);
  const O = f32(backend, out);
  const loops = m > 0 && m % 4 === 0 ? simdEdgeLoops(backend) : null;
  if (loops !== null) {
    loops.gatherPairAdd(X.byteOffset, T.byteOffset, F.byteOffset, S.byteOffset, O.byteOffset, edges, 4 * m);
    return out;
  }
  for (let e = 0; e < edges; e++) {
    const a = F[e] * 2 * m;
    const b = S[e] * 2 * m + m;
    const o = e * m;
    for (let k = 0; k < m; k++) O[o + k] = X[o + k] + T[a + k] + T[b + k];
  }
  return out;
}

/** dtable[first[e], :m] += dy[e] and dtable[second[e], m:] += dy[e], summed over the edges. */
function gatherPairAddGradKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, first, second } = args.inputs as Record<string, tf.TensorInfo>;
  const rows = (args.attrs as { rows: number }).rows;
  const [edges, m] = dy.shape;
  checkRowIndices('gatherPairAdd gradient', backend, rows, { first, second });
  const dtable = backend.makeOutput([rows, 2 * m], 'float32');
  const G = f32(backend, dy);
  const F = i32(backend, first);
  const S = i32(backend, second);
  const DT = f32(backend, dtable);
  DT.fill(0);
  const loops = m > 0 && m % 4 === 0 ? simdEdgeLoops(backend) : null;
  if (loops !== null) {
    loops.gatherPairAddGrad(G.byteOffset, F.byteOffset, S.byteOffset, DT.byteOffset, edges, 4 * m);
    return dtable;
  }
  for (let e = 0; e < edges; e++) {
    const a = F[e] * 2 * m;
    const b = S[e] * 2 * m + m;
    const o = e * m;
    for (let k = 0; k < m; k++) {
      const g = G[o + k];
      DT[a + k] += g;
      DT[b + k] += g;
    }
  }
  return dtable;
}

/**
 * `out[e] = edge[e] + table[first[e], :m] + table[second[e], m:]` for edge [E, m] and table
 * [N, 2m]: the two per-node halves of a factored linear map, gathered to the edges and added, in
 * one op (one pass each way on wasm). Differentiable in edge and table.
 */
export function gatherPairAdd(edge: tf.Tensor2D, table: tf.Tensor2D, first: tf.Tensor2D, second: tf.Tensor2D): tf.Tensor2D {
  const [edges, m] = edge.shape;
  checkIndex('first', first, edges);
  checkIndex('second', second, edges);
  if (table.rank !== 2 || table.shape[1] !== 2 * m) {
    throw new RangeError(`gatherPairAdd expects table [N, ${2 * m}], got [${table.shape.join(', ')}]`);
  }
  const rows = table.shape[0];
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [edgeIn, tableIn] = args as tf.Tensor[];
    const save = args[2] as tf.GradSaveFunc;
    save([first, second]);
    const value = fusedKernelsActive()
      ? (tf.engine().runKernel(GATHER_PAIR_ADD, { edge: edgeIn, table: tableIn, first, second }) as tf.Tensor)
      : tf.tidy(() =>
          tf.add(
            edgeIn,
            tf.add(tf.gatherND(tf.slice(tableIn, [0, 0], [-1, m]), first), tf.gatherND(tf.slice(tableIn, [0, m], [-1, m]), second)),
          ),
        );
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [f, s] = saved;
        if (fusedKernelsActive()) {
          const dtable = tf.engine().runKernel(GATHER_PAIR_ADD_GRAD, { dy, first: f, second: s }, { rows }) as tf.Tensor;
          return [tf.clone(dy), dtable];
        }
        return tf.tidy(() => [tf.clone(dy), tf.concat([tf.scatterND(f, dy, [rows, m]), tf.scatterND(s, dy, [rows, m])], 1)]);
      },
    };
  });
  return op(edge, table) as tf.Tensor2D;
}

// ---------------------------------------------------------------------------------------------
// Registration.

let registered: boolean | undefined;

/** Registers the custom wasm kernels once; false when the wasm backend's kernels are absent. */
export function registerWasmKernels(): boolean {
  if (registered !== undefined) return registered;
  if (tf.getKernel('Sigmoid', 'wasm') === undefined) return false;
  const configs: tf.KernelConfig[] = [
    { kernelName: ACT_BN, backendName: 'wasm', kernelFunc: actBatchNormKernel as unknown as tf.KernelFunc },
    { kernelName: ACT_BN_GRAD, backendName: 'wasm', kernelFunc: actBatchNormGradKernel as unknown as tf.KernelFunc },
    { kernelName: ACT_BN_EVAL, backendName: 'wasm', kernelFunc: actBatchNormEvalKernel as unknown as tf.KernelFunc },
    { kernelName: SILU, backendName: 'wasm', kernelFunc: siluKernel as unknown as tf.KernelFunc },
    { kernelName: SILU_GRAD, backendName: 'wasm', kernelFunc: siluGradKernel as unknown as tf.KernelFunc },
    { kernelName: PAIR, backendName: 'wasm', kernelFunc: pairKernel as unknown as tf.KernelFunc },
    { kernelName: PAIR_GRAD, backendName: 'wasm', kernelFunc: pairGradKernel as unknown as tf.KernelFunc },
    { kernelName: GATHER_PAIR_ADD, backendName: 'wasm', kernelFunc: gatherPairAddKernel as unknown as tf.KernelFunc },
    { kernelName: GATHER_PAIR_ADD_GRAD, backendName: 'wasm', kernelFunc: gatherPairAddGradKernel as unknown as tf.KernelFunc },
  ];
  for (const config of configs) if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  registered = true;
  return true;
}


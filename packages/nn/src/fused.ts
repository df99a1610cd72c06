import * as tf from '@tensorflow/tfjs-core';

/**
 * Fused ops: one differentiable op where the stock composition runs many kernels, each of which
 * allocates a [rows, features] tensor on the wasm heap and pays tfjs's per-kernel overhead.
 *
 * On the wasm backend each op runs custom kernels (registered below with backendName 'wasm')
 * written in JS over Float32Array views of the wasm heap; the sigmoid inside SiLU uses the stock
 * wasm Sigmoid kernel. On every other backend, or with `setFusedKernels(false)`, the same op runs a
 * composition of stock tfjs ops with the same hand-written gradient. Tests compare both against
 * the plain autograd composition (values and gradients, wasm and cpu).
 */

let enabled = true;

/** Turns the wasm custom kernels on or off (on by default; off gives the stock-op fallback). */
export function setFusedKernels(on: boolean): void {
  enabled = on;
}

/** Whether the fused wasm kernels are used now (wasm backend active, kernels on). */
export function fusedKernelsActive(): boolean {
  return enabled && tf.getBackend() === 'wasm' && registerWasmKernels();
}

// ---------------------------------------------------------------------------------------------
// Wasm heap access. The wasm backend keeps every tensor in its heap; `typedArrayFromHeap` gives a
// view of one. A view is invalidated when the heap grows, so views are taken only after every
// output of a kernel has been allocated.

interface WasmBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function f32(backend: WasmBackend, info: tf.TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) throw new TypeError(`expected a float32 tensor, got ${info.dtype}`);
  return view;
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

/** [y, mean, variance]: a = act(x), y = (a - mean) / sqrt(variance + eps) * weight + bias. */
function actBatchNormKernel(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const backend = args.backend as WasmBackend;
  const { x, weight, bias } = args.inputs as Record<string, tf.TensorInfo>;
  const { act, eps } = args.attrs as unknown as ActBnAttrs;
  const [rows, features] = x.shape;
  const sig = act === 'silu' ? wasmSigmoid(backend, x) : null;
  const y = backend.makeOutput([rows, features], 'float32');
  const mean = backend.makeOutput([features], 'float32');
  const variance = backend.makeOutput([features], 'float32');
  const X = f32(backend, x);
  const S = sig === null ? null : f32(backend, sig);
  const Y = f32(backend, y);
  const W = f32(backend, weight);
  const B = f32(backend, bias);
  const sum = new Float64Array(features);
  const sq = new Float64Array(features);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let f = 0; f < features; f++, i++) {
      const a = S === null ? X[i] : X[i] * S[i];
      Y[i] = a;
      sum[f] += a;
      sq[f] += a * a;
    }
  }
  const M = f32(backend, mean);
  const V = f32(backend, variance);
  const scale = new Float32Array(features);
  const shift = new Float32Array(features);
  for (let f = 0; f < features; f++) {
    const m = sum[f] / rows;
    const v = Math.max(sq[f] / rows - m * m, 0);
    M[f] = m;
    V[f] = v;
    scale[f] = W[f] / Math.sqrt(v + eps);
    shift[f] = B[f] - m * scale[f];
  }
  for (let r = 0, i = 0; r < rows; r++) {
    for (let f = 0; f < features; f++, i++) Y[i] = Y[i] * scale[f] + shift[f];
  }
  if (sig !== null) backend.disposeData(sig.dataId);
  return [y, mean, variance];
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
  const sig = act === 'silu' ? wasmSigmoid(backend, x) : null;
  const dx = backend.makeOutput([rows, features], 'float32');
  const dweight = backend.makeOutput([features], 'float32');
  const dbias = backend.makeOutput([features], 'float32');
  const X = f32(backend, x);
  const S = sig === null ? null : f32(backend, sig);
  const DY = f32(backend, dy);
  const DX = f32(backend, dx);
  const W = f32(backend, weight);
  const M = f32(backend, mean);
  const V = f32(backend, variance);
  const invStd = new Float32Array(features);
  for (let f = 0; f < features; f++) invStd[f] = 1 / Math.sqrt(V[f] + eps);
  const sumDy = new Float64Array(features);
  const sumDyXhat = new Float64Array(features);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let f = 0; f < features; f++, i++) {
      const a = S === null ? X[i] : X[i] * S[i];
      const g = DY[i];
      sumDy[f] += g;
      sumDyXhat[f] += g * (a - M[f]) * invStd[f];
    }
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
  for (let r = 0, i = 0; r < rows; r++) {
    for (let f = 0; f < features; f++, i++) {
      const xi = X[i];
      if (S === null) {
        const xhat = (xi - M[f]) * invStd[f];
        DX[i] = coef[f] * (DY[i] - meanDy[f] - xhat * meanDyXhat[f]);
      } else {
        const s = S[i];
        const xhat = (xi * s - M[f]) * invStd[f];
        DX[i] = coef[f] * (DY[i] - meanDy[f] - xhat * meanDyXhat[f]) * (s * (1 + xi * (1 - s)));
      }
    }
  }
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
// Registration.

let registered: boolean | undefined;

/** Registers the custom wasm kernels once; false when the wasm backend's kernels are absent. */
export function registerWasmKernels(): boolean {
  if (registered !== undefined) return registered;
  if (tf.getKernel('Sigmoid', 'wasm') === undefined) return false;
  const configs: tf.KernelConfig[] = [
    { kernelName: ACT_BN, backendName: 'wasm', kernelFunc: actBatchNormKernel as unknown as tf.KernelFunc },
    { kernelName: ACT_BN_GRAD, backendName: 'wasm', kernelFunc: actBatchNormGradKernel as unknown as tf.KernelFunc },
    { kernelName: SILU, backendName: 'wasm', kernelFunc: siluKernel as unknown as tf.KernelFunc },
    { kernelName: SILU_GRAD, backendName: 'wasm', kernelFunc: siluGradKernel as unknown as tf.KernelFunc },
  ];
  for (const config of configs) if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  registered = true;
  return true;
}


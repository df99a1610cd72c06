import * as tf from '@tensorflow/tfjs-core';

/**
 * The wasm backend's Identity kernel copies its input into a new heap buffer, and tfjs runs
 * Identity for every tensor it saves for the backward pass (`engine.clone` when an op records its
 * inputs or outputs on the tape). So on wasm every saved activation existed twice, and a training
 * step paid a copy per saved tensor. The cpu backend's Identity and the wasm backend's own Reshape
 * share the buffer instead (refcount +1); this patch makes wasm's Identity do the same. No kernel
 * writes into its inputs, and variables are reassigned rather than written in place, so sharing is
 * safe; string tensors keep the stock kernel.
 */
const KERNEL = 'Identity';
const BACKEND = 'wasm';

let original: tf.KernelConfig | undefined;
let patched: tf.KernelConfig | undefined;

function makePatched(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return stock.kernelFunc(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { ...stock, kernelFunc };
}

/** Registers the buffer-sharing Identity for wasm. Idempotent; false without the wasm kernels. */
export function patchWasmIdentity(): boolean {
  const current = tf.getKernel(KERNEL, BACKEND);
  if (current === undefined) return false;
  if (patched !== undefined && current.kernelFunc === patched.kernelFunc) return true;
  original = current;
  patched = makePatched(current);
  tf.unregisterKernel(KERNEL, BACKEND);
  tf.registerKernel(patched);
  return true;
}

/** Restores the stock (copying) wasm Identity, for comparisons. Idempotent. */
export function unpatchWasmIdentity(): void {
  const current = tf.getKernel(KERNEL, BACKEND);
  if (original === undefined || patched === undefined || current?.kernelFunc !== patched.kernelFunc) return;
  tf.unregisterKernel(KERNEL, BACKEND);
  tf.registerKernel(original);
}

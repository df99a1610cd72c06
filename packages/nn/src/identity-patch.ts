import * as tf from '@tensorflow/tfjs-core';
import { kernelPatch } from './kernel-patch';

/**
 * The wasm backend's Identity kernel copies its input into a new heap buffer, and tfjs runs
 * Identity for every tensor it saves for the backward pass (`engine.clone` when an op records its
 * inputs or outputs on the tape). So on wasm every saved activation existed twice, and a training
 * step paid a copy per saved tensor. The cpu backend's Identity and the wasm backend's own Reshape
 * share the buffer instead (refcount +1); this patch makes wasm's Identity do the same. No kernel
 * writes into its inputs, and variables are reassigned rather than written in place, so sharing is
 * safe; string tensors keep the stock kernel.
 */
function makePatched(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return stock.kernelFunc(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { ...stock, kernelFunc };
}

const identityPatch = kernelPatch('Identity', 'wasm', makePatched);

/** Registers the buffer-sharing Identity for wasm. Idempotent; false without the wasm kernels. */
export function patchWasmIdentity(): boolean {
  return identityPatch.apply();
}

/** Restores the stock (copying) wasm Identity, for comparisons. Idempotent. */
export function unpatchWasmIdentity(): void {
  identityPatch.restore();
}

import * as tf from '@tensorflow/tfjs-core';

/** A kernel replaced on one backend, with the stock one kept for restoring. */
export interface KernelPatch {
  /** Registers the replacement. Idempotent; false when the stock kernel (or a dependency) is absent. */
  apply(): boolean;
  /** Puts the stock kernel back (for comparisons). Idempotent. */
  restore(): void;
  /** Whether the replacement is the kernel registered now. */
  isApplied(): boolean;
}

/**
 * Replaces `kernelName` on `backendName` by `make(stock)`; `make` returns undefined when it cannot
 * be built yet (a kernel it calls is not registered).
 */
export function kernelPatch(kernelName: string, backendName: string, make: (stock: tf.KernelConfig) => tf.KernelConfig | undefined): KernelPatch {
  let original: tf.KernelConfig | undefined;
  let patched: tf.KernelConfig | undefined;
  const isApplied = () => patched !== undefined && tf.getKernel(kernelName, backendName)?.kernelFunc === patched.kernelFunc;
  return {
    apply() {
      const current = tf.getKernel(kernelName, backendName);
      if (current === undefined) return false;
      if (isApplied()) return true;
      const replacement = make(current);
      if (replacement === undefined) return false;
      original = current;
      patched = replacement;
      tf.unregisterKernel(kernelName, backendName);
      tf.registerKernel(patched);
      return true;
    },
    restore() {
      if (original === undefined || !isApplied()) return;
      tf.unregisterKernel(kernelName, backendName);
      tf.registerKernel(original);
    },
    isApplied,
  };
}

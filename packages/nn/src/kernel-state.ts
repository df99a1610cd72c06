/**
 * What nn's own kernels do, in one object: the switches a benchmark or a test flips and the
 * counters that say which path ran. `initBackend` returns it as `kernels`; the ops read it each
 * time they run, so a switch takes effect at the next op.
 */
export interface KernelState {
  /** The fused wasm kernels (on by default; off runs a composition of stock ops, same results up to rounding). */
  fused: boolean;
  /** The SIMD loops inside the wasm kernels and the weight-gradient product (on by default; off runs JS loops). */
  simdLoops: boolean;
  /**
   * The native kernels of @hypertrack/native on the wasm heap (on by default where they load;
   * off, or HYPERTRACK_NATIVE=off, runs the WebAssembly path).
   */
  native: boolean;
  /** Weight gradients (A^T B) the SIMD loop has computed so far. */
  simdWeightGradients: number;
  /** Kernel calls that ran natively so far (dense products, BatchNorm, per-edge kernels, row gathers and scatters). */
  nativeCalls: number;
}

/** The one kernel state of this copy of nn. */
export const kernelState: KernelState = { fused: true, simdLoops: true, native: true, simdWeightGradients: 0, nativeCalls: 0 };

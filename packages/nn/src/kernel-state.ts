/**
 * What nn's own kernels do, in one object: the switches a benchmark or a test flips and the
 * counter that says which path ran. `initBackend` returns it as `kernels`; the ops read it each
 * time they run, so a switch takes effect at the next op.
 */
export interface KernelState {
  /** The fused wasm kernels (on by default; off runs a composition of stock ops, same results up to rounding). */
  fused: boolean;
  /** The SIMD loops inside the wasm kernels and the weight-gradient product (on by default; off runs JS loops). */
  simdLoops: boolean;
  /** Weight gradients (A^T B) the SIMD loop has computed so far. */
  simdWeightGradients: number;
}

/** The one kernel state of this copy of nn. */
export const kernelState: KernelState = { fused: true, simdLoops: true, simdWeightGradients: 0 };

/**
 * Fused ops: one differentiable op where the stock composition runs many kernels, each of which
 * allocates a [rows, features] tensor on the wasm heap and pays tfjs's per-kernel overhead.
 *
 * On the wasm backend each op runs custom kernels (../kernels, registered by ../kernels/register
 * with backendName 'wasm') that work in place on the wasm heap: their element loops are
 * WebAssembly SIMD (../simd), with JS loops over Float32Array views for widths the SIMD loops do
 * not cover and when SIMD is off; the sigmoid inside SiLU uses the stock wasm Sigmoid kernel. On
 * every other backend, or with `setFusedKernels(false)`, the same op runs a composition of stock
 * tfjs ops with the same hand-written gradient. Tests compare both against the plain autograd
 * composition (values and gradients, wasm and cpu). Where @hypertrack/native loads, the kernels
 * run natively on the same heap (../native.ts), and `denseActBatchNormEval` runs a whole
 * evaluation-mode block in one pass on its AVX-512 tiles.
 */

export { setFusedKernels, simdLoopsActive, fusedKernelsActive } from './switches';
export { registerWasmKernels } from '../kernels/register';
export { actBatchNorm, type ActBatchNormResult } from './act-batchnorm';
export { actBatchNormEval } from './act-batchnorm-eval';
export { denseActBatchNormEval, type EvalBatchNorm } from './dense-act-batchnorm-eval';
export { edgeMessageEval, type EdgeMessageInputs } from './edge-message-eval';
export { fusedSilu } from './silu';
export { edgePairFeatures } from './edge-pair-features';
export { gatherPairAdd } from './gather-pair-add';

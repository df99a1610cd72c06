export {
  initBackend,
  BACKEND_ORDER,
  type BackendName,
  type BackendAttempt,
  type BackendInfo,
  type InitBackendOptions,
} from './backend';
export { patchWasmBatchMatMul, unpatchWasmBatchMatMul, isWasmBatchMatMulPatched } from './matmul-patch';
export * as ops from './ops';
export { gatherRows, segmentSum, segmentMean, segmentCounts, rowIndex, type RowIndex } from './ops';

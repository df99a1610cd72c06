/**
 * The functions of build/hypertrack_native.node. Each kernel takes the heap (the ArrayBuffer of
 * the wasm memory holding the tensors) and then byte offsets into it and sizes; it reads and writes
 * the tensors in place. Index-checking kernels return -1, or the first edge whose index is out of
 * range (the outputs are then unspecified).
 */
export interface NativeAddon {
  /** y = BatchNorm(act(x + xBias)) with the batch statistics; xBias 0 for none (act: 0 none, 1 SiLU). */
  actBatchNorm(heap: ArrayBuffer, x: number, y: number, mean: number, variance: number, weight: number, bias: number, rows: number, features: number, act: number, eps: number, xBias: number): void;
  /** Its gradient; dxBias (the sum of dx over the rows) is written when not 0. */
  actBatchNormGrad(heap: ArrayBuffer, x: number, dy: number, weight: number, mean: number, variance: number, dx: number, dweight: number, dbias: number, rows: number, features: number, act: number, eps: number, xBias: number, dxBias: number): void;
  actBatchNormEval(heap: ArrayBuffer, x: number, y: number, weight: number, bias: number, mean: number, variance: number, rows: number, features: number, act: number, eps: number, xBias: number): void;
  edgePairFeatures(heap: ArrayBuffer, h: number, nodes: number, src: number, dst: number, attr: number, out: number, edges: number, d: number): number;
  edgePairFeaturesGrad(heap: ArrayBuffer, h: number, nodes: number, src: number, dst: number, dy: number, dh: number, dattr: number, edges: number, d: number): number;
  gatherPairAdd(heap: ArrayBuffer, edge: number, table: number, rows: number, first: number, second: number, out: number, edges: number, m: number): number;
  gatherPairAddGrad(heap: ArrayBuffer, dy: number, first: number, second: number, dtable: number, rows: number, edges: number, m: number): number;
  gatherRows(heap: ArrayBuffer, x: number, rows: number, index: number, out: number, count: number, width: number): number;
  scatterAddRows(heap: ArrayBuffer, x: number, index: number, out: number, rows: number, count: number, width: number): number;
  /**
   * C = op(A) op(B) for `batch` products; strides in floats (0 broadcasts one matrix). Narrow shapes
   * (one side at most 128 wide, the other long) run on AVX-512 tiles where the CPU has them, the
   * rest through the BLAS. False, with nothing written, when no native path fits.
   */
  gemm(heap: ArrayBuffer, transA: number, transB: number, m: number, n: number, k: number, a: number, strideA: number, b: number, strideB: number, c: number, strideC: number, batch: number): boolean;
  /**
   * A dense layer in evaluation mode in one pass on the AVX-512 tiles: y = act(x w + bias) * scale
   * + shift (bias, scale, shift 0 for none; act 0 none, 1 SiLU). False, with nothing written, where
   * the tiles do not run or the shape is not narrow (denseEvalFits says beforehand).
   */
  denseEval(heap: ArrayBuffer, x: number, w: number, y: number, rows: number, inFeatures: number, outFeatures: number, bias: number, act: number, scale: number, shift: number): boolean;
  /** Whether gemm has a native path for this product here (a BLAS, or the tiles for a narrow shape). */
  gemmRuns(transA: number, transB: number, m: number, n: number, k: number): boolean;
  /** Whether denseEval runs for [rows, inFeatures] x [inFeatures, outFeatures] here. */
  denseEvalFits(rows: number, inFeatures: number, outFeatures: number): boolean;
  /** Whether messageEval runs for these widths here (h width d, geometry width g, output width m). */
  messageEvalFits(d: number, g: number, m: number): boolean;
  /**
   * SuperEdgeConv's first message layer in evaluation mode in one pass over the edges:
   * y_e = act([h_j h_i, |h_j - h_i|, <h_j, h_i>, attr_e, geometry_e] w + table[dst_e, :m] +
   * table[src_e, m:]) * scale + shift (geometry [edges, g] or 0 with g = 0; scale, shift 0 for
   * none). -1 when it ran, -2 when the AVX-512 tiles do not run here or the widths do not fit
   * (nothing written), else the first edge with an index out of range.
   */
  messageEval(heap: ArrayBuffer, h: number, nodes: number, src: number, dst: number, attr: number, geometry: number, w: number, table: number, out: number, edges: number, d: number, g: number, m: number, act: number, scale: number, shift: number): number;
  /** Threads of the BLAS and of the row-parallel kernels here (BatchNorm, gathers, pair features). */
  setThreads(threads: number): void;
  describe(): { variant: string; blas: string; gemm: string; blasThreads: number; kernelThreads: number };
}

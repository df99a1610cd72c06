import { LoopModule } from './loop-module';
import type { WasmMemory } from './wasm-api';
import { Body, F32, I32, V128, type FunctionSpec } from './wasm-encoder';

/**
 * SIMD loops of the per-edge fused kernels (edge pair features and gather-pair-add), run in place
 * on the wasm heap like the BatchNorm loops. Feature widths must be multiples of 4; callers keep
 * their JS loops for other widths. Arguments are byte addresses in the heap, counts and row
 * strides in bytes; index arrays are int32 row numbers, one per edge.
 */
export interface EdgeLoops {
  /** out[e] = [h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr[e]] with j = src[e], i = dst[e]. */
  pairForward(h: number, src: number, dst: number, attr: number, out: number, edges: number, rowBytes: number, outRowBytes: number): void;
  /** dh (zeroed by the caller) and dattr of pairForward for the upstream gradient g. */
  pairGrad(h: number, src: number, dst: number, g: number, dh: number, dattr: number, edges: number, rowBytes: number, outRowBytes: number): void;
  /** out[e] = edge[e] + table[first[e], :m] + table[second[e], m:]. */
  gatherPairAdd(edge: number, table: number, first: number, second: number, out: number, edges: number, mBytes: number): void;
  /** dtable[first[e], :m] += g[e], dtable[second[e], m:] += g[e] (dtable zeroed by the caller). */
  gatherPairAddGrad(g: number, first: number, second: number, dtable: number, edges: number, mBytes: number): void;
}

/** Opens the edge loop over local `e` < `edges`. */
function openEdges(body: Body, e: number, edges: number): void {
  body.block().loop();
  body.localGet(e).localGet(edges).i32GeU().brIf(1);
}

function closeEdges(body: Body, e: number, advances: ReadonlyArray<readonly [number, number | 'param', number?]>): void {
  for (const [pointer, by, param] of advances) {
    if (by === 'param') body.localGet(pointer).localGet(param as number).i32Add().localSet(pointer);
    else body.addTo(pointer, by);
  }
  body.addTo(e, 1).br(0);
  body.end().end();
}

/** Sets local `target` = `base` + (int32 at local `index`) * local `stride`. */
function rowAddress(body: Body, target: number, base: number, index: number, stride: number): void {
  body.localGet(base).localGet(index).i32Load().localGet(stride).i32Mul().i32Add().localSet(target);
}

function pairForward(): FunctionSpec {
  const [h, src, dst, attr, out, edges, rowBytes, outRowBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [e, k, hj, hi, dot, sq, a, b, p, zero] = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const body = new Body();
  body.f32Const(0).f32x4Splat().localSet(zero);
  openEdges(body, e, edges);
  rowAddress(body, hj, h, src, rowBytes);
  rowAddress(body, hi, h, dst, rowBytes);
  body.localGet(zero).localSet(dot).localGet(zero).localSet(sq).i32Const(0).localSet(k);
  body.loop();
  body.loadAt(hj, k).localSet(a).loadAt(hi, k).localSet(b);
  body.localGet(a).localGet(b).f32x4Mul().localSet(p);
  body.localGet(out).localGet(k).i32Add().localGet(p).v128Store();
  body.localGet(dot).localGet(p).f32x4Add().localSet(dot);
  body.localGet(a).localGet(b).f32x4Sub().localTee(a).localGet(a).f32x4Mul().localGet(sq).f32x4Add().localSet(sq);
  body.addTo(k, 16).localGet(k).localGet(rowBytes).i32LtU().brIf(0);
  body.end();
  body.localGet(out).localGet(rowBytes).i32Add().horizontalSum(sq).f32Sqrt().f32Store(0);
  body.localGet(out).localGet(rowBytes).i32Add().horizontalSum(dot).f32Store(4);
  body.localGet(out).localGet(rowBytes).i32Add().localGet(attr).f32Load().f32Store(8);
  closeEdges(body, e, [[src, 4], [dst, 4], [attr, 4], [out, 'param', outRowBytes]]);
  return { name: 'pair_forward', params: [I32, I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128, V128], body };
}

function pairGrad(): FunctionSpec {
  const [h, src, dst, g, dh, dattr, edges, rowBytes, outRowBytes] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [e, k, hj, hi, dhj, dhi, sq, a, b, gp, gn, gDot, gNorm, zero, norm] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
  const body = new Body();
  body.f32Const(0).f32x4Splat().localSet(zero);
  openEdges(body, e, edges);
  // k holds the row offset while the four row addresses are formed.
  body.localGet(src).i32Load().localGet(rowBytes).i32Mul().localSet(k);
  body.localGet(h).localGet(k).i32Add().localSet(hj).localGet(dh).localGet(k).i32Add().localSet(dhj);
  body.localGet(dst).i32Load().localGet(rowBytes).i32Mul().localSet(k);
  body.localGet(h).localGet(k).i32Add().localSet(hi).localGet(dh).localGet(k).i32Add().localSet(dhi);
  body.localGet(zero).localSet(sq).i32Const(0).localSet(k);
  body.loop();
  body.loadAt(hj, k).loadAt(hi, k).f32x4Sub().localTee(a).localGet(a).f32x4Mul().localGet(sq).f32x4Add().localSet(sq);
  body.addTo(k, 16).localGet(k).localGet(rowBytes).i32LtU().brIf(0);
  body.end();
  body.horizontalSum(sq).f32Sqrt().localSet(norm);
  // The norm's gradient is 0 where h_j = h_i (PyTorch's convention), hence the select.
  body.localGet(g).localGet(rowBytes).i32Add().f32Load(0).localGet(norm).f32Div();
  body.f32Const(0).localGet(norm).f32Const(0).f32Gt().select().f32x4Splat().localSet(gNorm);
  body.localGet(g).localGet(rowBytes).i32Add().f32Load(4).f32x4Splat().localSet(gDot);
  body.i32Const(0).localSet(k);
  body.loop();
  body.loadAt(hj, k).localSet(a).loadAt(hi, k).localSet(b);
  body.loadAt(g, k).localGet(gDot).f32x4Add().localSet(gp);
  body.localGet(gNorm).localGet(a).localGet(b).f32x4Sub().f32x4Mul().localSet(gn);
  body.localGet(dhj).localGet(k).i32Add().loadAt(dhj, k).localGet(gp).localGet(b).f32x4Mul().f32x4Add().localGet(gn).f32x4Add().v128Store();
  body.localGet(dhi).localGet(k).i32Add().loadAt(dhi, k).localGet(gp).localGet(a).f32x4Mul().f32x4Add().localGet(gn).f32x4Sub().v128Store();
  body.addTo(k, 16).localGet(k).localGet(rowBytes).i32LtU().brIf(0);
  body.end();
  body.localGet(dattr).localGet(g).localGet(rowBytes).i32Add().f32Load(8).f32Store(0);
  closeEdges(body, e, [[src, 4], [dst, 4], [dattr, 4], [g, 'param', outRowBytes]]);
  return {
    name: 'pair_grad',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, F32],
    body,
  };
}

/**
 * Opens the edge loop of a gather-pair-add loop and its feature loop: `ta` = the first half of row
 * first[e] of a [rows, 2m] table, `tb` = the second half of row second[e], `k` = 0.
 */
function openTableRows(
  body: Body,
  at: { e: number; edges: number; k: number; ta: number; tb: number; table: number; first: number; second: number; tableRow: number; mBytes: number },
): void {
  body.localGet(at.mBytes).localGet(at.mBytes).i32Add().localSet(at.tableRow);
  openEdges(body, at.e, at.edges);
  rowAddress(body, at.ta, at.table, at.first, at.tableRow);
  rowAddress(body, at.tb, at.table, at.second, at.tableRow);
  body.localGet(at.tb).localGet(at.mBytes).i32Add().localSet(at.tb);
  body.i32Const(0).localSet(at.k);
  body.loop();
}

function gatherPairAdd(): FunctionSpec {
  const [edge, table, first, second, out, edges, mBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [e, k, ta, tb, tableRow] = [7, 8, 9, 10, 11];
  const body = new Body();
  openTableRows(body, { e, edges, k, ta, tb, table, first, second, tableRow, mBytes });
  body.localGet(out).localGet(k).i32Add().loadAt(edge, k).loadAt(ta, k).f32x4Add().loadAt(tb, k).f32x4Add().v128Store();
  body.addTo(k, 16).localGet(k).localGet(mBytes).i32LtU().brIf(0);
  body.end();
  closeEdges(body, e, [[first, 4], [second, 4], [edge, 'param', mBytes], [out, 'param', mBytes]]);
  return { name: 'gather_pair_add', params: [I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32], body };
}

function gatherPairAddGrad(): FunctionSpec {
  const [g, first, second, dtable, edges, mBytes] = [0, 1, 2, 3, 4, 5];
  const [e, k, ta, tb, tableRow, v] = [6, 7, 8, 9, 10, 11];
  const body = new Body();
  openTableRows(body, { e, edges, k, ta, tb, table: dtable, first, second, tableRow, mBytes });
  body.loadAt(g, k).localSet(v);
  body.localGet(ta).localGet(k).i32Add().loadAt(ta, k).localGet(v).f32x4Add().v128Store();
  body.localGet(tb).localGet(k).i32Add().loadAt(tb, k).localGet(v).f32x4Add().v128Store();
  body.addTo(k, 16).localGet(k).localGet(mBytes).i32LtU().brIf(0);
  body.end();
  closeEdges(body, e, [[first, 4], [second, 4], [g, 'param', mBytes]]);
  return { name: 'gather_pair_add_grad', params: [I32, I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, V128], body };
}

const loopModule = new LoopModule<EdgeLoops>(
  () => [pairForward(), pairGrad(), gatherPairAdd(), gatherPairAddGrad()],
  (fns) => ({
    pairForward: (...args) => fns.pair_forward(...args),
    pairGrad: (...args) => fns.pair_grad(...args),
    gatherPairAdd: (...args) => fns.gather_pair_add(...args),
    gatherPairAddGrad: (...args) => fns.gather_pair_add_grad(...args),
  }),
);

/** The loops bound to `memory`, or null where wasm SIMD is unavailable. */
export function edgeLoops(memory: WasmMemory): EdgeLoops | null {
  return loopModule.bind(memory);
}

/** The module's bytes (for tests that check it validates). */
export function edgeModuleBytes(): Uint8Array {
  return loopModule.bytes();
}

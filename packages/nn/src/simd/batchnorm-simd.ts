import { LoopModule } from './loop-module';
import type { WasmMemory } from './wasm-api';
import { Body, I32, V128, type FunctionSpec } from './wasm-encoder';

/**
 * SIMD loops of the fused activation + BatchNorm kernels, compiled once per wasm heap and run on
 * it in place. Each loop walks a [rows, features] float32 matrix as consecutive blocks of
 * `blockBytes` (g rows, with g the smallest row count whose g * features floats fill whole
 * 4-lane vectors); per-feature operands (statistics, scales, accumulators) are replicated g times
 * to one block's length, so lane j of every vector always meets feature (j mod features).
 *
 * All arguments are byte addresses in the heap or counts. Accumulators are float32 and summed
 * onto whatever they hold; the caller keeps chunks short (a few hundred blocks) and adds them into
 * float64 totals. The statistics loop sums deviations from a per-feature shift (the caller passes
 * the first row), so E[(a - shift)^2] - E[a - shift]^2 does not cancel catastrophically when the
 * mean is large against the spread (raw millimetres).
 */
export interface BatchNormLoops {
  /** y = a = x (none) or x * s (silu); with d = a - shift: accSum += d, accSq += d * d. */
  stats(silu: boolean, x: number, s: number, y: number, blocks: number, blockBytes: number, shift: number, accSum: number, accSq: number): void;
  /** y = y * scale + shift. */
  apply(y: number, blocks: number, blockBytes: number, scale: number, shift: number): void;
  /** y = a * scale + shift with a = x (none) or x * s (silu): evaluation mode in one pass. */
  evalApply(silu: boolean, x: number, s: number, y: number, blocks: number, blockBytes: number, scale: number, shift: number): void;
  /** x̂ = (a - mean) * invStd; accDy += dy, accDyXhat += dy * x̂. */
  gradSums(silu: boolean, x: number, s: number, dy: number, blocks: number, blockBytes: number, mean: number, invStd: number, accDy: number, accDyXhat: number): void;
  /** dx = coef (dy - meanDy - x̂ meanDyXhat), times s (1 + x (1 - s)) for silu. */
  gradDx(silu: boolean, x: number, s: number, dy: number, dx: number, blocks: number, blockBytes: number, mean: number, invStd: number, coef: number, meanDy: number, meanDyXhat: number): void;
}

/** Opens the block loop: `blocks` counted by local `b`, features by local `k` in bytes. */
function openLoops(body: Body, b: number, blocks: number, k: number): void {
  body.block().loop();
  body.localGet(b).localGet(blocks).i32GeU().brIf(1);
  body.i32Const(0).localSet(k);
  body.loop();
}

/** Advances the row pointers and `k` by one vector and closes both loops. */
function closeLoops(body: Body, pointers: readonly number[], b: number, k: number, blockBytes: number): void {
  for (const p of pointers) body.addTo(p, 16);
  body.addTo(k, 16);
  body.localGet(k).localGet(blockBytes).i32LtU().brIf(0);
  body.end();
  body.addTo(b, 1).br(0);
  body.end().end();
}

/** `acc[k] += (value on the stack)` with the address kept in local `addr`. */
function accumulate(body: Body, acc: number, k: number, addr: number, pushValue: () => void): void {
  body.localGet(acc).localGet(k).i32Add().localTee(addr);
  body.localGet(addr).v128Load();
  pushValue();
  body.f32x4Add().v128Store();
}

function statsFunction(silu: boolean): FunctionSpec {
  const [x, s, y, blocks, blockBytes, shift, accSum, accSq] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [b, k, a, addr] = [8, 9, 10, 11];
  const body = new Body();
  openLoops(body, b, blocks, k);
  body.load(x);
  if (silu) body.load(s).f32x4Mul();
  body.localSet(a);
  body.localGet(y).localGet(a).v128Store();
  body.localGet(a).loadAt(shift, k).f32x4Sub().localSet(a);
  accumulate(body, accSum, k, addr, () => body.localGet(a));
  accumulate(body, accSq, k, addr, () => body.localGet(a).localGet(a).f32x4Mul());
  closeLoops(body, silu ? [x, s, y] : [x, y], b, k, blockBytes);
  return { name: silu ? 'stats_silu' : 'stats_none', params: [I32, I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, V128, I32], body };
}

function applyFunction(): FunctionSpec {
  const [y, blocks, blockBytes, scale, shift] = [0, 1, 2, 3, 4];
  const [b, k] = [5, 6];
  const body = new Body();
  openLoops(body, b, blocks, k);
  body.localGet(y).load(y).loadAt(scale, k).f32x4Mul().loadAt(shift, k).f32x4Add().v128Store();
  closeLoops(body, [y], b, k, blockBytes);
  return { name: 'apply', params: [I32, I32, I32, I32, I32], locals: [I32, I32], body };
}

function evalApplyFunction(silu: boolean): FunctionSpec {
  const [x, s, y, blocks, blockBytes, scale, shift] = [0, 1, 2, 3, 4, 5, 6];
  const [b, k] = [7, 8];
  const body = new Body();
  openLoops(body, b, blocks, k);
  body.localGet(y).load(x);
  if (silu) body.load(s).f32x4Mul();
  body.loadAt(scale, k).f32x4Mul().loadAt(shift, k).f32x4Add().v128Store();
  closeLoops(body, silu ? [x, s, y] : [x, y], b, k, blockBytes);
  return { name: silu ? 'eval_apply_silu' : 'eval_apply_none', params: [I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32], body };
}

function gradSumsFunction(silu: boolean): FunctionSpec {
  const [x, s, dy, blocks, blockBytes, mean, invStd, accDy, accDyXhat] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [b, k, xhat, addr, g] = [9, 10, 11, 12, 13];
  const body = new Body();
  openLoops(body, b, blocks, k);
  body.load(x);
  if (silu) body.load(s).f32x4Mul();
  body.loadAt(mean, k).f32x4Sub().loadAt(invStd, k).f32x4Mul().localSet(xhat);
  body.load(dy).localSet(g);
  accumulate(body, accDy, k, addr, () => body.localGet(g));
  accumulate(body, accDyXhat, k, addr, () => body.localGet(g).localGet(xhat).f32x4Mul());
  closeLoops(body, silu ? [x, s, dy] : [x, dy], b, k, blockBytes);
  return { name: silu ? 'grad_sums_silu' : 'grad_sums_none', params: [I32, I32, I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, V128, I32, V128], body };
}

function gradDxFunction(silu: boolean): FunctionSpec {
  const [x, s, dy, dx, blocks, blockBytes, mean, invStd, coef, meanDy, meanDyXhat] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [b, k, xv, sv, one] = [11, 12, 13, 14, 15];
  const body = new Body();
  body.f32Const(1).f32x4Splat().localSet(one);
  openLoops(body, b, blocks, k);
  body.load(x).localSet(xv);
  if (silu) body.load(s).localSet(sv);
  body.localGet(dx);
  body.loadAt(coef, k);
  body.load(dy).loadAt(meanDy, k).f32x4Sub();
  body.localGet(xv);
  if (silu) body.localGet(sv).f32x4Mul();
  body.loadAt(mean, k).f32x4Sub().loadAt(invStd, k).f32x4Mul();
  body.loadAt(meanDyXhat, k).f32x4Mul().f32x4Sub();
  body.f32x4Mul();
  if (silu) {
    // act'(x) = s (1 + x (1 - s))
    body.localGet(sv).localGet(one).localGet(xv).localGet(one).localGet(sv).f32x4Sub().f32x4Mul().f32x4Add().f32x4Mul();
    body.f32x4Mul();
  }
  body.v128Store();
  closeLoops(body, silu ? [x, s, dy, dx] : [x, dy, dx], b, k, blockBytes);
  return { name: silu ? 'grad_dx_silu' : 'grad_dx_none', params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], locals: [I32, I32, V128, V128, V128], body };
}

const loopModule = new LoopModule<BatchNormLoops>(
  () => [
    statsFunction(false),
    statsFunction(true),
    applyFunction(),
    evalApplyFunction(false),
    evalApplyFunction(true),
    gradSumsFunction(false),
    gradSumsFunction(true),
    gradDxFunction(false),
    gradDxFunction(true),
  ],
  (fns) => ({
    stats: (silu, ...args) => (silu ? fns.stats_silu : fns.stats_none)(...args),
    apply: (...args) => fns.apply(...args),
    evalApply: (silu, ...args) => (silu ? fns.eval_apply_silu : fns.eval_apply_none)(...args),
    gradSums: (silu, ...args) => (silu ? fns.grad_sums_silu : fns.grad_sums_none)(...args),
    gradDx: (silu, ...args) => (silu ? fns.grad_dx_silu : fns.grad_dx_none)(...args),
  }),
);

/** The loops bound to `memory`, or null where wasm SIMD is unavailable. */
export function batchNormLoops(memory: WasmMemory): BatchNormLoops | null {
  return loopModule.bind(memory);
}

/** The module's bytes (for tests that check it validates). */
export function batchNormModuleBytes(): Uint8Array {
  return loopModule.bytes();
}

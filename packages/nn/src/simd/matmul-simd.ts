import { LoopModule } from './loop-module';
import type { WasmMemory } from './wasm-api';
import { Body, I32, V128, type FunctionSpec } from './wasm-encoder';

/**
 * The weight gradient of a dense layer, C[k, n] += sum_e A[e, k] B[e, n] (C = A^T B), for a long
 * edge axis e and a short output. XNNPACK runs this as a [k, E] x [E, n] product after an explicit
 * transpose and packs the whole [E, n] operand as "weights" on every call: 150 ms for
 * E = 60,000 and k = n = 64 here, against 40 ms for the forward product of the same size.
 *
 * The loop keeps one row of C over 32 columns (8 vectors) in registers and streams a chunk of
 * edges through it: per edge one splat of A[e, k] and 8 multiply-adds against B[e, n..n+32]. The
 * caller passes chunks of a few hundred edges, so the chunk of A and B it revisits for every row
 * stays in cache. n must be a multiple of 32.
 */
export interface MatMulLoops {
  weightGrad(a: number, b: number, c: number, edges: number, k: number, aStrideBytes: number, bStrideBytes: number, nBytes: number): void;
}

function weightGradFunction(): FunctionSpec {
  const [a, b, c, edges, k, aStride, bStride, nBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [i, j, e, ap, bp, cp, av] = [8, 9, 10, 11, 12, 13, 14];
  const acc = [15, 16, 17, 18, 19, 20, 21, 22];
  const body = new Body();
  body.i32Const(0).localSet(i);
  body.block().loop();
  body.localGet(i).localGet(k).i32GeU().brIf(1);
  body.i32Const(0).localSet(j);
  body.block().loop();
  body.localGet(j).localGet(nBytes).i32GeU().brIf(1);
  // cp = c + i * nBytes + j; the 8 accumulators start from C's current values.
  body.localGet(c).localGet(i).localGet(nBytes).i32Mul().i32Add().localGet(j).i32Add().localSet(cp);
  acc.forEach((reg, t) => body.localGet(cp).v128Load(16 * t).localSet(reg));
  // ap = a + 4 i (column i of A), bp = b + j.
  body.localGet(a).localGet(i).i32Const(4).i32Mul().i32Add().localSet(ap);
  body.localGet(b).localGet(j).i32Add().localSet(bp);
  body.i32Const(0).localSet(e);
  body.block().loop();
  body.localGet(e).localGet(edges).i32GeU().brIf(1);
  body.localGet(ap).f32Load().f32x4Splat().localSet(av);
  acc.forEach((reg, t) => body.localGet(reg).localGet(av).localGet(bp).v128Load(16 * t).f32x4Mul().f32x4Add().localSet(reg));
  body.localGet(ap).localGet(aStride).i32Add().localSet(ap);
  body.localGet(bp).localGet(bStride).i32Add().localSet(bp);
  body.addTo(e, 1).br(0);
  body.end().end();
  acc.forEach((reg, t) => body.localGet(cp).localGet(reg).v128Store(16 * t));
  body.addTo(j, 128).br(0);
  body.end().end();
  body.addTo(i, 1).br(0);
  body.end().end();
  return {
    name: 'weight_grad',
    params: [I32, I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, V128, V128],
    body,
  };
}

const loopModule = new LoopModule<MatMulLoops>(
  () => [weightGradFunction()],
  (fns) => ({ weightGrad: (...args) => fns.weight_grad(...args) }),
);

/** The loops bound to `memory`, or null where wasm SIMD is unavailable. */
export function matMulLoops(memory: WasmMemory): MatMulLoops | null {
  return loopModule.bind(memory);
}

/** The module's bytes (for tests that check it validates). */
export function matMulModuleBytes(): Uint8Array {
  return loopModule.bytes();
}

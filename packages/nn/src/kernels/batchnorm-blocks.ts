import type { WasmBackend } from '../simd/heap';
import { simdLoops } from './simd-loops';

/** Rows of one SIMD block: the fewest whose `features` floats fill whole 4-lane vectors. */
function blockRowsOf(features: number): number {
  return features % 4 === 0 ? 1 : features % 2 === 0 ? 2 : 4;
}

/** Blocks per call of a summing loop: its float32 accumulators are emptied into float64 after each. */
export const SUM_CHUNK_BLOCKS = 256;

/** Writes `values` (one per feature) repeated over a block of `length` floats at `T[at..]`. */
export function replicate(T: Float32Array, at: number, values: ArrayLike<number>, length: number): void {
  const features = values.length;
  for (let j = 0; j < length; j++) T[at + j] = values[j % features];
}

/**
 * How a [rows, features] BatchNorm kernel splits its work: `blocks` whole SIMD blocks of `g` rows
 * (`blockLen` floats each; 0 when the loops are off or the width is 0, which would still run each
 * loop body once), the rest of the rows in JS, and a heap scratch of `slots` x blockLen floats for
 * the replicated per-feature operands (null without blocks). Allocates, so call it before taking
 * any heap view.
 */
export function blockPlan(backend: WasmBackend, rows: number, features: number, slots: number) {
  const loops = simdLoops(backend);
  const g = blockRowsOf(features);
  const blockLen = g * features;
  const blocks = loops === null || features === 0 ? 0 : Math.floor(rows / g);
  const scratch = blocks > 0 ? backend.makeOutput([slots * blockLen], 'float32') : null;
  return { loops, g, blockLen, blocks, scratch };
}

import { InputError } from '@hypertrack/core';
import type { ClusterGraph } from './types';

/** An in-memory input has no file: the InputError's "file" is `graph` and its column the field. */
export function graphError(column: string, reason: string): InputError {
  return new InputError({ file: 'graph', column }, reason);
}

/**
 * The O(1) checks: array types, equal lengths, a valid hit count. The per-edge checks (indices in
 * range, probabilities in [0, 1]) run inside the clustering pass itself, which reports the first
 * offending edge through {@link edgeError}.
 */
export function checkGraphShape(graph: ClusterGraph): void {
  if (graph === null || typeof graph !== 'object') throw graphError('graph', `must be an object { numHits, src, dst, prob }, got ${String(graph)}`);
  const { numHits, src, dst, prob } = graph;
  if (typeof numHits !== 'number' || !Number.isInteger(numHits) || numHits < 0 || numHits > 0x7fffffff) {
    throw graphError('numHits', `must be an integer in 0..2^31-1, got ${String(numHits)}`);
  }
  if (!(src instanceof Int32Array)) throw graphError('src', `must be an Int32Array, got ${describe(src)}`);
  if (!(dst instanceof Int32Array)) throw graphError('dst', `must be an Int32Array, got ${describe(dst)}`);
  if (!(prob instanceof Float32Array)) throw graphError('prob', `must be a Float32Array, got ${describe(prob)}`);
  if (dst.length !== src.length) throw graphError('dst', `has ${dst.length} edges but src has ${src.length}`);
  if (prob.length !== src.length) throw graphError('prob', `has ${prob.length} edges but src has ${src.length}`);
}

/** Names the first bad edge: which field, which edge index, which value. */
export function edgeError(graph: ClusterGraph, edge: number): InputError {
  const n = graph.numHits;
  const s = graph.src[edge];
  const d = graph.dst[edge];
  if (!(s >= 0 && s < n)) return graphError('src', `edge ${edge} has src ${s}, outside the hit range [0, ${n})`);
  if (!(d >= 0 && d < n)) return graphError('dst', `edge ${edge} has dst ${d}, outside the hit range [0, ${n})`);
  return graphError('prob', `edge ${edge} has probability ${graph.prob[edge]}, outside [0, 1]`);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}

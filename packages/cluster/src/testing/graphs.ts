import type { ClusterGraph } from '../types';

/** A graph from `[src, dst, prob]` triples (test helper). */
export function graphOf(numHits: number, edges: ReadonlyArray<readonly [number, number, number]>): ClusterGraph {
  return {
    numHits,
    src: Int32Array.from(edges, (e) => e[0]),
    dst: Int32Array.from(edges, (e) => e[1]),
    prob: Float32Array.from(edges, (e) => e[2]),
  };
}

/** Clusters as sorted member lists, in label order, for readable expectations. */
export function groups(labels: Int32Array): number[][] {
  const out: number[][] = [];
  labels.forEach((l, i) => {
    if (l >= 0) (out[l] ??= []).push(i);
  });
  return out;
}

import { UnionFind } from '@hypertrack/core';
import type { WeightedEdges } from './mutual-reachability';

/**
 * The single-linkage hierarchy of a connected weighted graph, in scipy's linkage layout: merge k
 * (0..nodes-2) joins clusters `left[k]` and `right[k]` (ids < nodes are points, nodes + j is merge j)
 * at `distance[k]`, giving `size[k]` points. Kruskal's minimum spanning tree: edges by weight, ties
 * by endpoints, so the hierarchy does not depend on the edge order.
 */
export interface Linkage {
  readonly nodes: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly distance: Float64Array;
  readonly size: Int32Array;
}

export function singleLinkage(graph: WeightedEdges): Linkage {
  const { nodes, a, b, weight } = graph;
  const order = Array.from(weight, (_, e) => e).sort((x, y) => weight[x] - weight[y] || Math.min(a[x], b[x]) - Math.min(a[y], b[y]) || Math.max(a[x], b[x]) - Math.max(a[y], b[y]));
  const sets = new UnionFind(nodes);
  // The merge that currently represents each union-find root.
  const clusterOf = Int32Array.from({ length: nodes }, (_, i) => i);
  const sizeOf = new Int32Array(2 * nodes).fill(1);
  const merges = nodes - 1;
  const left = new Int32Array(merges);
  const right = new Int32Array(merges);
  const distance = new Float64Array(merges);
  const size = new Int32Array(merges);
  let k = 0;
  for (const e of order) {
    const ra = sets.find(a[e]);
    const rb = sets.find(b[e]);
    if (ra === rb) continue;
    const [ca, cb] = [clusterOf[ra], clusterOf[rb]];
    left[k] = Math.min(ca, cb);
    right[k] = Math.max(ca, cb);
    distance[k] = weight[e];
    size[k] = sizeOf[ca] + sizeOf[cb];
    sizeOf[nodes + k] = size[k];
    sets.union(ra, rb);
    clusterOf[sets.find(ra)] = nodes + k;
    k++;
  }
  if (k !== merges) throw new Error(`singleLinkage: the graph has ${merges - k + 1} components, expected one (the virtual hit joins them)`);
  return { nodes, left, right, distance, size };
}

import { truthEdges, type LocalEdges, type Node2Node } from './topology';

/**
 * The truth label of every edge of a graph under a node2node topology (reference 4.2, the GNN's
 * `edge_label`): 1 when the pair is a truth edge, else 0.
 * - hyper: both hits on the same track (noise never), self-loops of track hits included; O(E).
 * - eom, cricket: the pair is in the track's truth edge list; the graph must be sorted by
 *   (dst, src) (GraphBuilder's order), and both lists are merged in O(E + T).
 */
export function edgeLabels(
  mode: Node2Node,
  graph: LocalEdges,
  points: Float32Array,
  dim: number,
  membership: Int32Array,
  /** The truth edge list of eom/cricket when the caller already has it (e.g. for graph metrics). */
  truth?: LocalEdges,
): Uint8Array {
  const { src, dst } = graph;
  const labels = new Uint8Array(src.length);
  if (mode === 'hyper') {
    for (let e = 0; e < src.length; e++) {
      const t = membership[src[e]];
      labels[e] = t >= 0 && t === membership[dst[e]] ? 1 : 0;
    }
    return labels;
  }
  const sortedTruth = truth ?? truthEdges(mode, points, dim, membership);
  let k = 0;
  for (let e = 0; e < src.length; e++) {
    if (e > 0 && (dst[e] < dst[e - 1] || (dst[e] === dst[e - 1] && src[e] < src[e - 1]))) {
      throw new RangeError(`edgeLabels needs the graph sorted by (dst, src); edge ${e} is out of order`);
    }
    while (k < sortedTruth.src.length && (sortedTruth.dst[k] < dst[e] || (sortedTruth.dst[k] === dst[e] && sortedTruth.src[k] < src[e]))) k++;
    labels[e] = k < sortedTruth.src.length && sortedTruth.dst[k] === dst[e] && sortedTruth.src[k] === src[e] ? 1 : 0;
  }
  return labels;
}

import { weakComponents, type ComponentOptions } from '../components/components';
import type { ClusterAlgorithm, ClusterGraph, ClusterResult } from '../types';

/** Options of the cut clusterer: the threshold and minGraph of every algorithm, plus the numbering. */
export type CutOptions = ComponentOptions;

/**
 * `--cluster cut` (reference 3.8, steps 1-3 and 5): every weakly connected component of the kept
 * edges with at least `minGraph` hits is one cluster; all other hits get -1. Clusters are numbered
 * by their smallest hit index unless `numbering: 'size'` asks for the reference's order.
 */
export function clusterCut(graph: ClusterGraph, options: CutOptions = {}): ClusterResult {
  const t0 = performance.now();
  const { labels, count, keptEdges, labelledHits } = weakComponents(graph, options);
  const timeMs = performance.now() - t0;
  return {
    labels,
    stats: { clusters: count, clusteredHits: labelledHits, keptEdges, timeMs, componentsMs: timeMs },
  };
}

export const cutClusterer: ClusterAlgorithm<ClusterGraph, CutOptions> = {
  name: 'cut',
  description: 'threshold the edges, drop self-loops; each connected component with >= minGraph hits is a track',
  cluster: clusterCut,
};

import type { ClusterAlgorithm } from '@hypertrack/cluster';
import { clusterWithScorer, type TransformerClusterOptions, type TransformerClusterResult, type TransformerGraph } from './clusterize';
import type { STransformer } from './model';
import { transformerScorer } from './scorer';

/**
 * `--cluster transformer` for a given model: add it to the registry the caller passes on,
 * `selectClusterer(name, { ...clusterers, transformer: transformerClusterer(model) })`.
 */
export interface TransformerClusterer extends ClusterAlgorithm<TransformerGraph, TransformerClusterOptions> {
  cluster(graph: TransformerGraph, options?: TransformerClusterOptions): Promise<TransformerClusterResult>;
}

export function transformerClusterer(model: STransformer): TransformerClusterer {
  const score = transformerScorer(model);
  return {
    name: 'transformer',
    description: 'the Set-Transformer extracts one track at a time from each component of the kept edges (pivot search, reference 3.8)',
    cluster: (graph, options) => clusterWithScorer(graph, score, options),
  };
}

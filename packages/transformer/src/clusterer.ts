import type { ClusterAlgorithm } from '@hypertrack/cluster';
import { clusterWithScorer, type TransformerClusterOptions, type TransformerGraph } from './clusterize';
import type { STransformer } from './model';
import { transformerScorer } from './scorer';

/**
 * `--cluster transformer` for a given model: add it to the registry the caller passes on,
 * `selectClusterer(name, { ...clusterers, transformer: transformerClusterer(model) })`.
 */
export function transformerClusterer(model: STransformer): ClusterAlgorithm<TransformerGraph, TransformerClusterOptions> {
  const score = transformerScorer(model);
  return {
    name: 'transformer',
    description: 'the Set-Transformer extracts one track at a time from each component of the kept edges (pivot search, reference 3.8)',
    cluster: (graph, options) => clusterWithScorer(graph, score, options),
  };
}

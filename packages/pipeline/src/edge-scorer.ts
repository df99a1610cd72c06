import { networkInput, type EdgePredictor } from '@hypertrack/gnn';

/** A graph as the edge stage sees it: hit positions and candidate edges. */
export interface ScoringGraph {
  readonly numHits: number;
  /** x, y, z per hit (mm). */
  readonly points: Float32Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

/** The edge stage: one probability per candidate edge that both hits belong to one track. */
export interface EdgeScorer {
  /** One line for headers and run records, e.g. the checkpoint and its step. */
  readonly description: string;
  score(graph: ScoringGraph): Promise<Float32Array>;
  /** The same with the GNN's per-hit latents z [numHits, latentDim] (what the transformer reads); absent for scorers without latents. */
  scoreWithLatents?(graph: ScoringGraph): Promise<{ probabilities: Float32Array; latents: Float32Array; latentDim: number }>;
  dispose(): void;
}

/**
 * HyperTrack's GNN edge predictor as the edge stage (reference 3.4; the original's `--cluster none`
 * output). `memoryBudget` (bytes; default the backend's) bounds one event's forward pass: a larger
 * graph is refused before anything is allocated (gnn's GnnMemoryError).
 */
export function gnnEdgeScorer(model: EdgePredictor, description = 'GNN', options: { readonly memoryBudget?: number } = {}): EdgeScorer {
  return {
    description,
    async score(graph) {
      const input = networkInput(graph.points, model.config);
      const { probabilities } = await model.predict({ numNodes: graph.numHits, ...input, src: graph.src, dst: graph.dst }, options);
      return probabilities;
    },
    async scoreWithLatents(graph) {
      const input = networkInput(graph.points, model.config);
      const { probabilities, z } = await model.predict({ numNodes: graph.numHits, ...input, src: graph.src, dst: graph.dst }, options);
      return { probabilities, latents: z, latentDim: model.config.zDim };
    },
    dispose: () => model.dispose(),
  };
}

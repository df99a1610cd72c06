/**
 * The data every clustering algorithm exchanges: a scored edge graph in, one label per hit out.
 * Plain typed arrays and small objects, so callers need none of this package's classes.
 */

/**
 * A directed edge list over hits `0..numHits-1` with one probability per edge (the GNN output).
 * Edges are usually sorted by (dst, src), but no order is required; duplicates and self-loops are
 * allowed (self-loops are ignored).
 */
export interface ClusterGraph {
  /** Number of hits N. Hits without edges are part of the graph (they stay unclustered). */
  readonly numHits: number;
  /** Edge sources, length E, each in [0, numHits). */
  readonly src: Int32Array;
  /** Edge targets, length E, each in [0, numHits). */
  readonly dst: Int32Array;
  /** Edge probabilities, length E, each in [0, 1]. */
  readonly prob: Float32Array;
}

/** Options every algorithm understands; an algorithm may extend them. */
export interface ClusterOptions {
  /** Keep edges with `prob > threshold` (strictly, compared in float32). In [0, 1]; default 0.55. */
  readonly threshold?: number;
  /** Connected components with fewer hits stay unclustered. Integer >= 1; default 4. */
  readonly minGraph?: number;
}

/** Counters of one clustering run. Algorithms may return more fields (a subtype). */
export interface ClusterStats {
  /** Number of clusters K; labels run 0..K-1. */
  readonly clusters: number;
  /** Hits with a label >= 0. */
  readonly clusteredHits: number;
  /** Edges that passed the cut: `prob > threshold` and `src != dst` (duplicates counted each time). */
  readonly keptEdges: number;
  /** Wall time of the call, validation included. */
  readonly timeMs: number;
  /**
   * The part of timeMs spent finding connected components (the results row's time_CC; the rest is
   * its time_cluster). Absent means none: DBSCAN and HDBSCAN find no components.
   */
  readonly componentsMs?: number;
}

export interface ClusterResult {
  /** Length N: the cluster of each hit, dense 0..K-1, or -1 for an unclustered hit. */
  readonly labels: Int32Array;
  readonly stats: ClusterStats;
}

/**
 * A clustering strategy (`--cluster cut|dbscan|hdbscan|transformer`). Callers hold a
 * `ClusterAlgorithm` and `await` its result, so a synchronous algorithm (cut) and an asynchronous
 * one (the transformer, which runs a model) are used the same way. An algorithm that needs more
 * than the edge graph (the transformer needs hit latents and coordinates) declares an extended
 * input type `G`; one that needs a model is made by a factory that captures it.
 */
export interface ClusterAlgorithm<G extends ClusterGraph = ClusterGraph, O extends ClusterOptions = ClusterOptions> {
  /** The name used on the command line and as the registry key. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  cluster(graph: G, options?: O): ClusterResult | Promise<ClusterResult>;
}

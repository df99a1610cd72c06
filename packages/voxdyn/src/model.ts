import type { CMatrix } from './cmatrix/cmatrix';
import type { Node2Node } from './topology/topology';

/** What went into a model, kept for provenance and for the docs tables. */
export interface TrainingStats {
  /** Events whose tracks fed the C-matrix. */
  readonly events: number;
  /** Training tracks behind the C-matrix. */
  readonly tracks: number;
  /** Track points (noise excluded) seen by the C-matrix. */
  readonly points: number;
  /** Points k-means ran on. */
  readonly kmeansPoints: number;
  /** Lloyd iterations run. */
  readonly niter: number;
  /** Mean squared distance of the k-means points to their centroid after the last iteration. */
  readonly meanSquaredDistance: number;
  /** The seed of the run, as given. */
  readonly seed: number | string;
  /**
   * Ids of the training events as sorted, disjoint, inclusive ranges, when the trainer was told
   * them (absent in files written before this field existed). A GNN must not train or be scored
   * on these events: there the model's graph holds every true pair, unlike on new events.
   */
  readonly trainingEvents?: ReadonlyArray<readonly [first: number, last: number]>;
  /** Ids of the events k-means ran on, as ranges, when known (they may differ from the C-matrix's). */
  readonly kmeansEvents?: ReadonlyArray<readonly [first: number, last: number]>;
}

/** A trained Voxel-Dynamics model: the Voronoi cells and their connectivity. */
export interface VoxdynModel {
  readonly ncell: number;
  readonly dim: number;
  readonly node2node: Node2Node;
  /** `ncell * dim` cell centres. */
  readonly centroids: Float32Array;
  readonly cmatrix: CMatrix;
  readonly stats: TrainingStats;
}

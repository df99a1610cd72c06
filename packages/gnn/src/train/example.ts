import type { GraphInput } from '../graph';

/** One event as the trainer sees it: the model input plus the truth its losses need. */
export interface TrainingExample extends GraphInput {
  /** Per edge: 1 if it joins two hits of the same track under the chosen topology, else 0. */
  readonly labels: Uint8Array;
  /** Track index per hit, -1 for noise. */
  readonly hitTrack: Int32Array;
  /** Hit weights renormalised over the event (TrackML weights); uniform when absent. */
  readonly hitWeight?: Float32Array;
  /** [numNodes, 3] raw x, y, z in mm, whatever the hit features (the transformer's rows end with them). */
  readonly positions?: Float32Array;
}

import { ConfigError, type TrackMLEvent } from '@hypertrack/core';
import { hitFeatureDim, hitFeatures, type GnnConfig } from '@hypertrack/gnn';
import { hitPoints, particleIndexOfHits } from '@hypertrack/io-arrow';

/** The hits of an event as 3-D points (x, y, z in mm) and their track per hit (-1 noise). */
export function pointsOf(event: TrackMLEvent): { points: Float32Array; membership: Int32Array } {
  return { points: hitPoints(event.hits), membership: event.truth ? particleIndexOfHits(event) : new Int32Array(event.hits.x.length).fill(-1) };
}

/**
 * The GNN's input for hits at `points`: the model's hit features (tune-5's x, y, z when its
 * config names none), checked against the width its first layer was built for.
 */
export function networkInput(points: Float32Array, config: GnnConfig): { coords: Float32Array; coordDim: number } {
  const kind = config.hitFeatures ?? 'xyz';
  if (config.coordDim !== hitFeatureDim(kind)) {
    throw new ConfigError('model', `the GNN takes ${config.coordDim} values per hit, but TrackML hits give ${hitFeatureDim(kind)} (${kind}); set model.hitFeatures`);
  }
  return { coords: hitFeatures(points, kind), coordDim: config.coordDim };
}

import type { HitTable } from '@hypertrack/core';

/**
 * The hits as interleaved points (x, y, z per hit, mm): the input layout of detector-independent
 * stages such as the Voxel-Dynamics graph constructor.
 */
export function hitPoints(hits: Pick<HitTable, 'x' | 'y' | 'z'>): Float32Array {
  const { x, y, z } = hits;
  const points = new Float32Array(3 * x.length);
  for (let i = 0; i < x.length; i++) {
    points[3 * i] = x[i];
    points[3 * i + 1] = y[i];
    points[3 * i + 2] = z[i];
  }
  return points;
}

import { ConfigError } from '@hypertrack/core';
import { cutClusterer } from './cut/cut';
import { dbscanClusterer } from './dbscan/dbscan';
import { hdbscanClusterer } from './hdbscan/hdbscan';
import type { ClusterAlgorithm } from './types';

/**
 * The clustering algorithms this package provides, by `--cluster` name. The transformer lives in its own package (it needs tensors) and is added by the caller:
 * `selectClusterer(name, { ...clusterers, transformer: transformerClusterer(model) })`. There is no
 * global registration: whoever wires the pipeline decides which algorithms exist.
 */
export const clusterers: Readonly<Record<string, ClusterAlgorithm>> = Object.freeze({
  cut: cutClusterer,
  dbscan: dbscanClusterer as ClusterAlgorithm,
  hdbscan: hdbscanClusterer as ClusterAlgorithm,
});

/** The algorithm called `name`; a ConfigError naming the key `cluster` lists the choices otherwise. */
export function selectClusterer(name: string, available: Readonly<Record<string, ClusterAlgorithm>> = clusterers): ClusterAlgorithm {
  const algorithm = Object.hasOwn(available, name) ? available[name] : undefined;
  if (algorithm === undefined) {
    throw new ConfigError('cluster', `unknown algorithm ${JSON.stringify(name)} (available: ${Object.keys(available).join(', ')})`);
  }
  return algorithm;
}

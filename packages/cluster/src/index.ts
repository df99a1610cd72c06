export type { ClusterAlgorithm, ClusterGraph, ClusterOptions, ClusterResult, ClusterStats } from './types';
export { DEFAULT_EDGE_THRESHOLD, DEFAULT_MIN_GRAPH, resolveClusterOptions, type ResolvedClusterOptions } from './options';
export { weakComponents, type Components, type ComponentNumbering, type ComponentOptions } from './components/components';
export { membersOf, type Members } from './components/members';
/** Re-exported from @hypertrack/core, where it lives since voxdyn needs it too. */
export { UnionFind } from '@hypertrack/core';
export { clusterCut, cutClusterer, type CutOptions } from './cut/cut';
export { clusterDbscan, dbscanClusterer, DBSCAN_DEFAULTS, type DbscanOptions, type DbscanStats } from './dbscan/dbscan';
export { neighboursWithin, type Neighbours } from './dbscan/neighbours';
export { clusterHdbscan, hdbscanClusterer, HDBSCAN_DEFAULTS, type HdbscanOptions } from './hdbscan/hdbscan';
export { mutualReachability, type WeightedEdges } from './hdbscan/mutual-reachability';
export { singleLinkage, type Linkage } from './hdbscan/single-linkage';
export { condenseTree, stabilities, selectExcessOfMass, labelPoints, type CondensedTree } from './hdbscan/condensed-tree';
export { clusterers, selectClusterer } from './registry';

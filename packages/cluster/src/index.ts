export type { ClusterAlgorithm, ClusterGraph, ClusterOptions, ClusterResult, ClusterStats } from './types';
export { DEFAULT_EDGE_THRESHOLD, DEFAULT_MIN_GRAPH, resolveClusterOptions, type ResolvedClusterOptions } from './options';
export { weakComponents, type Components, type ComponentNumbering, type ComponentOptions } from './components/components';
export { membersOf, type Members } from './components/members';
export { UnionFind } from './components/union-find';
export { clusterCut, cutClusterer, type CutOptions } from './cut/cut';
export { clusterers, selectClusterer } from './registry';

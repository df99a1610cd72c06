export { type PointSet, type TrackGrouping, checkDim, pointCount, checkMembership, groupByTrack } from './points';
export { NearestCentroidIndex, type NearestCentroidIndexOptions, type AssignOptions } from './index/nearest-centroid-index';
export type { KdTreeArrays, ArrayAllocator } from './index/kd-tree';
export { kmeans, type KMeansOptions, type KMeansResult, type KMeansIteration } from './kmeans/kmeans';
export {
  NODE2NODE_MODES,
  checkNode2Node,
  hyperEdges,
  minimumSpanningTree,
  trackTopology,
  trackEdgeLists,
  truthEdges,
  type Node2Node,
  type LocalEdges,
  type TrackEdges,
} from './topology/topology';
export { UnionFind } from '@hypertrack/core';
export { edgeLabels } from './topology/edge-labels';
export { type CMatrix, checkCMatrix, transposeCMatrix, cmatrixDensity, cmatrixCount } from './cmatrix/cmatrix';
export { CMatrixAccumulator } from './cmatrix/accumulator';
export { GraphBuilder, buildGraph, DEFAULT_MAX_EDGES, EdgeBudgetError, type GraphOptions, type VoxdynGraph } from './graph/graph-builder';
export type { VoxdynModel, TrainingStats } from './model';
export { encodeModel, decodeModel, saveModel, loadModel, MODEL_MAGIC, MODEL_FORMAT_VERSION } from './io/model-file';
export { trainVoxdyn, voxdynCells, voxdynCounts, modelCells, type TrainingEvent, type TrainOptions, type VoxdynCells } from './train/train';
export { mergeVoxdynModels, addCMatrices, type NamedModel } from './train/merge';
export { idRanges, formatIdRanges, isIdRangeList, type IdRange } from './train/event-ids';

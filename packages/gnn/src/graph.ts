import * as tf from '@tensorflow/tfjs-core';
import { rowIndex } from '@hypertrack/nn';
import { PAIR_GEOMETRY_DIM, pairGeometry } from './pair-geometry';

/** A directed graph over `numNodes` hits: edge e runs from `src[e]` to `dst[e]` (self-loops allowed). */
export interface EdgeList {
  readonly numNodes: number;
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

/** The model's input for one event: hit coordinates [N, dim] row-major (mm) and the edge list. */
export interface GraphInput extends EdgeList {
  readonly coords: Float32Array;
  /** Coordinates per hit; 3 for (x, y, z). */
  readonly coordDim: number;
}

/** Device copies of a GraphInput, prepared once and reused by every layer (and every step). */
export interface GraphTensors {
  readonly numNodes: number;
  readonly numEdges: number;
  /** [N, coordDim] float32. */
  readonly x: tf.Tensor2D;
  /** [E, 1] int32 source and target rows, the index form gatherRows / segmentMean take. */
  readonly src: tf.Tensor2D;
  readonly dst: tf.Tensor2D;
  /** [E, 1] float32: the degree-difference edge attribute (reference 1.6). */
  readonly edgeAttr: tf.Tensor2D;
  /** [E, PAIR_GEOMETRY_DIM] float32 pair features (pair-geometry.ts), computed on first use. */
  pairGeometry(): tf.Tensor2D;
  dispose(): void;
}

/** Checks sizes and index ranges; the message names the field and the first offending edge. */
export function checkGraphInput(input: GraphInput): void {
  const { numNodes, src, dst, coords, coordDim } = input;
  if (!Number.isInteger(numNodes) || numNodes < 1) throw new RangeError(`numNodes must be a positive integer, got ${numNodes}`);
  if (!Number.isInteger(coordDim) || coordDim < 1) throw new RangeError(`coordDim must be a positive integer, got ${coordDim}`);
  if (coords.length !== numNodes * coordDim) {
    throw new RangeError(`coords has ${coords.length} values, expected numNodes x coordDim = ${numNodes * coordDim}`);
  }
  if (src.length !== dst.length) throw new RangeError(`src has ${src.length} edges but dst has ${dst.length}`);
  if (src.length === 0) throw new RangeError('the graph has no edges');
  for (const [name, index] of [['src', src], ['dst', dst]] as const) {
    for (let e = 0; e < index.length; e++) {
      const v = index[e];
      if (!(v >= 0 && v < numNodes)) throw new RangeError(`${name}[${e}] = ${v} is outside [0, ${numNodes})`);
    }
  }
  for (let i = 0; i < coords.length; i++) {
    if (!Number.isFinite(coords[i])) {
      throw new RangeError(`coords of hit ${Math.floor(i / coordDim)} (component ${i % coordDim}) is ${coords[i]}`);
    }
  }
}

/**
 * The edge attribute of reference 1.6: `a_e = (deg[src_e] - deg[dst_e]) / mean(deg)` with `deg[v]`
 * the number of edges leaving v (self-loops included). The mean runs over all N hits; the original
 * takes it over `max(src) + 1` entries, which differs only when the last hits have no edges.
 */
export function degreeDifference(edges: EdgeList): Float32Array {
  const { numNodes, src, dst } = edges;
  const degree = new Int32Array(numNodes);
  for (let e = 0; e < src.length; e++) degree[src[e]]++;
  const meanDegree = src.length / numNodes;
  const attr = new Float32Array(src.length);
  for (let e = 0; e < src.length; e++) attr[e] = (degree[src[e]] - degree[dst[e]]) / meanDegree;
  return attr;
}

/** Uploads one event's graph to the active tensor backend (validating it first). */
export function prepareGraph(input: GraphInput): GraphTensors {
  checkGraphInput(input);
  const numEdges = input.src.length;
  const x = tf.tensor2d(input.coords, [input.numNodes, input.coordDim]);
  const src = rowIndex(input.src);
  const dst = rowIndex(input.dst);
  const edgeAttr = tf.tensor2d(degreeDifference(input), [numEdges, 1]);
  let geometry: tf.Tensor2D | null = null;
  return {
    numNodes: input.numNodes,
    numEdges,
    x,
    src,
    dst,
    edgeAttr,
    pairGeometry: () => (geometry ??= tf.keep(tf.tensor2d(pairGeometry(input.coords, input.coordDim, input.src, input.dst), [numEdges, PAIR_GEOMETRY_DIM]))),
    dispose: () => tf.dispose([x, src, dst, edgeAttr, ...(geometry === null ? [] : [geometry])]),
  };
}

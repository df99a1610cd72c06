import { ConfigError, UnionFind } from '@hypertrack/core';
import { checkMembership, groupByTrack, pointCount } from '../points';

/** Ground-truth topology of a track (reference 1.7). */
export type Node2Node = 'hyper' | 'eom' | 'cricket';
export const NODE2NODE_MODES: readonly Node2Node[] = ['hyper', 'eom', 'cricket'];

export function checkNode2Node(mode: string, key = 'node2node'): Node2Node {
  if (!(NODE2NODE_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(key, `must be one of ${NODE2NODE_MODES.join(', ')}, got '${mode}'`);
  }
  return mode as Node2Node;
}

/** Directed edges between the hits of one track, as local indices into the track's hit list. */
export interface LocalEdges {
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

/** Every ordered pair (a, b) of the track's m hits, self-pairs included: m^2 edges. */
export function hyperEdges(m: number): LocalEdges {
  const src = new Int32Array(m * m);
  const dst = new Int32Array(m * m);
  for (let a = 0, e = 0; a < m; a++) {
    for (let b = 0; b < m; b++, e++) {
      src[e] = a;
      dst[e] = b;
    }
  }
  return { src, dst };
}

/**
 * Minimum spanning tree of the complete graph on the track's hits, weighted by Euclidean
 * distance (Kruskal with union-find). Returned as undirected pairs (u, v) with u < v, sorted
 * lexicographically by (u, v), which is the order the cricket double hops need. Equal distances
 * are ordered by (u, v) so the tree is deterministic; squared distances are compared, which
 * orders pairs exactly as the distances do.
 */
export function minimumSpanningTree(points: Float32Array, dim: number, hits: Int32Array): LocalEdges {
  const m = hits.length;
  const numPairs = (m * (m - 1)) / 2;
  const pu = new Int32Array(numPairs);
  const pv = new Int32Array(numPairs);
  const w = new Float64Array(numPairs);
  for (let u = 0, e = 0; u < m; u++) {
    const bu = hits[u] * dim;
    for (let v = u + 1; v < m; v++, e++) {
      const bv = hits[v] * dim;
      let dd = 0;
      for (let c = 0; c < dim; c++) {
        const t = points[bu + c] - points[bv + c];
        dd += t * t;
      }
      pu[e] = u;
      pv[e] = v;
      w[e] = dd;
    }
  }
  // Pairs were generated in (u, v) order, so a stable sort by weight breaks ties by (u, v).
  const order = Array.from({ length: numPairs }, (_, e) => e).sort((a, b) => w[a] - w[b] || a - b);
  const uf = new UnionFind(m);
  const tree: number[] = [];
  for (const e of order) {
    if (uf.union(pu[e], pv[e])) {
      tree.push(e);
      if (tree.length === m - 1) break;
    }
  }
  tree.sort((a, b) => a - b);
  return { src: Int32Array.from(tree, (e) => pu[e]), dst: Int32Array.from(tree, (e) => pv[e]) };
}

/**
 * The edges of one track under a topology, as local indices, unique, sorted by (dst, src).
 * - hyper: all m^2 ordered pairs.
 * - eom: every MST edge in both directions plus a self-loop on every hit.
 * - cricket: eom plus, for consecutive entries k, k+1 of the (u, v)-sorted MST list, the edge
 *   between u_k and v_{k+1} in both directions (the reference's "double hop", taken literally).
 */
export function trackTopology(mode: Node2Node, points: Float32Array, dim: number, hits: Int32Array): LocalEdges {
  const m = hits.length;
  if (mode === 'hyper') return sortLocal(hyperEdges(m), m);
  const mst = minimumSpanningTree(points, dim, hits);
  const keys: number[] = [];
  for (let a = 0; a < m; a++) keys.push(a * m + a);
  const both = (a: number, b: number): void => {
    keys.push(b * m + a, a * m + b);
  };
  for (let e = 0; e < mst.src.length; e++) both(mst.src[e], mst.dst[e]);
  if (mode === 'cricket') for (let e = 0; e + 1 < mst.src.length; e++) both(mst.src[e], mst.dst[e + 1]);
  return fromKeys(keys, m);
}

/** Keys are dst * m + src, so sorting them sorts by (dst, src); duplicates are dropped. */
function fromKeys(keys: number[], m: number): LocalEdges {
  keys.sort((a, b) => a - b);
  const unique = keys.filter((k, i) => i === 0 || k !== keys[i - 1]);
  return { src: Int32Array.from(unique, (k) => k % m), dst: Int32Array.from(unique, (k) => Math.floor(k / m)) };
}

function sortLocal(edges: LocalEdges, m: number): LocalEdges {
  const keys: number[] = [];
  for (let e = 0; e < edges.src.length; e++) keys.push(edges.dst[e] * m + edges.src[e]);
  return fromKeys(keys, m);
}

/** One track's truth edges in global point indices. */
export interface TrackEdges {
  readonly track: number;
  /** Point indices of the track, ascending. */
  readonly hits: Int32Array;
  readonly src: Int32Array;
  readonly dst: Int32Array;
}

/**
 * Truth edges track by track, so callers stream over an event without ever holding all pairs
 * (let alone an N x N matrix). Noise points (membership -1) get no edges; empty track ids are skipped.
 */
export function* trackEdgeLists(mode: Node2Node, points: Float32Array, dim: number, membership: Int32Array): Generator<TrackEdges> {
  checkNode2Node(mode);
  const n = pointCount(points, dim);
  checkMembership(membership, n);
  const { numTracks, start, hits: grouped } = groupByTrack(membership);
  for (let t = 0; t < numTracks; t++) {
    if (start[t + 1] === start[t]) continue;
    const hits = grouped.subarray(start[t], start[t + 1]);
    const local = trackTopology(mode, points, dim, hits);
    yield { track: t, hits, src: local.src.map((a) => hits[a]), dst: local.dst.map((b) => hits[b]) };
  }
}

/**
 * The whole event's truth edge list sorted by (dst, src), e.g. to score a graph against eom or
 * cricket truth. Its size is the sum over tracks, never N^2.
 */
export function truthEdges(mode: Node2Node, points: Float32Array, dim: number, membership: Int32Array): LocalEdges {
  const parts: TrackEdges[] = [...trackEdgeLists(mode, points, dim, membership)];
  let total = 0;
  for (const p of parts) total += p.src.length;
  const n = membership.length;
  const keys = new Float64Array(total);
  let k = 0;
  for (const p of parts) for (let e = 0; e < p.src.length; e++) keys[k++] = p.dst[e] * n + p.src[e];
  keys.sort();
  const src = new Int32Array(total);
  const dst = new Int32Array(total);
  for (let e = 0; e < total; e++) {
    const d = Math.floor(keys[e] / n);
    dst[e] = d;
    src[e] = keys[e] - d * n;
  }
  return { src, dst };
}

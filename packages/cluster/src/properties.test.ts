import { Rng } from '@hypertrack/core';
import { weakComponents } from './components/components';
import { membersOf } from './components/members';
import { clusterCut } from './cut/cut';
import type { ClusterGraph } from './types';

/** Seeded random graph: track-like chains plus random edges, self-loops, duplicates and probabilities on the threshold. */
function randomGraph(rng: Rng, numHits: number, numEdges: number): ClusterGraph {
  const src = new Int32Array(numEdges);
  const dst = new Int32Array(numEdges);
  const prob = new Float32Array(numEdges);
  const levels = [0, 0.25, 0.55, 0.7, 1];
  for (let e = 0; e < numEdges; e++) {
    const s = rng.int(numHits);
    const kind = rng.uniform();
    src[e] = s;
    if (kind < 0.05) dst[e] = s; // self-loop
    else if (kind < 0.5) dst[e] = Math.min(numHits - 1, s + 1 + rng.int(3)); // local, chain-like
    else dst[e] = rng.int(numHits);
    prob[e] = rng.uniform() < 0.2 ? levels[rng.int(levels.length)] : rng.uniform();
  }
  return { numHits, src, dst, prob };
}

/** The obvious algorithm: adjacency lists, BFS from each unvisited hit in ascending order. */
function bfsLabels(graph: ClusterGraph, threshold: number, minGraph: number): Int32Array {
  const n = graph.numHits;
  const adjacency: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < graph.src.length; e++) {
    const s = graph.src[e];
    const d = graph.dst[e];
    if (graph.prob[e] > Math.fround(threshold) && s !== d) {
      adjacency[s].push(d);
      adjacency[d].push(s);
    }
  }
  const labels = new Int32Array(n).fill(-1);
  const seen = new Uint8Array(n);
  let next = 0;
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
    const component = [start];
    seen[start] = 1;
    for (let k = 0; k < component.length; k++) {
      for (const v of adjacency[component[k]]) {
        if (!seen[v]) {
          seen[v] = 1;
          component.push(v);
        }
      }
    }
    if (component.length >= minGraph) {
      for (const v of component) labels[v] = next;
      next++;
    }
  }
  return labels;
}

function permuted(graph: ClusterGraph, order: Int32Array, swap: boolean): ClusterGraph {
  return {
    numHits: graph.numHits,
    src: Int32Array.from(order, (e) => (swap ? graph.dst[e] : graph.src[e])),
    dst: Int32Array.from(order, (e) => (swap ? graph.src[e] : graph.dst[e])),
    prob: Float32Array.from(order, (e) => graph.prob[e]),
  };
}

const root = Rng.fromSeed('cluster-properties');
const cases = Array.from({ length: 60 }, (_, i) => {
  const rng = root.split(i);
  const numHits = 1 + rng.int(400);
  const numEdges = rng.int(Math.round(numHits * (0.2 + 3 * rng.uniform())));
  const threshold = [0, 0.25, 0.55, 0.7, 0.9, 1][rng.int(6)];
  const minGraph = 1 + rng.int(6);
  return { i, rng, graph: randomGraph(rng, numHits, numEdges), threshold, minGraph };
});

describe('cut clustering on seeded random graphs', () => {
  it.each(cases)('case $i: equals BFS components, numbered by smallest hit', ({ graph, threshold, minGraph }) => {
    const { labels, stats } = clusterCut(graph, { threshold, minGraph });
    expect(labels).toEqual(bfsLabels(graph, threshold, minGraph));
    let kept = 0;
    for (let e = 0; e < graph.src.length; e++) if (graph.prob[e] > Math.fround(threshold) && graph.src[e] !== graph.dst[e]) kept++;
    expect(stats.keptEdges).toBe(kept);
    expect(stats.clusteredHits).toBe(labels.filter((l) => l >= 0).length);
    expect(stats.clusters).toBe(Math.max(-1, ...labels) + 1);
  });

  it.each(cases.slice(0, 20))('case $i: labels do not depend on edge order or direction', ({ rng, graph, threshold, minGraph }) => {
    const reference = clusterCut(graph, { threshold, minGraph }).labels;
    for (const swap of [false, true]) {
      expect(clusterCut(permuted(graph, rng.permutation(graph.src.length), swap), { threshold, minGraph }).labels).toEqual(reference);
    }
    const bySize = weakComponents(permuted(graph, rng.permutation(graph.src.length), false), { threshold, minGraph, numbering: 'size' });
    expect(bySize).toEqual(weakComponents(graph, { threshold, minGraph, numbering: 'size' }));
  });

  it.each(cases.slice(0, 20))('case $i: size numbering is the reference order (size ascending, then smallest hit)', ({ graph, threshold, minGraph }) => {
    const first = weakComponents(graph, { threshold, minGraph });
    const bySize = weakComponents(graph, { threshold, minGraph, numbering: 'size' });
    const byFirstMembers = membersOf(first.labels, first.count);
    const expectedOrder = Array.from({ length: first.count }, (_, c) => c).sort((a, b) => first.sizes[a] - first.sizes[b] || a - b);
    const expected = new Int32Array(first.labels.length).fill(-1);
    expectedOrder.forEach((c, rank) => {
      for (let k = byFirstMembers.offsets[c]; k < byFirstMembers.offsets[c + 1]; k++) expected[byFirstMembers.hits[k]] = rank;
    });
    expect(bySize.labels).toEqual(expected);
    expect(Array.from(bySize.sizes)).toEqual(expectedOrder.map((c) => first.sizes[c]));
    for (let c = 1; c < bySize.count; c++) expect(bySize.sizes[c]).toBeGreaterThanOrEqual(bySize.sizes[c - 1]);
  });
});

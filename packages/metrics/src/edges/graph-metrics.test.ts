import { Rng } from '@hypertrack/core';
import { edgeSetMetrics, graphMetrics } from './graph-metrics';

// Five hits: track 0 = {0, 1, 2}, track 1 = {3}, hit 4 noise.
// hyper truth with the diagonal: 3^2 + 1^2 = 10 true ordered pairs out of 25, 15 false.
// Edges: 0->1, 1->0, 0->0, 3->3 are true (4); 2->3, 4->4 (noise self-loop), 0->4 false (3).
// TPR 4/10, FPR 3/15, purity 4/7, accuracy (4 + 12)/25, 7/5 edges per hit.
// Without the diagonal: 6 true pairs out of 20; edges 0->1, 1->0 true, 2->3, 0->4 false:
// TPR 2/6, FPR 2/14.
const truth = Int32Array.from([0, 0, 0, 1, -1]);
const edges = { src: Int32Array.from([0, 1, 0, 2, 3, 4, 0]), dst: Int32Array.from([1, 0, 0, 3, 3, 4, 4]) };

describe('graphMetrics (hyper truth, negatives counted analytically)', () => {
  it('counts the diagonal by default', () => {
    const m = graphMetrics(edges, truth);
    expect([m.pairs, m.positives, m.negatives, m.numEdges]).toEqual([25, 10, 15, 7]);
    expect([m.tp, m.fp, m.tn, m.fn]).toEqual([4, 3, 12, 6]);
    expect([m.tpr, m.fpr, m.purity, m.accuracy, m.edgesPerHit]).toEqual([0.4, 0.2, 4 / 7, 0.64, 1.4]);
    expect([m.edgesOverTrue, m.edgeDensity, m.trueDensity]).toEqual([0.7, 7 / 25, 0.4]);
  });

  it('ignores self-loops and the diagonal with selfLoops: false', () => {
    const m = graphMetrics(edges, truth, { selfLoops: false });
    expect([m.pairs, m.positives, m.numEdges, m.tp, m.fp, m.tn, m.fn]).toEqual([20, 6, 4, 2, 2, 12, 4]);
    expect(m.tpr).toBe(2 / 6);
    expect(m.fpr).toBe(2 / 14);
  });

  it('agrees with a dense N x N evaluation on random graphs', () => {
    const rng = Rng.fromSeed(9);
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + rng.int(40);
      const labels = Int32Array.from({ length: n }, () => rng.int(6) - 1);
      const density = rng.uniform();
      const src: number[] = [];
      const dst: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (rng.uniform() < density) {
            src.push(i);
            dst.push(j);
          }
        }
      }
      for (const selfLoops of [true, false]) {
        let tp = 0, fp = 0, tn = 0, fn = 0;
        const has = new Set(src.map((s, e) => s * n + dst[e]));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            if (i === j && !selfLoops) continue;
            const truePair = labels[i] >= 0 && labels[i] === labels[j];
            const edge = has.has(i * n + j);
            if (truePair && edge) tp++;
            else if (edge) fp++;
            else if (truePair) fn++;
            else tn++;
          }
        }
        const m = graphMetrics({ src: Int32Array.from(src), dst: Int32Array.from(dst) }, labels, { selfLoops });
        expect([m.tp, m.fp, m.tn, m.fn]).toEqual([tp, fp, tn, fn]);
        // The same truth as an explicit edge list gives the same counts.
        const ts: number[] = [];
        const td: number[] = [];
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            if (labels[i] >= 0 && labels[i] === labels[j]) {
              ts.push(i);
              td.push(j);
            }
          }
        }
        const e = edgeSetMetrics({ src: Int32Array.from(src), dst: Int32Array.from(dst) }, { src: Int32Array.from(ts), dst: Int32Array.from(td) }, n, { selfLoops });
        expect([e.tp, e.fp, e.tn, e.fn]).toEqual([tp, fp, tn, fn]);
      }
    }
  });

  it('rejects endpoints out of range and duplicate edges', () => {
    expect(() => graphMetrics({ src: Int32Array.from([0]), dst: Int32Array.from([5]) }, truth)).toThrow("edges: column 'src/dst': edge 0 (0 -> 5) has an endpoint outside 0..4");
    const dup = { src: Int32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), dst: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]) };
    expect(() => graphMetrics(dup, truth)).toThrow("edges: column 'src/dst': 11 edges cannot be unique pairs of 5 hits with 10 true pairs; remove duplicate edges");
    expect(() => edgeSetMetrics({ src: Int32Array.from([2, 2]), dst: Int32Array.from([3, 3]) }, edges, 5)).toThrow("edges: column 'src/dst': edge 2 -> 3 appears more than once");
  });
});

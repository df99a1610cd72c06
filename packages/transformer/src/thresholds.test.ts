import { Rng } from '@hypertrack/core';
import { TUNE5_PIVOT_SEARCH, bestPivotPath, chooseHits, fisherThreshold, monteCarloPivotPath, type LocalGraph, type PivotSearchConfig } from './index';

const config = (over: Partial<PivotSearchConfig>): PivotSearchConfig => ({ ...TUNE5_PIVOT_SEARCH, ...over });

describe('the threshold rules of a micrograph (reference 3.8 step 4g)', () => {
  it("'fixed' keeps the hits above the acceptance threshold", () => {
    expect(chooseHits(Float32Array.of(0.2, 0.6, 0.5, 0.9), config({ thresholdAlgo: 'fixed', acceptThreshold: 0.5 }))).toEqual([1, 3]);
  });

  it("'fisher' splits at the threshold with the least within-class variance (worked by hand)", () => {
    // t = 0.5: {0.3} and {0.9, 0.62, 0.55}: (1 * 0 + 3 * 0.022867) / 4 = 0.017150;
    // t = 0.6: {0.55, 0.3} and {0.9, 0.62}: (2 * 0.015625 + 2 * 0.0196) / 4 = 0.017613. 0.5 wins.
    expect(fisherThreshold([0.9, 0.62, 0.55, 0.3], [0.5, 0.6])).toBe(0.5);
    const p = Float32Array.of(0.55, 0.9, 0.3, 0.62);
    expect(chooseHits(p, config({ thresholdAlgo: 'fisher', fisherThresholds: [0.5, 0.6] }))).toEqual([0, 1, 3]);
    // Only the top ktopMax compete: of 0.9 and 0.62 no split at 0.5 or 0.6 leaves both classes, so 0.5 stands.
    expect(fisherThreshold([0.9, 0.62], [0.5, 0.6])).toBe(0.5);
    expect(chooseHits(p, config({ thresholdAlgo: 'fisher', fisherThresholds: [0.5, 0.6], ktopMax: 2 }))).toEqual([1, 3]);
    // The reference's empty list (quirk 6) falls back to 0.5 instead of failing.
    expect(chooseHits(p, config({ thresholdAlgo: 'fisher', fisherThresholds: [] }))).toEqual([0, 1, 3]);
  });

  it("'soft' keeps p sigmoid((p - thr) / tau) > thr, which drops the hits just above thr", () => {
    // 0.5005 sigmoid(0.5) = 0.312; 0.51 sigmoid(10) = 0.50998; 0.9: 0.9.
    const p = Float32Array.of(0.5005, 0.51, 0.9, 0.2);
    expect(chooseHits(p, config({ thresholdAlgo: 'soft', softThreshold: 0.5, tau: 0.001 }))).toEqual([1, 2]);
    expect(chooseHits(p, config({ thresholdAlgo: 'fixed', acceptThreshold: 0.5 }))).toEqual([0, 1, 2]);
  });
});

/** A component's local graph from directed edges [u, v, p]. */
function localGraph(n: number, edges: Array<[number, number, number]>): LocalGraph {
  const sorted = [...edges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const start = new Int32Array(n + 1);
  for (const [u] of sorted) start[u + 1]++;
  for (let u = 0; u < n; u++) start[u + 1] += start[u];
  return {
    hits: Int32Array.from({ length: n }, (_, u) => u),
    start,
    target: Int32Array.from(sorted, (e) => e[1]),
    prob: Float32Array.from(sorted, (e) => e[2]),
    active: new Uint8Array(n).fill(1),
  };
}

describe('the Monte-Carlo pivot walks (random_paths > 1)', () => {
  // Greedy from 0 takes 0 -> 1 (0.95) and then 1 -> 2 (0.5): log-odds 2.89 + 0.0; the best
  // three-pivot walk is 0 -> 3 (0.9) -> 4 (0.99): 2.19 + 4.52 (the sum a walk maximises).
  const both = (u: number, v: number, p: number): Array<[number, number, number]> => [[u, v, p], [v, u, p]];
  const graph = () => localGraph(5, [...both(0, 1, 0.95), ...both(1, 2, 0.5), ...both(0, 3, 0.9), ...both(3, 4, 0.99), ...both(2, 4, 0.3)]);
  const logOdds = (p: number) => Math.log(p / (1 - p + 1e-3));
  const search = config({ pivots: 3, diffuseThreshold: 0.4, randomPaths: 64 });

  it('finds the walk of the largest summed log-odds, which greedy misses', () => {
    const greedy = bestPivotPath(graph(), [0], search);
    expect(greedy.nodes).toEqual([0, 1, 2]);
    const sampled = monteCarloPivotPath(graph(), search, Rng.fromSeed(3));
    expect(sampled.logOdds).toBeCloseTo(logOdds(0.9) + logOdds(0.99), 5);
    expect([[0, 3, 4], [4, 3, 0]].map(String)).toContain(String(sampled.nodes.length === 3 ? sampled.nodes : []));
  });

  it('steps only along active edges above the diffuse threshold, and is reproducible from its seed', () => {
    const g = graph();
    g.active[3] = 0;
    for (let seed = 0; seed < 20; seed++) {
      const path = monteCarloPivotPath(g, { ...search, randomPaths: 3 }, Rng.fromSeed(seed));
      expect(path.nodes).not.toContain(3);
      for (let k = 1; k < path.nodes.length; k++) {
        const [u, v] = [path.nodes[k - 1], path.nodes[k]];
        const at = Array.from(g.target.subarray(g.start[u], g.start[u + 1])).indexOf(v) + g.start[u];
        expect(g.target[at]).toBe(v);
        expect(g.prob[at]).toBeGreaterThan(0.4);
      }
      expect(monteCarloPivotPath(g, { ...search, randomPaths: 3 }, Rng.fromSeed(seed))).toEqual(path);
    }
  });
});

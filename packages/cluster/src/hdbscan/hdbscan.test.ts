import { ConfigError } from '@hypertrack/core';
import { graphOf, groups } from '../testing/graphs';
import { condenseTree, selectExcessOfMass, stabilities } from './condensed-tree';
import { clusterHdbscan } from './hdbscan';
import { mutualReachability } from './mutual-reachability';
import { singleLinkage } from './single-linkage';

/** Every ordered pair of `hits` at probability p. */
function complete(hits: number[], p: number): Array<[number, number, number]> {
  return hits.flatMap((i) => hits.filter((j) => j !== i).map((j): [number, number, number] => [i, j, p]));
}

describe('clusterHdbscan', () => {
  // Worked by hand (min_samples 2, min_cluster_size 4, the virtual hit 11 at distance 1 from all):
  // groups A = 0-4 and B = 5-9 at d = 0.05 inside, a bridge 4 -> 5 at d = 0.4, and hit 10 with one
  // edge at d = 0.44 (its core distance is 1: its second-smallest entry is the virtual hit).
  const twoGroups = graphOf(11, [...complete([0, 1, 2, 3, 4], 0.95), ...complete([5, 6, 7, 8, 9], 0.95), [4, 5, 0.6], [10, 0, 0.56]]);

  it('builds the mutual reachability, hierarchy and condensed tree worked by hand', () => {
    const reach = mutualReachability(twoGroups, 0.55, 2, 1);
    const weightOf = (i: number, j: number) => reach.weight[Array.from(reach.a).findIndex((a, e) => (a === Math.min(i, j) && reach.b[e] === Math.max(i, j)))];
    expect(weightOf(0, 1)).toBeCloseTo(0.05, 6); // max(core 0.05, core 0.05, d 0.05)
    expect(weightOf(4, 5)).toBeCloseTo(0.4, 6);
    expect(weightOf(0, 10)).toBe(1); // max(core 0.05, core 1 of hit 10, d 0.44)
    expect(weightOf(3, 11)).toBe(1);
    const linkage = singleLinkage(reach);
    expect(Array.from(linkage.distance.slice(-3), (d) => Number(d.toFixed(5)))).toEqual([0.4, 1, 1]);
    expect(Array.from(linkage.size.slice(-3))).toEqual([10, 11, 12]);
    const tree = condenseTree(linkage, 4);
    // Root 12: the virtual hit and hit 10 fall out at lambda 1; A and B split off at lambda 2.5
    // (clusters 13 and 14); their points fall out at lambda 20.
    // Probabilities are float32 (0.95 is 0.94999999): lambdas are compared to 4 digits.
    const rows = Array.from(tree.parent, (p, r) => [p, tree.child[r], Number(tree.lambda[r].toFixed(4)), tree.childSize[r]]);
    expect(rows.filter((r) => r[0] === 12).sort((x, y) => x[1] - y[1])).toEqual([
      [12, 10, 1, 1],
      [12, 11, 1, 1],
      [12, 13, 2.5, 5],
      [12, 14, 2.5, 5],
    ]);
    expect(rows.filter((r) => r[0] === 13).map((r) => r[1]).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4]);
    expect(rows.filter((r) => r[0] === 13).every((r) => r[2] === 20)).toBe(true);
    // Stability: root 1 + 1 + 2 x 2.5 x 5 = 27; A and B 5 x (20 - 2.5) = 87.5.
    expect(Array.from(stabilities(tree), (s) => Number(s.toFixed(3)))).toEqual([27, 87.5, 87.5]);
    expect(selectExcessOfMass(tree)).toEqual([1, 2]);
  });

  it('labels the two groups and leaves the lone hit as noise', () => {
    const { labels, stats } = clusterHdbscan(twoGroups);
    expect(Array.from(labels)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1]);
    expect(stats).toMatchObject({ clusters: 2, clusteredHits: 10, keptEdges: 42 });
  });

  it('keeps a parent when it is more stable than its children (excess of mass)', () => {
    // G1 = S1 (0-3) and S2 (4-7), each at d = 0.05 inside and joined at d = 0.055; G2 = 8-12.
    // S1 and S2 would be born at lambda 1/0.055 and die at 20 (stability 4 x 1.8 each); G1 lives
    // from 1/0.4 to 1/0.055 with 8 points (about 125): EOM keeps G1 whole.
    const nested = graphOf(13, [...complete([0, 1, 2, 3], 0.95), ...complete([4, 5, 6, 7], 0.95), [3, 4, 0.945], [4, 3, 0.945], [2, 5, 0.945], [5, 2, 0.945], ...complete([8, 9, 10, 11, 12], 0.95), [7, 8, 0.6]]);
    expect(groups(clusterHdbscan(nested).labels)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12]]);
  });

  it('never selects the root: a single dense group is noise (allow_single_cluster=False)', () => {
    const one = graphOf(7, complete([0, 1, 2, 3, 4, 5], 0.95));
    const { labels, stats } = clusterHdbscan(one);
    expect(Array.from(labels)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
    expect(stats.clusters).toBe(0);
  });

  it('gives the same labels for any edge order, and rejects bad options', () => {
    const order = Array.from(twoGroups.src, (_, e) => e).reverse();
    const shuffled = { numHits: 11, src: Int32Array.from(order, (e) => twoGroups.src[e]), dst: Int32Array.from(order, (e) => twoGroups.dst[e]), prob: Float32Array.from(order, (e) => twoGroups.prob[e]) };
    expect(Array.from(clusterHdbscan(shuffled).labels)).toEqual(Array.from(clusterHdbscan(twoGroups).labels));
    expect(() => clusterHdbscan(twoGroups, { minClusterSize: 1 })).toThrow(new ConfigError('minClusterSize', 'must be at least 2, got 1'));
    expect(() => clusterHdbscan(twoGroups, { maxDist: 0 })).toThrow(new ConfigError('maxDist', 'must be a number > 0, got 0'));
  });
});

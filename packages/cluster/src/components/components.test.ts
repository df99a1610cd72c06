import { graphOf, groups } from '../testing/graphs';
import { weakComponents } from './components';

describe('weakComponents', () => {
  it('joins chains regardless of edge direction (weak connectivity)', () => {
    // 0 -> 1 -> 2 -> 3 and 7 <- 6 <- 5 -> 4 (mixed directions); 8 isolated.
    const g = graphOf(9, [
      [0, 1, 0.9],
      [1, 2, 0.9],
      [3, 2, 0.9],
      [6, 7, 0.9],
      [5, 6, 0.9],
      [5, 4, 0.9],
    ]);
    const c = weakComponents(g);
    expect(groups(c.labels)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(c.labels[8]).toBe(-1);
    expect(c.count).toBe(2);
    expect(Array.from(c.sizes)).toEqual([4, 4]);
    expect(c.keptEdges).toBe(6);
    expect(c.labelledHits).toBe(8);
  });

  it('ignores self-loops: a triangle with a self-loop is a triangle, a lone self-loop joins nothing', () => {
    const g = graphOf(5, [
      [0, 1, 0.9],
      [1, 2, 0.9],
      [2, 0, 0.9],
      [1, 1, 0.99],
      [4, 4, 0.99],
    ]);
    const c = weakComponents(g, { minGraph: 3 });
    expect(groups(c.labels)).toEqual([[0, 1, 2]]);
    expect(c.keptEdges).toBe(3);
    expect(c.labels[3]).toBe(-1);
    expect(c.labels[4]).toBe(-1);
    expect(weakComponents(g, { minGraph: 1 }).count).toBe(3); // {0,1,2}, {3}, {4}
  });

  it('excludes edges exactly at the threshold, compared in float32 like the reference', () => {
    // Float32Array stores 0.55 as 0.550000011920929 > 0.55 in double arithmetic: still excluded.
    const g = graphOf(4, [
      [0, 1, 0.55],
      [1, 2, 0.56],
      [2, 3, 0.9],
    ]);
    expect(Array.from(weakComponents(g, { minGraph: 1 }).labels)).toEqual([0, 1, 1, 1]);
    expect(weakComponents(g, { minGraph: 1 }).keptEdges).toBe(2);
    expect(weakComponents(g, { threshold: 0.5, minGraph: 1 }).keptEdges).toBe(3);
    expect(weakComponents(g, { threshold: 0.9, minGraph: 1 }).keptEdges).toBe(0);
    expect(weakComponents(graphOf(2, [[0, 1, 0]]), { threshold: 0, minGraph: 1 }).keptEdges).toBe(0);
    expect(weakComponents(graphOf(2, [[0, 1, 1]]), { threshold: 1, minGraph: 1 }).keptEdges).toBe(0);
    expect(weakComponents(graphOf(2, [[0, 1, 1]]), { threshold: 0.999, minGraph: 1 }).keptEdges).toBe(1);
  });

  it('leaves components below minGraph unclustered: size 3 vs size 4 with minGraph 4', () => {
    const g = graphOf(8, [
      [0, 1, 0.9],
      [1, 2, 0.9], // {0,1,2}: 3 hits
      [3, 4, 0.9],
      [4, 5, 0.9],
      [5, 6, 0.9], // {3,4,5,6}: 4 hits
    ]);
    const c = weakComponents(g);
    expect(Array.from(c.labels)).toEqual([-1, -1, -1, 0, 0, 0, 0, -1]);
    expect(c.keptEdges).toBe(5); // kept edges count even inside dropped components
    expect(groups(weakComponents(g, { minGraph: 3 }).labels)).toEqual([
      [0, 1, 2],
      [3, 4, 5, 6],
    ]);
    expect(weakComponents(g, { minGraph: 5 }).count).toBe(0);
  });

  it('gives isolated hits -1 by default and their own cluster with minGraph 1', () => {
    const g = graphOf(4, []);
    expect(Array.from(weakComponents(g).labels)).toEqual([-1, -1, -1, -1]);
    expect(Array.from(weakComponents(g, { minGraph: 1 }).labels)).toEqual([0, 1, 2, 3]);
  });

  it('handles an empty event', () => {
    const c = weakComponents(graphOf(0, []));
    expect(c.labels.length).toBe(0);
    expect(c.count).toBe(0);
    expect(c.sizes.length).toBe(0);
  });

  it('counts duplicate edges but merges once', () => {
    const c = weakComponents(graphOf(4, [[0, 1, 0.9], [0, 1, 0.9], [1, 0, 0.9], [2, 3, 0.9], [1, 2, 0.9]]));
    expect(c.keptEdges).toBe(5);
    expect(groups(c.labels)).toEqual([[0, 1, 2, 3]]);
  });

  it('numbers by smallest hit by default, by size (ties by smallest hit) on request', () => {
    // Components: A = {0, 5, 6, 7, 8} (5 hits), B = {1, 2, 3, 4} (4 hits), C = {9, 10, 11, 12} (4 hits).
    const g = graphOf(13, [
      [8, 0, 0.9],
      [0, 5, 0.9],
      [5, 6, 0.9],
      [6, 7, 0.9],
      [4, 3, 0.9],
      [2, 3, 0.9],
      [1, 2, 0.9],
      [12, 9, 0.9],
      [10, 11, 0.9],
      [11, 12, 0.9],
    ]);
    const byFirst = weakComponents(g);
    expect(groups(byFirst.labels)).toEqual([
      [0, 5, 6, 7, 8],
      [1, 2, 3, 4],
      [9, 10, 11, 12],
    ]);
    expect(Array.from(byFirst.sizes)).toEqual([5, 4, 4]);
    const bySize = weakComponents(g, { numbering: 'size' });
    expect(groups(bySize.labels)).toEqual([
      [1, 2, 3, 4],
      [9, 10, 11, 12],
      [0, 5, 6, 7, 8],
    ]);
    expect(Array.from(bySize.sizes)).toEqual([4, 4, 5]);
  });

  it('rejects an unknown numbering', () => {
    // @ts-expect-error: not a numbering
    expect(() => weakComponents(graphOf(1, []), { numbering: 'random' })).toThrow(`numbering: must be 'first-hit' or 'size', got "random"`);
  });
});

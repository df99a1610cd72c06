import { UnionFind } from './union-find';

describe('UnionFind', () => {
  it('starts with singletons', () => {
    const uf = new UnionFind(4);
    expect([0, 1, 2, 3].map((x) => uf.find(x))).toEqual([0, 1, 2, 3]);
    expect(Array.from(uf.size)).toEqual([1, 1, 1, 1]);
  });

  it('merges sets, reports repeated unions, and tracks sizes at the roots', () => {
    const uf = new UnionFind(6);
    expect(uf.union(0, 1)).toBe(true);
    expect(uf.union(2, 3)).toBe(true);
    expect(uf.union(1, 3)).toBe(true);
    expect(uf.union(0, 2)).toBe(false);
    const root = uf.find(3);
    expect([0, 1, 2].every((x) => uf.find(x) === root)).toBe(true);
    expect(uf.size[root]).toBe(4);
    expect(uf.find(4)).toBe(4);
    expect(uf.find(5)).toBe(5);
  });

  it('hangs the smaller set under the larger', () => {
    const uf = new UnionFind(5);
    uf.union(0, 1);
    uf.union(0, 2);
    uf.union(4, 0); // {4} is smaller than {0, 1, 2}
    expect(uf.find(4)).toBe(uf.find(0));
    expect(uf.parent[4]).toBe(uf.find(0));
  });

  it('keeps long chains shallow after finds (path halving)', () => {
    const n = 1 << 16;
    const uf = new UnionFind(n);
    // Build a worst-case chain by hand, then let find shorten it.
    for (let i = 1; i < n; i++) uf.parent[i] = i - 1;
    uf.size[0] = n;
    expect(uf.find(n - 1)).toBe(0);
    let depth = 0;
    for (let x = n - 1; uf.parent[x] !== x; x = uf.parent[x]) depth++;
    expect(depth).toBeLessThanOrEqual(n / 2);
    for (let i = n - 1; i >= 0; i--) expect(uf.find(i)).toBe(0);
  });
});

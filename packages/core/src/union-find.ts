/**
 * Disjoint sets over 0..n-1 in two Int32Arrays: union by size, path halving in `find`. Any
 * sequence of m operations costs O(m α(n)); memory is 8 bytes per element.
 */
export class UnionFind {
  /** `parent[x] === x` marks a root. */
  readonly parent: Int32Array;
  /** Set size, valid at roots only. */
  readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.size = new Int32Array(n).fill(1);
  }

  /** The root of x's set. Path halving: every visited node skips to its grandparent. */
  find(x: number): number {
    const parent = this.parent;
    let p = parent[x];
    while (p !== x) {
      const g = parent[p];
      parent[x] = g;
      x = g;
      p = parent[x];
    }
    return x;
  }

  /** Merges the sets of a and b; returns false when they already were one set. */
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    const size = this.size;
    if (size[ra] < size[rb]) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    this.parent[rb] = ra;
    size[ra] += size[rb];
    return true;
  }
}

import type { Linkage } from './single-linkage';

/**
 * The condensed tree of a single-linkage hierarchy (Campello et al. 2013; the hdbscan library's
 * `condense_tree`), as rows (parent, child, lambda = 1 / distance, childSize). Clusters are numbered
 * from `points` (the root) upwards; a child below `points` is a point falling out of its cluster.
 * Walking from the root: a split into two parts of at least `minClusterSize` points makes two new
 * clusters; a smaller part's points fall out of the cluster, which goes on as the larger part.
 */
export interface CondensedTree {
  readonly points: number;
  readonly parent: Int32Array;
  readonly child: Int32Array;
  readonly lambda: Float64Array;
  readonly childSize: Int32Array;
}

export function condenseTree(linkage: Linkage, minClusterSize: number): CondensedTree {
  const points = linkage.nodes;
  const root = 2 * points - 2;
  const childrenOf = (node: number): [number, number] => [linkage.left[node - points], linkage.right[node - points]];
  const sizeOf = (node: number): number => (node < points ? 1 : linkage.size[node - points]);
  const parent: number[] = [];
  const child: number[] = [];
  const lambda: number[] = [];
  const childSize: number[] = [];
  const relabel = new Int32Array(root + 1);
  relabel[root] = points;
  let nextLabel = points + 1;
  const fallOut = (node: number, cluster: number, value: number) => {
    // Every point under `node` leaves `cluster` at `value`.
    const stack = [node];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if (at < points) {
        parent.push(cluster);
        child.push(at);
        lambda.push(value);
        childSize.push(1);
      } else stack.push(...childrenOf(at).reverse());
    }
  };
  // Breadth-first from the root, as the library; a subtree that fell out is not visited again.
  const queue = [root];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    const [left, right] = childrenOf(node);
    const d = linkage.distance[node - points];
    const value = d > 0 ? 1 / d : Infinity;
    const [leftSize, rightSize] = [sizeOf(left), sizeOf(right)];
    const cluster = relabel[node];
    if (leftSize >= minClusterSize && rightSize >= minClusterSize) {
      for (const [part, size] of [[left, leftSize], [right, rightSize]] as const) {
        relabel[part] = nextLabel++;
        parent.push(cluster);
        child.push(relabel[part]);
        lambda.push(value);
        childSize.push(size);
        if (part >= points) queue.push(part);
      }
    } else if (leftSize < minClusterSize && rightSize < minClusterSize) {
      fallOut(left, cluster, value);
      fallOut(right, cluster, value);
    } else {
      const [small, large] = leftSize < minClusterSize ? [left, right] : [right, left];
      fallOut(small, cluster, value);
      relabel[large] = cluster;
      if (large >= points) queue.push(large);
    }
  }
  return { points, parent: Int32Array.from(parent), child: Int32Array.from(child), lambda: Float64Array.from(lambda), childSize: Int32Array.from(childSize) };
}

/**
 * Each cluster's stability, the excess of mass: the sum over what leaves it (points and child
 * clusters) of (lambda at leaving - lambda at the cluster's birth) x size. Indexed by cluster - points.
 */
export function stabilities(tree: CondensedTree): Float64Array {
  const clusters = clusterCount(tree);
  const birth = new Float64Array(clusters);
  for (let r = 0; r < tree.child.length; r++) if (tree.child[r] >= tree.points) birth[tree.child[r] - tree.points] = tree.lambda[r];
  const stability = new Float64Array(clusters);
  for (let r = 0; r < tree.parent.length; r++) {
    const p = tree.parent[r] - tree.points;
    stability[p] += (tree.lambda[r] - birth[p]) * tree.childSize[r];
  }
  return stability;
}

export function clusterCount(tree: CondensedTree): number {
  let top = tree.points;
  for (let r = 0; r < tree.child.length; r++) top = Math.max(top, tree.child[r], tree.parent[r]);
  return top - tree.points + 1;
}

/**
 * Excess-of-mass selection without the root (the library's `allow_single_cluster=False`,
 * `cluster_selection_epsilon=0`): from the leaves up, a cluster is kept when its own stability is
 * at least the summed stability of its kept descendants; otherwise it passes that sum up. Returns
 * the selected clusters (as cluster - points indices), ascending.
 */
export function selectExcessOfMass(tree: CondensedTree): number[] {
  const stability = stabilities(tree);
  const count = stability.length;
  const children: number[][] = Array.from({ length: count }, () => []);
  for (let r = 0; r < tree.child.length; r++) if (tree.child[r] >= tree.points) children[tree.parent[r] - tree.points].push(tree.child[r] - tree.points);
  const selected = new Uint8Array(count);
  // Children always have larger numbers than their parent: descending order visits leaves first.
  for (let c = count - 1; c >= 1; c--) {
    const subtree = children[c].reduce((sum, k) => sum + stability[k], 0);
    if (subtree > stability[c]) {
      stability[c] = subtree;
    } else {
      selected[c] = 1;
      const stack = [...children[c]];
      while (stack.length > 0) {
        const k = stack.pop() as number;
        selected[k] = 0;
        stack.push(...children[k]);
      }
    }
  }
  const out: number[] = [];
  for (let c = 1; c < count; c++) if (selected[c] === 1) out.push(c);
  return out;
}

/**
 * Point labels: the selected cluster a point last belongs to (walking up from where it fell out),
 * numbered 0.. in ascending cluster order, or -1 (noise: it fell out of no selected cluster).
 */
export function labelPoints(tree: CondensedTree, selected: readonly number[]): Int32Array {
  const count = clusterCount(tree);
  const up = new Int32Array(count).fill(-1);
  for (let r = 0; r < tree.child.length; r++) if (tree.child[r] >= tree.points) up[tree.child[r] - tree.points] = tree.parent[r] - tree.points;
  const labelOf = new Int32Array(count).fill(-1);
  selected.forEach((c, label) => (labelOf[c] = label));
  // The nearest selected cluster at or above each cluster.
  const owner = new Int32Array(count).fill(-1);
  for (let c = 0; c < count; c++) {
    for (let at = c; at >= 0; at = up[at]) {
      if (labelOf[at] >= 0) {
        owner[c] = labelOf[at];
        break;
      }
    }
  }
  const labels = new Int32Array(tree.points).fill(-1);
  for (let r = 0; r < tree.child.length; r++) if (tree.child[r] < tree.points) labels[tree.child[r]] = owner[tree.parent[r] - tree.points];
  return labels;
}

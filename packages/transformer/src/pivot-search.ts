import type { Rng } from '@hypertrack/core';
import type { PivotSearchConfig } from './config';

/**
 * One connected component as the pivot search sees it: local nodes 0..n-1 (its hits in ascending
 * order), the kept edges between them as out-rows (u -> v with probability p), and which nodes are
 * still active.
 */
export interface LocalGraph {
  /** Global hit of each local node. */
  readonly hits: Int32Array;
  /** CSR over local nodes: the out-edges of u are `target[start[u] .. start[u + 1])`. */
  readonly start: Int32Array;
  readonly target: Int32Array;
  readonly prob: Float32Array;
  /** 1 while the node can still be chosen. */
  readonly active: Uint8Array;
}

/** |x| and the transverse |x| of every hit of the event (for the seed strategies that rank by them). */
export interface HitNorms {
  readonly full: Float64Array;
  readonly transverse: Float64Array;
}

/** |x| and sqrt(x^2 + y^2) per hit from [N, 3] coordinates. */
export function hitNorms(coords: Float32Array): HitNorms {
  const n = coords.length / 3;
  const full = new Float64Array(n);
  const transverse = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    const [x, y, z] = [coords[3 * h], coords[3 * h + 1], coords[3 * h + 2]];
    transverse[h] = Math.hypot(x, y);
    full[h] = Math.hypot(x, y, z);
  }
  return { full, transverse };
}

/** The best walk of one round: its local nodes and its summed log-odds. */
export interface PivotPath {
  readonly nodes: number[];
  readonly logOdds: number;
}

/**
 * The seed candidates of a round (seed_ktop_max of them): a random choice, or the active nodes
 * with the largest or smallest |x| ('max', 'min') or transverse |x| ('max_T', 'min_T'); `norms`
 * gives those per hit of the event (called only by those strategies).
 */
export function seedCandidates(graph: LocalGraph, config: PivotSearchConfig, rng: Rng, norms: () => HitNorms): number[] {
  const active: number[] = [];
  for (let u = 0; u < graph.active.length; u++) if (graph.active[u] === 1) active.push(u);
  const count = Math.min(config.seedCandidates, active.length);
  switch (config.seedStrategy) {
    case 'random': {
      const order = rng.permutation(active.length);
      return Array.from(order.subarray(0, count), (k) => active[k]);
    }
    case 'max':
    case 'min':
    case 'max_T':
    case 'min_T': {
      const { full, transverse } = norms();
      const key = config.seedStrategy.endsWith('_T') ? transverse : full;
      const sign = config.seedStrategy.startsWith('max') ? -1 : 1;
      const hits = graph.hits;
      return [...active].sort((a, b) => sign * (key[hits[a]] - key[hits[b]]) || a - b).slice(0, count);
    }
  }
}

/**
 * The greedy pivot walk (reference 3.8 step 4b, random_paths = 1): from each seed, step to the
 * active out-neighbour of the last pivot with the highest probability (ties: the lowest node), not
 * already a pivot, while that probability exceeds `diffuseThreshold`, up to `pivots` nodes; each
 * step adds ln(p / (1 - p + 1e-3)). The path with the strictly largest sum wins (the first on ties).
 */
export function bestPivotPath(graph: LocalGraph, seeds: readonly number[], config: PivotSearchConfig): PivotPath {
  let best: PivotPath = { nodes: [], logOdds: -1e9 };
  for (const seed of seeds) {
    const nodes = [seed];
    let logOdds = 0;
    while (nodes.length < config.pivots) {
      const last = nodes[nodes.length - 1];
      let next = -1;
      let nextProb = -Infinity;
      for (let at = graph.start[last]; at < graph.start[last + 1]; at++) {
        const v = graph.target[at];
        const p = graph.prob[at];
        if (graph.active[v] !== 1 || nodes.includes(v)) continue;
        if (p > nextProb || (p === nextProb && v < next)) {
          next = v;
          nextProb = p;
        }
      }
      if (next < 0 || !(nextProb > config.diffuseThreshold)) break;
      nodes.push(next);
      logOdds += Math.log(nextProb / (1 - nextProb + 1e-3));
    }
    if (logOdds > best.logOdds) best = { nodes, logOdds };
  }
  return best;
}

/**
 * The micrograph of a pivot path: 'pivot-spanned', the active nodes with a kept edge from at least
 * one pivot (the pivots themselves only when such an edge reaches them), or 'full', every active
 * node; ascending.
 */
export function micrograph(graph: LocalGraph, pivots: readonly number[], mode: PivotSearchConfig['micrograph']): number[] {
  if (mode === 'full') {
    const all: number[] = [];
    for (let u = 0; u < graph.active.length; u++) if (graph.active[u] === 1) all.push(u);
    return all;
  }
  const seen = new Uint8Array(graph.active.length);
  for (const p of pivots) {
    for (let at = graph.start[p]; at < graph.start[p + 1]; at++) {
      const v = graph.target[at];
      if (graph.active[v] === 1 && graph.prob[at] > 0) seen[v] = 1;
    }
  }
  const out: number[] = [];
  for (let u = 0; u < seen.length; u++) if (seen[u] === 1) out.push(u);
  return out;
}

/**
 * The Monte-Carlo pivot walks (reference 3.8 step 4b, random_paths > 1): `randomPaths` times, from
 * a random active seed, step to an active out-neighbour of the last pivot, not yet a pivot, with
 * probability above `diffuseThreshold`, drawn in proportion to that probability, until `pivots`
 * nodes or no candidate is left. The walk with the strictly largest summed log-odds wins.
 */
export function monteCarloPivotPath(graph: LocalGraph, config: PivotSearchConfig, rng: Rng): PivotPath {
  const active: number[] = [];
  for (let u = 0; u < graph.active.length; u++) if (graph.active[u] === 1) active.push(u);
  let best: PivotPath = { nodes: [], logOdds: -1e9 };
  if (active.length === 0) return best;
  for (let walk = 0; walk < config.randomPaths; walk++) {
    const nodes = [active[rng.int(active.length)]];
    let logOdds = 0;
    while (nodes.length < config.pivots) {
      const last = nodes[nodes.length - 1];
      const candidates: number[] = [];
      let total = 0;
      for (let at = graph.start[last]; at < graph.start[last + 1]; at++) {
        const v = graph.target[at];
        if (graph.active[v] !== 1 || nodes.includes(v) || !(graph.prob[at] > config.diffuseThreshold)) continue;
        candidates.push(at);
        total += graph.prob[at];
      }
      if (candidates.length === 0) break;
      let draw = rng.uniform() * total;
      let pick = candidates[candidates.length - 1];
      for (const at of candidates) {
        draw -= graph.prob[at];
        if (draw < 0) {
          pick = at;
          break;
        }
      }
      nodes.push(graph.target[pick]);
      logOdds += Math.log(graph.prob[pick] / (1 - graph.prob[pick] + 1e-3));
    }
    if (logOdds > best.logOdds) best = { nodes, logOdds };
  }
  return best;
}

import { ConfigError, Rng } from '@hypertrack/core';
import { membersOf, resolveClusterOptions, weakComponents, type ClusterGraph, type ClusterOptions, type ClusterResult, type ClusterStats } from '@hypertrack/cluster';
import { TUNE5_PIVOT_SEARCH, type PivotSearchConfig } from './config';
import { bestPivotPath, hitNorms, micrograph, monteCarloPivotPath, seedCandidates, type HitNorms, type LocalGraph } from './pivot-search';
import { chooseHits } from './thresholds';

/** What the pivot search reads: the scored edges and the hits' coordinates (for the seed choice). */
export interface PivotGraph extends ClusterGraph {
  /** [numHits, 3] row-major: x, y, z in mm. */
  readonly coords: Float32Array;
}

/** The transformer's input beyond the edge graph: per hit, the GNN latent and the coordinates. */
export interface TransformerGraph extends PivotGraph {
  /** [numHits, latentDim] row-major: the GNN's latents z. */
  readonly latents: Float32Array;
  readonly latentDim: number;
}

/** One component's question to the model: its micrograph rows and its pivot rows. */
export interface MicrographQuery {
  /** Global hits of the micrograph, in order; the model returns one probability for each. */
  readonly nodes: Int32Array;
  readonly pivots: Int32Array;
}

/**
 * Scores a batch of micrographs: for each query, the probability that each micrograph hit belongs
 * to the pivots' track. The model adapter (transformerScorer) batches them through the
 * STransformer; tests pass a rule instead.
 */
export type MicrographScorer = (graph: TransformerGraph, queries: readonly MicrographQuery[]) => Promise<Float32Array[]>;

export interface TransformerClusterOptions extends ClusterOptions {
  readonly search?: Partial<PivotSearchConfig>;
  /** Seed of the random seed choice ('random' strategy). Default 0. */
  readonly seed?: number;
  /** Components per batched model call (the reference's four chunks bound its memory). Default 256. */
  readonly batchComponents?: number;
}

export interface TransformerStats extends ClusterStats {
  /** Walks or clusters that failed (each adds one to its pivots' failure counts). */
  readonly failures: number;
  /** Batched model calls. */
  readonly trials: number;
}

/**
 * HyperTrack's neural clustering around any micrograph scorer (clusteringRounds, and its drivers
 * clusterWithScorer and clusterWithSyncScorer) (reference 3.8, steps 2, 4 and 5):
 * weakly connected components of the kept edges with at least minGraph hits, then, per component,
 * rounds of: seed candidates, the greedy pivot walk, the pivot-spanned micrograph, one batched
 * scorer call for every component with pivots, and acceptance of the hits above the threshold as
 * one track when there are at least minClusterSize of them. A walk or cluster that fails adds one
 * to its pivots' failure counts; a hit with maxFailures is dropped; a component ends when fewer
 * than `pivots` hits remain active. Clusters are numbered in discovery order.
 *
 * Differences from the reference, on purpose: failure counts belong to each hit (the reference
 * shares one array between the components of a chunk, indexed by local node, quirk 1 of 3.8), and
 * components are batched `batchComponents` at a time (the reference: four chunks).
 */
/** One accepted cluster: which batched call and query it came from, and its hits. */
export interface AcceptedCluster {
  /** Index of the batched scorer call (0-based) and of the query within it. */
  readonly trial: number;
  readonly query: number;
  /** The accepted hits (global), ascending. */
  readonly hits: Int32Array;
}

export type TransformerClusterResult = ClusterResult & { stats: TransformerStats; accepted: AcceptedCluster[] };

/**
 * The clustering loop as a generator: it yields each round's queries and expects their
 * probabilities back, so the same loop runs asynchronously at inference (clusterWithScorer) and
 * synchronously inside a gradient tape in training, where the scorer keeps the model's outputs for
 * the cluster losses.
 */
export function* clusteringRounds(graph: PivotGraph, options: TransformerClusterOptions = {}): Generator<MicrographQuery[], TransformerClusterResult, Float32Array[]> {
  const t0 = performance.now();
  const { threshold, minGraph } = resolveClusterOptions(options);
  const config: PivotSearchConfig = { ...TUNE5_PIVOT_SEARCH, ...options.search };
  checkPivotSearch(config);
  const batchComponents = options.batchComponents ?? 256;
  if (!(Number.isInteger(batchComponents) && batchComponents >= 1)) throw new ConfigError('batchComponents', `must be an integer >= 1, got ${batchComponents}`);
  const components = weakComponents(graph, { threshold, minGraph, numbering: 'size' });
  const componentsMs = performance.now() - t0;
  const locals = localGraphs(graph, components.labels, components.count, Math.fround(threshold));
  const failuresOf = new Int32Array(graph.numHits);
  const rng = Rng.fromSeed(options.seed ?? 0);
  const labels = new Int32Array(graph.numHits).fill(-1);
  const accepted: AcceptedCluster[] = [];
  let clusters = 0;
  let failures = 0;
  let trials = 0;
  let norms: HitNorms | null = null;
  const normsOnce = () => (norms ??= hitNorms(graph.coords));
  for (let first = 0; first < locals.length; first += batchComponents) {
    const chunk = locals.slice(first, first + batchComponents);
    const exhausted = new Uint8Array(chunk.length);
    for (let round = 0; ; round++) {
      const queries: MicrographQuery[] = [];
      const asked: Array<{ component: number; pivots: number[]; nodes: number[] }> = [];
      chunk.forEach((local, c) => {
        if (exhausted[c] === 1) return;
        let activeCount = 0;
        for (const a of local.active) activeCount += a;
        if (activeCount < config.pivots) {
          exhausted[c] = 1;
          return;
        }
        const r = rng.split(`c${first + c}r${round}`);
        const path = config.randomPaths > 1 ? monteCarloPivotPath(local, config, r) : bestPivotPath(local, seedCandidates(local, config, r, normsOnce), config);
        if (path.nodes.length < config.pivots) {
          failures++;
          fail(local, path.nodes, failuresOf, config.maxFailures);
          return;
        }
        const nodes = micrograph(local, path.nodes, config.micrograph);
        asked.push({ component: c, pivots: path.nodes, nodes });
        queries.push({ nodes: Int32Array.from(nodes, (u) => local.hits[u]), pivots: Int32Array.from(path.nodes, (u) => local.hits[u]) });
      });
      if (chunk.every((_, c) => exhausted[c] === 1)) break;
      if (queries.length === 0) continue;
      const probabilities = yield queries;
      if (probabilities.length !== queries.length) throw new Error(`the scorer answered ${probabilities.length} of ${queries.length} queries`);
      const trial = trials++;
      asked.forEach(({ component, pivots, nodes }, q) => {
        const local = chunk[component];
        const p = probabilities[q];
        const chosen = chooseHits(p, config).map((k) => nodes[k]);
        if (chosen.length < config.minClusterSize) {
          failures++;
          fail(local, pivots, failuresOf, config.maxFailures);
          return;
        }
        for (const u of chosen) {
          labels[local.hits[u]] = clusters;
          local.active[u] = 0;
        }
        accepted.push({ trial, query: q, hits: Int32Array.from(chosen, (u) => local.hits[u]) });
        clusters++;
      });
    }
  }
  let clusteredHits = 0;
  for (const label of labels) if (label >= 0) clusteredHits++;
  const stats: TransformerStats = { clusters, clusteredHits, keptEdges: components.keptEdges, timeMs: performance.now() - t0, componentsMs, failures, trials };
  return { labels, stats, accepted };
}

/** The loop with an asynchronous scorer (inference). */
export async function clusterWithScorer(graph: TransformerGraph, score: MicrographScorer, options: TransformerClusterOptions = {}): Promise<TransformerClusterResult> {
  const rounds = clusteringRounds(graph, options);
  let step = rounds.next();
  while (!step.done) step = rounds.next(await score(graph, step.value));
  return step.value;
}

/** The loop with a synchronous scorer (inside a gradient tape, where nothing may be awaited). */
export function clusterWithSyncScorer(graph: PivotGraph, score: (queries: readonly MicrographQuery[]) => Float32Array[], options: TransformerClusterOptions = {}): TransformerClusterResult {
  const rounds = clusteringRounds(graph, options);
  let step = rounds.next();
  while (!step.done) step = rounds.next(score(step.value));
  return step.value;
}

/** Checks a pivot search config once per clustering; a ConfigError names the key. */
export function checkPivotSearch(config: PivotSearchConfig): void {
  const integer = (key: keyof PivotSearchConfig, value: number) => {
    if (!(Number.isInteger(value) && value >= 1)) throw new ConfigError(`search.${key}`, `must be an integer >= 1, got ${value}`);
  };
  integer('pivots', config.pivots);
  integer('seedCandidates', config.seedCandidates);
  integer('maxFailures', config.maxFailures);
  integer('minClusterSize', config.minClusterSize);
  integer('randomPaths', config.randomPaths);
  integer('ktopMax', config.ktopMax);
  if (!['random', 'max', 'min', 'max_T', 'min_T'].includes(config.seedStrategy)) throw new ConfigError('search.seedStrategy', `must be random, max, min, max_T or min_T, got '${config.seedStrategy}'`);
  if (!['fixed', 'fisher', 'soft'].includes(config.thresholdAlgo)) throw new ConfigError('search.thresholdAlgo', `must be fixed, fisher or soft, got '${config.thresholdAlgo}'`);
  if (!['pivot-spanned', 'full'].includes(config.micrograph)) throw new ConfigError('search.micrograph', `must be pivot-spanned or full, got '${config.micrograph}'`);
  for (const key of ['acceptThreshold', 'softThreshold', 'diffuseThreshold'] as const) {
    if (!(config[key] >= 0 && config[key] <= 1)) throw new ConfigError(`search.${key}`, `must be in [0, 1], got ${config[key]}`);
  }
  if (!(config.tau > 0)) throw new ConfigError('search.tau', `must be > 0, got ${config.tau}`);
  if (config.fisherThresholds.some((t) => !(t >= 0 && t <= 1))) throw new ConfigError('search.fisherThresholds', 'every threshold must be in [0, 1]');
}

function fail(local: LocalGraph, nodes: readonly number[], failuresOf: Int32Array, maxFailures: number): void {
  for (const u of nodes) {
    const hit = local.hits[u];
    failuresOf[hit]++;
    if (failuresOf[hit] >= maxFailures) local.active[u] = 0;
  }
}

/** Each component's local CSR of kept edges (p > threshold, no self-loops), smallest components first. */
function localGraphs(graph: ClusterGraph, component: Int32Array, count: number, cut: number): LocalGraph[] {
  const members = membersOf(component, count);
  const localIndex = new Int32Array(graph.numHits).fill(-1);
  const out: LocalGraph[] = [];
  const edgesOf: number[][] = Array.from({ length: count }, () => []);
  for (let e = 0; e < graph.src.length; e++) {
    const c = component[graph.src[e]];
    if (c >= 0 && graph.prob[e] > cut && graph.src[e] !== graph.dst[e]) edgesOf[c].push(e);
  }
  for (let c = 0; c < count; c++) {
    const hits = members.hits.subarray(members.offsets[c], members.offsets[c + 1]);
    hits.forEach((h, u) => (localIndex[h] = u));
    const start = new Int32Array(hits.length + 1);
    for (const e of edgesOf[c]) start[localIndex[graph.src[e]] + 1]++;
    for (let u = 0; u < hits.length; u++) start[u + 1] += start[u];
    const fill = start.slice(0, hits.length);
    const target = new Int32Array(edgesOf[c].length);
    const prob = new Float32Array(edgesOf[c].length);
    for (const e of edgesOf[c]) {
      const at = fill[localIndex[graph.src[e]]]++;
      target[at] = localIndex[graph.dst[e]];
      prob[at] = graph.prob[e];
    }
    out.push({ hits: Int32Array.from(hits), start, target, prob, active: new Uint8Array(hits.length).fill(1) });
  }
  return out;
}

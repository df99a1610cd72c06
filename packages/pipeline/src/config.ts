import { DEFAULT_EDGE_THRESHOLD, DEFAULT_MIN_GRAPH } from '@hypertrack/cluster';
import { ConfigError } from '@hypertrack/core';
import { definedValues } from './defined';

/**
 * Pile-up reduction applied to each event before reconstruction (reference 1.4); without
 * `rfactor` the events are reconstructed as they are.
 */
export interface ReductionConfig {
  /** Keep this fraction of each event's tracks (mu = 200 rfactor), in (0, 1]; absent: all. */
  readonly rfactor?: number;
  /** Wanted fraction of noise hits among the kept hits, < 1; negative: the event's own fraction. */
  readonly noiseRatio: number;
  /** Event i draws its reduction from the stream (seed, i), so any subset reproduces alone. */
  readonly seed: number;
}

/** The Voxel-Dynamics graph constructor (the model itself is passed to the pipeline). */
export interface GraphStageConfig {
  /** Use only C-matrix entries seen in at least this many training tracks (1 = the original). */
  readonly minCount: number;
  /** Stop with a message naming the event, before allocating, above this many edges. */
  readonly maxEdges?: number;
  /** Emit the self-loop (i, i) of a hit whose cell connects to itself (the original does). */
  readonly selfLoops: boolean;
}

/** The clusterer that turns edge probabilities into tracks. */
export interface ClusterStageConfig {
  /** A registered clusterer ("cut", "dbscan", "hdbscan"; the transformer registers later), or "none". */
  readonly algorithm: string;
  /**
   * Edges with probability above this are kept; the same cut gives the GNN's TPR and FPR, compared
   * in float32 as the probabilities are.
   */
  readonly threshold: number;
  /** Components with fewer hits stay unclustered. */
  readonly minGraph: number;
}

/** How reconstructed events are scored against their truth. */
export interface EvaluationConfig {
  /** Truth tracks and clusters need this many hits to count (DMS, efficiency, purity). */
  readonly hitsMin: number;
  /** Edges of the run kept for its ROC curve (the first ones, event after event). */
  readonly rocEdges: number;
}

/** Everything `infer` and the examples configure: one nested record, validated once. */
export interface ReconstructionConfig {
  readonly reduction: ReductionConfig;
  readonly graph: GraphStageConfig;
  readonly cluster: ClusterStageConfig;
  readonly evaluation: EvaluationConfig;
}

/** What a caller may set: any part of the config, the rest from the defaults. */
export type ReconstructionSettings = { readonly [K in keyof ReconstructionConfig]?: Partial<ReconstructionConfig[K]> };

/** The defaults: the original's inference settings (reference 5.2). */
export const RECONSTRUCTION_DEFAULTS: ReconstructionConfig = Object.freeze({
  reduction: Object.freeze({ noiseRatio: 0.05, seed: 1 }),
  graph: Object.freeze({ minCount: 1, selfLoops: true }),
  cluster: Object.freeze({ algorithm: 'cut', threshold: DEFAULT_EDGE_THRESHOLD, minGraph: DEFAULT_MIN_GRAPH }),
  evaluation: Object.freeze({ hitsMin: 4, rocEdges: 200_000 }),
});

const KNOWN_KEYS: { readonly [K in keyof ReconstructionConfig]: readonly string[] } = {
  reduction: ['rfactor', 'noiseRatio', 'seed'],
  graph: ['minCount', 'maxEdges', 'selfLoops'],
  cluster: ['algorithm', 'threshold', 'minGraph'],
  evaluation: ['hitsMin', 'rocEdges'],
};

/**
 * Layers of settings, later over earlier, key by key (an undefined value leaves the key to the
 * layers below): a tune file's, then the command line's.
 */
export function mergeReconstructionSettings(...layers: ReconstructionSettings[]): ReconstructionSettings {
  const out: Record<string, Record<string, unknown>> = {};
  for (const layer of layers) {
    for (const [section, values] of Object.entries(layer)) {
      out[section] = { ...out[section], ...definedValues(values) };
    }
  }
  return out as ReconstructionSettings;
}

/**
 * The defaults overlaid with `settings`, checked once: unknown keys and bad values are a
 * ConfigError naming the key (`cluster.threshold`).
 */
export function resolveReconstructionConfig(settings: ReconstructionSettings = {}): ReconstructionConfig {
  for (const [section, values] of Object.entries(settings)) {
    if (!Object.hasOwn(KNOWN_KEYS, section)) throw new ConfigError(section, `unknown section (known: ${Object.keys(KNOWN_KEYS).join(', ')})`);
    for (const key of Object.keys(values ?? {})) {
      const known = KNOWN_KEYS[section as keyof ReconstructionConfig];
      if (!known.includes(key)) throw new ConfigError(`${section}.${key}`, `unknown key (known: ${known.join(', ')})`);
    }
  }
  const config: ReconstructionConfig = {
    reduction: { ...RECONSTRUCTION_DEFAULTS.reduction, ...definedValues(settings.reduction) },
    graph: { ...RECONSTRUCTION_DEFAULTS.graph, ...definedValues(settings.graph) },
    cluster: { ...RECONSTRUCTION_DEFAULTS.cluster, ...definedValues(settings.cluster) },
    evaluation: { ...RECONSTRUCTION_DEFAULTS.evaluation, ...definedValues(settings.evaluation) },
  };
  const { reduction, graph, cluster, evaluation } = config;
  if (reduction.rfactor !== undefined) check('reduction.rfactor', reduction.rfactor, reduction.rfactor > 0 && reduction.rfactor <= 1, 'a number in (0, 1]');
  check('reduction.noiseRatio', reduction.noiseRatio, reduction.noiseRatio < 1, 'a number < 1');
  check('reduction.seed', reduction.seed, Number.isSafeInteger(reduction.seed) && reduction.seed >= 0, 'an integer >= 0');
  check('graph.minCount', graph.minCount, Number.isInteger(graph.minCount) && graph.minCount >= 1, 'an integer >= 1');
  if (graph.maxEdges !== undefined) check('graph.maxEdges', graph.maxEdges, Number.isInteger(graph.maxEdges) && graph.maxEdges >= 0, 'an integer >= 0');
  if (typeof graph.selfLoops !== 'boolean') throw new ConfigError('graph.selfLoops', `must be true or false, got ${String(graph.selfLoops)}`);
  if (typeof cluster.algorithm !== 'string' || cluster.algorithm === '') throw new ConfigError('cluster.algorithm', `must name a clusterer, got ${String(cluster.algorithm)}`);
  check('cluster.threshold', cluster.threshold, cluster.threshold >= 0 && cluster.threshold <= 1, 'a number in [0, 1]');
  check('cluster.minGraph', cluster.minGraph, Number.isInteger(cluster.minGraph) && cluster.minGraph >= 1, 'an integer >= 1');
  check('evaluation.hitsMin', evaluation.hitsMin, Number.isInteger(evaluation.hitsMin) && evaluation.hitsMin >= 1, 'an integer >= 1');
  check('evaluation.rocEdges', evaluation.rocEdges, Number.isInteger(evaluation.rocEdges) && evaluation.rocEdges >= 0, 'an integer >= 0');
  return config;
}

function check(key: string, value: unknown, ok: boolean, what: string): void {
  if (typeof value !== 'number' || Number.isNaN(value) || !ok) throw new ConfigError(key, `must be ${what}, got ${String(value)}`);
}

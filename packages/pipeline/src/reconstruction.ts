import { clusterers as builtInClusterers, selectClusterer, type ClusterAlgorithm, type ClusterResult } from '@hypertrack/cluster';
import { ConfigError, HyperTrackError, createProgress, Rng, type EventStream, type ProgressSink, type TrackMLEvent } from '@hypertrack/core';
import { eventPoints, reducedEventPoints, type EventPoints } from '@hypertrack/event';
import { EdgeBudgetError, edgeLabels, GraphBuilder, truthEdges, type LocalEdges, type VoxdynGraph, type VoxdynModel } from '@hypertrack/voxdyn';
import { resolveReconstructionConfig, type ReconstructionConfig, type ReconstructionSettings } from './config';
import { GnnMemoryError } from '@hypertrack/gnn';
import type { EdgeScorer } from './edge-scorer';

/** Every stage's output for one event, as plain arrays. */
export interface EventReconstruction extends EventPoints {
  readonly eventId: number;
  /** The Voxel-Dynamics graph: candidate edges sorted by (dst, src). */
  readonly graph: VoxdynGraph;
  /**
   * Per edge of `graph`: 1 when both hits are neighbours on one track under the model's topology
   * (hyper: same track); null when the event has no truth.
   */
  readonly edgeLabels: Uint8Array | null;
  /** The true edge list of eom / cricket topologies (null for hyper, where a label is "same track"). */
  readonly truthEdges: LocalEdges | null;
  /** Edge probabilities; null when the pipeline has no edge scorer (graph only). */
  readonly probabilities: Float32Array | null;
  /** Cluster per hit; null when clustering is "none" or there are no edge scores. */
  readonly clusters: ClusterResult | null;
  /** Milliseconds per stage. */
  readonly timing: { readonly assignMs: number; readonly edgesMs: number; readonly edgeScoresMs: number; readonly clusterMs: number };
}

/** What a reconstruction runs with besides its config. */
export interface ReconstructionStages {
  /** The Voxel-Dynamics model of the graph stage. */
  readonly vd: VoxdynModel;
  /** The edge stage (the GNN); absent: the pipeline stops after the graph. */
  readonly edgeScorer?: EdgeScorer;
  /** Clusterers by name (default: @hypertrack/cluster's, "cut"). The transformer, dbscan and hdbscan register here. */
  readonly clusterers?: Readonly<Record<string, ClusterAlgorithm>>;
}

export interface RunOptions {
  /** Called with every event's outputs, in event order (an evaluation, a writer). */
  readonly sink?: (event: EventReconstruction) => void | Promise<void>;
  /** Progress lines or bar on this sink; none when absent. */
  readonly progress?: ProgressSink;
}

/**
 * HyperTrack's reconstruction chain (reference 5.2) as a sequencer: pile-up reduction, the
 * Voxel-Dynamics graph, edge scores, clustering; one event at a time, every stage configured once
 * here and holding no state between events (event i's reduction draws from the stream (seed, i)).
 */
export class Reconstruction {
  readonly config: ReconstructionConfig;
  private readonly vd: VoxdynModel;
  private readonly builder: GraphBuilder;
  private readonly edgeScorer: EdgeScorer | null;
  private readonly clusterer: ClusterAlgorithm | null;
  private readonly seedStream: Rng;
  /** The transformer reads the GNN's per-hit latents besides the edge scores. */
  private readonly latentsWanted: boolean;

  constructor(stages: ReconstructionStages, settings: ReconstructionSettings = {}) {
    this.config = resolveReconstructionConfig(settings);
    const { graph, cluster, reduction } = this.config;
    this.vd = stages.vd;
    this.edgeScorer = stages.edgeScorer ?? null;
    this.clusterer = cluster.algorithm === 'none' ? null : selectClusterer(cluster.algorithm, stages.clusterers ?? builtInClusterers);
    this.seedStream = Rng.fromSeed(reduction.seed);
    this.builder = new GraphBuilder(stages.vd, { minCount: graph.minCount, maxEdges: graph.maxEdges, selfLoops: graph.selfLoops });
    this.latentsWanted = cluster.algorithm === 'transformer';
    if (this.latentsWanted && this.edgeScorer !== null && this.edgeScorer.scoreWithLatents === undefined) {
      throw new ConfigError('--cluster', `transformer reads the GNN's latents, which the edge stage (${this.edgeScorer.description}) does not give`);
    }
  }

  /** The Voxel-Dynamics model's topology and cell count, for headers and run records. */
  get graphModel(): Pick<VoxdynModel, 'node2node' | 'ncell' | 'stats'> {
    return this.vd;
  }

  /** The event's VD graph; one over the edge budget is an error naming the event and the settings. */
  private buildGraph(eventId: number, points: Float32Array): VoxdynGraph {
    try {
      return this.builder.build(points);
    } catch (error) {
      if (!(error instanceof EdgeBudgetError)) throw error;
      throw new HyperTrackError(
        `event ${eventId}: the voxdyn graph of ${error.hits.toLocaleString('en-US')} hits would have ${error.edges.toLocaleString('en-US')} edges, above the edge budget of ${error.maxEdges.toLocaleString('en-US')} (--max-edges, graph.maxEdges): raise it, raise graph.minCount (--min-count), lower the rfactor (reduction.rfactor) or use a VD model with more cells`,
      );
    }
  }

  /** One event through every stage. */
  async run(event: TrackMLEvent): Promise<EventReconstruction> {
    const { rfactor, noiseRatio } = this.config.reduction;
    const prepared =
      rfactor === undefined ? eventPoints(event) : reducedEventPoints(event, { rfactor, noiseRatio, rng: this.seedStream.split(event.eventId) });
    const { points, membership } = prepared;
    const graph = this.buildGraph(event.eventId, points);
    const hasTruth = prepared.event.truth !== undefined;
    // eom/cricket truth is built once for the labels and for the graph's metrics.
    const truth = !hasTruth || this.vd.node2node === 'hyper' ? null : truthEdges(this.vd.node2node, points, 3, membership);
    const labels = hasTruth ? edgeLabels(this.vd.node2node, graph, points, 3, membership, truth ?? undefined) : null;

    let probabilities: Float32Array | null = null;
    let latents: { latents: Float32Array; latentDim: number } | null = null;
    let edgeScoresMs = 0;
    if (this.edgeScorer !== null) {
      const t0 = performance.now();
      const scoring = { numHits: graph.numHits, points, src: graph.src, dst: graph.dst };
      try {
        if (this.latentsWanted && this.edgeScorer.scoreWithLatents !== undefined) {
          const scored = await this.edgeScorer.scoreWithLatents(scoring);
          probabilities = scored.probabilities;
          latents = { latents: scored.latents, latentDim: scored.latentDim };
        } else {
          probabilities = await this.edgeScorer.score(scoring);
        }
      } catch (error) {
        if (!(error instanceof GnnMemoryError)) throw error;
        throw new HyperTrackError(
          `event ${event.eventId}: ${error.message}: lower the rfactor (reduction.rfactor), raise graph.minCount, use a VD model with more cells, or cap graph.maxEdges`,
        );
      }
      edgeScoresMs = performance.now() - t0;
    }
    let clusters: ClusterResult | null = null;
    if (this.clusterer !== null && probabilities !== null) {
      const { threshold, minGraph } = this.config.cluster;
      // The transformer's graph also carries the hits' positions and latents; other clusterers ignore them.
      const clusterGraph = { numHits: graph.numHits, src: graph.src, dst: graph.dst, prob: probabilities, coords: points, ...latents };
      clusters = await this.clusterer.cluster(clusterGraph, { threshold, minGraph });
    }
    return {
      ...prepared,
      eventId: event.eventId,
      graph,
      edgeLabels: labels,
      truthEdges: truth,
      probabilities,
      clusters,
      timing: { assignMs: graph.timing.assignMs, edgesMs: graph.timing.edgesMs, edgeScoresMs, clusterMs: clusters?.stats.timeMs ?? 0 },
    };
  }

  /** Streams the events of `source` through `run`, in order, handing each result to the sink. */
  async runAll(source: EventStream, options: RunOptions = {}): Promise<number> {
    const count = source.eventIds.length;
    const progress = createProgress('reconstruct', count, { unit: 'events', silent: options.progress === undefined || count < 2, sink: options.progress });
    for (const eventId of source.eventIds) {
      const result = await this.run(await source.load(eventId));
      await options.sink?.(result);
      progress.tick();
    }
    progress.done();
    return count;
  }

  /** Releases the graph builder's threads and the edge scorer's model. */
  close(): void {
    this.builder.close();
    this.edgeScorer?.dispose();
  }
}

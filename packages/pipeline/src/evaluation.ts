import type { TrackMLEvent } from '@hypertrack/core';
import {
  doubleMajority,
  edgeSetMetrics,
  efficiencyEventOf,
  graphMetrics,
  hitMixing,
  observableEfficiency,
  ratesAtThreshold,
  rocAuc,
  rocAucWithoutSelfLoops,
  rocCurve,
  summarizeResults,
  sumTrackingPerformance,
  trackingPerformance,
  type DoubleMajorityResult,
  type EfficiencyEvent,
  type EfficiencyReport,
  type EventResults,
  type GraphMetrics,
  type HitMixing,
  type ResultsSummary,
  type RocCurve,
  type TrackingPerformance,
} from '@hypertrack/metrics';
import type { ReconstructionConfig } from './config';
import type { EventReconstruction } from './reconstruction';

/** One event's line of the results table (reference 5.2) with its sizes. */
export interface EventResultRow extends EventResults {
  readonly eventId: number;
  readonly hits: number;
  readonly edges: number;
  readonly clusters: number;
}

/** Everything a RunEvaluation holds: a shard's part of a run, continued by `RunEvaluation.fromStates`. */
export interface EvaluationState {
  readonly rows: readonly EventResultRow[];
  readonly graphRows: readonly GraphResultRow[];
  readonly display: RunEvaluation['display'];
  readonly majorities: readonly DoubleMajorityResult[];
  readonly efficiencyEvents: readonly EfficiencyEvent[];
  readonly trackingEvents: readonly TrackingPerformance[];
  readonly rocScores: readonly number[];
  readonly rocLabels: readonly number[];
}

/** One event's graph-constructor figures (`infer --pre-only`). */
export interface GraphResultRow {
  readonly eventId: number;
  readonly hits: number;
  readonly edges: number;
  readonly edgesPerHit: number;
  readonly tpr: number;
  readonly fpr: number;
  readonly purity: number;
  readonly assignMs: number;
  readonly edgesMs: number;
}

/** Efficiency and purity of the graph's edges against the event's true pairs. */
export function graphFigures(result: EventReconstruction, selfLoops: boolean): GraphMetrics {
  return result.truthEdges === null
    ? graphMetrics(result.graph, result.membership, { selfLoops })
    : edgeSetMetrics(result.graph, result.truthEdges, result.membership.length, { selfLoops });
}

/**
 * Scores reconstructed events against their truth, one at a time, and keeps what the run's
 * summary needs: the rows, the double-majority matches (hit mixing, efficiency per observable)
 * and the first `rocEdges` edge scores (the run's ROC curve).
 */
export class RunEvaluation {
  readonly rows: EventResultRow[] = [];
  readonly graphRows: GraphResultRow[] = [];
  /** The first event's hits (x, y, z interleaved) and its clusters, or its truth particles when it has none: the report's event display. */
  display: { eventId: number; points: Float32Array; labels: Int32Array; colouredBy: string } | null = null;
  private readonly majorities: DoubleMajorityResult[] = [];
  private readonly efficiencyEvents: EfficiencyEvent[] = [];
  private readonly trackingEvents: TrackingPerformance[] = [];
  private readonly rocScores: number[] = [];
  private readonly rocLabels: number[] = [];
  /** The edge cut as the clusterer applies it: in float32, like the probabilities. */
  private readonly threshold: number;

  constructor(readonly config: ReconstructionConfig) {
    this.threshold = Math.fround(config.cluster.threshold);
  }

  /** What the evaluation holds so far (plain data and typed arrays, for a shard's partial result). */
  state(): EvaluationState {
    const { rows, graphRows, display, majorities, efficiencyEvents, trackingEvents, rocScores, rocLabels } = this;
    return { rows, graphRows, display, majorities, efficiencyEvents, trackingEvents, rocScores, rocLabels };
  }

  /**
   * The evaluation of the shards' events together, in the order given (shard order: the order one
   * process takes the events in): everything as one RunEvaluation that saw every event would hold,
   * the ROC's first `rocEdges` edges and the event display of the first event included.
   */
  static fromStates(config: ReconstructionConfig, states: readonly EvaluationState[]): RunEvaluation {
    const merged = new RunEvaluation(config);
    for (const state of states) {
      merged.rows.push(...state.rows);
      merged.graphRows.push(...state.graphRows);
      merged.display ??= state.display;
      merged.majorities.push(...state.majorities);
      merged.efficiencyEvents.push(...state.efficiencyEvents);
      merged.trackingEvents.push(...state.trackingEvents);
      const room = Math.min(state.rocScores.length, Math.max(0, config.evaluation.rocEdges - merged.rocScores.length));
      for (let e = 0; e < room; e++) {
        merged.rocScores.push(state.rocScores[e]);
        merged.rocLabels.push(state.rocLabels[e]);
      }
    }
    return merged;
  }

  /** Scores one event (a `Reconstruction.runAll` sink). */
  add(result: EventReconstruction): void {
    const vd = graphFigures(result, this.config.graph.selfLoops);
    const { graph } = result;
    this.graphRows.push({
      eventId: result.eventId,
      hits: graph.numHits,
      edges: graph.numEdges,
      edgesPerHit: vd.edgesPerHit,
      tpr: vd.tpr,
      fpr: vd.fpr,
      purity: vd.purity,
      assignMs: result.timing.assignMs,
      edgesMs: result.timing.edgesMs,
    });
    this.display ??= { eventId: result.eventId, points: result.points, labels: result.clusters?.labels ?? result.membership, colouredBy: result.clusters ? 'reconstructed track' : 'truth particle' };
    if (result.probabilities === null) return;
    const edges = this.edgeFigures(result.probabilities, result.edgeLabels, graph);
    const tracks = result.clusters === null ? null : this.trackFigures(result.event, result.membership, result.clusters.labels);
    this.rows.push({
      eventId: result.eventId,
      hits: graph.numHits,
      edges: graph.numEdges,
      clusters: result.clusters?.stats.clusters ?? 0,
      vdTpr: vd.tpr,
      vdFpr: vd.fpr,
      ...edges,
      dms: tracks?.dms ?? NaN,
      efficiency: tracks?.efficiency ?? NaN,
      purity: tracks?.purity ?? NaN,
      timeVd: result.timing.assignMs + result.timing.edgesMs,
      timeGnn: result.timing.edgeScoresMs,
      // time_CC is the connected components, time_cluster the rest of the clusterer (reference 3.8):
      // all of cut's time is components; DBSCAN's is all clustering.
      timeCc: result.clusters?.stats.componentsMs ?? 0,
      timeCluster: result.timing.clusterMs - (result.clusters?.stats.componentsMs ?? 0),
    });
  }

  /**
   * The results row over the events: the physics columns over every event, the latencies without
   * the first event when there are several (the backend's warm-up makes it slow, not different).
   */
  summary(): ResultsSummary {
    return summarizeResults(this.rows, { timingWarmUp: this.rows.length > 1 ? 1 : 0 });
  }

  /** Efficiency for target particles and per detector region, fake and duplicate rates, over every event; null without clustering. */
  tracking(): TrackingPerformance | null {
    return this.trackingEvents.length === 0 ? null : sumTrackingPerformance(this.trackingEvents);
  }

  /** ROC curve of the first `rocEdges` edges of the run. */
  roc(maxPoints = 512): RocCurve {
    return rocCurve(Float32Array.from(this.rocScores), Uint8Array.from(this.rocLabels), { maxPoints });
  }

  /** Efficiency per observable (pT, eta, phi, ...) of the matched tracks; null without clustering. */
  efficiency(): EfficiencyReport | null {
    return this.majorities.length === 0 ? null : observableEfficiency(this.efficiencyEvents);
  }

  /** How clusters mix hits of several tracks; null without clustering. */
  hitMixing(): HitMixing | null {
    return this.majorities.length === 0 ? null : hitMixing(this.majorities);
  }

  private edgeFigures(probabilities: Float32Array, labels: Uint8Array | null, graph: { src: Int32Array; dst: Int32Array }) {
    if (labels === null) return { gnnTpr: NaN, gnnFpr: NaN, gnnAuc: NaN, gnnAucNoSelf: NaN };
    const rates = ratesAtThreshold(probabilities, labels, this.threshold, { inclusive: false });
    const both = hasBothClasses(labels);
    for (let e = 0; e < probabilities.length && this.rocScores.length < this.config.evaluation.rocEdges; e++) {
      this.rocScores.push(probabilities[e]);
      this.rocLabels.push(labels[e]);
    }
    return {
      gnnTpr: rates.tpr,
      gnnFpr: rates.fpr,
      gnnAuc: both ? rocAuc(probabilities, labels) : NaN,
      gnnAucNoSelf: both ? rocAucWithoutSelfLoops(probabilities, labels, graph.src, graph.dst) : NaN,
    };
  }

  private trackFigures(event: TrackMLEvent, membership: Int32Array, labels: Int32Array): DoubleMajorityResult | null {
    if (event.truth === undefined) return null;
    const match = doubleMajority(membership, labels, event.truth.weight, { hitsMin: this.config.evaluation.hitsMin });
    this.majorities.push(match);
    this.efficiencyEvents.push(efficiencyEventOf(event.particles, match));
    this.trackingEvents.push(trackingPerformance({ truthLabel: membership, match, particles: event.particles, volumeId: event.hits.volumeId }));
    return match;
  }
}

function hasBothClasses(labels: Uint8Array): boolean {
  let positives = 0;
  for (let e = 0; e < labels.length; e++) positives += labels[e];
  return positives > 0 && positives < labels.length;
}

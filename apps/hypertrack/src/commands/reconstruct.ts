import { join } from 'node:path';
import { ConfigError, createProgress, Rng, writeFileAtomic, type TrackMLEvent } from '@hypertrack/core';
import { clusterCut } from '@hypertrack/cluster';
import { loadEdgePredictor } from '@hypertrack/gnn';
import { reduceEvent } from '@hypertrack/io-arrow';
import {
  doubleMajority,
  efficiencyEventOf,
  formatResultsLatexRow,
  formatResultsTable,
  graphMetrics,
  edgeSetMetrics,
  hitMixing,
  observableEfficiency,
  ratesAtThreshold,
  rocAuc,
  rocAucWithoutSelfLoops,
  rocCurve,
  summarizeResults,
  type DoubleMajorityResult,
  type EfficiencyEvent,
  type EventResults,
} from '@hypertrack/metrics';
import { initBackend, type BackendName } from '@hypertrack/nn';
import { RUN_FILES, toRunJson } from '@hypertrack/report';
import { edgeLabels, GraphBuilder, truthEdges, type VoxdynModel } from '@hypertrack/voxdyn';
import { openEventSource } from '../event-source';
import { vdOverlapNote } from '../vd-overlap';
import type { CliIO } from '../io';
import { networkInput, pointsOf } from '../training-points';

/** The flags `infer` shares between --pre-only and the whole chain. */
export interface InferFlags {
  in: string;
  events?: string;
  rfactor?: number;
  noiseRatio: number;
  seed: number;
  minCount: number;
  maxEdges?: number;
  selfLoops: boolean;
  cluster: string;
  edgeThreshold: number;
  minGraph: number;
  hitsMin: number;
  backend?: BackendName;
  logdir?: string;
  progress: boolean;
}

export interface ReconstructOptions extends InferFlags {
  vdModel: VoxdynModel;
  vdModelPath: string;
  gnn: string;
}

interface EventRow extends EventResults {
  readonly eventId: number;
  readonly hits: number;
  readonly edges: number;
  readonly clusters: number;
}

/**
 * The whole chain on events (reference 5.2): reduction, Voxel-Dynamics graph, GNN edge
 * probabilities, clustering, then the results row of the paper (VD and GNN rates, AUC, DMS,
 * efficiency, purity, latency per stage). The first event is run but left out of the summary
 * (warm-up of the tensor backend), as the original does.
 */
export async function runReconstruction(options: ReconstructOptions, io: CliIO): Promise<void> {
  if (options.cluster !== 'cut' && options.cluster !== 'none') {
    throw new ConfigError('--cluster', `'${options.cluster}' is not built yet; use cut (connected components above --edge-threshold) or none`);
  }
  await initBackend({ prefer: options.backend, log: (line) => io.stderr.write(`${line}\n`) });
  const { model, meta, path } = await loadEdgePredictor(options.gnn);
  io.stderr.write(`GNN: ${path} (step ${meta.step}, ${model.parameterCount()} parameters)\n`);
  const vd = options.vdModel;
  const builder = new GraphBuilder(vd, { minCount: options.minCount, maxEdges: options.maxEdges, selfLoops: options.selfLoops });
  const source = await openEventSource(options.in, options.events);
  const overlap = vdOverlapNote(source.eventIds, vd.stats, options.vdModelPath);
  if (overlap !== null) io.stderr.write(overlap);
  const root = Rng.fromSeed(options.seed);
  const rows: EventRow[] = [];
  const majorities: DoubleMajorityResult[] = [];
  const efficiencyEvents: EfficiencyEvent[] = [];
  const allScores: number[] = [];
  const allLabels: number[] = [];
  const progress = createProgress('infer', source.eventIds.length, { unit: 'events', silent: !options.progress || source.eventIds.length < 2, sink: io.stderr });
  try {
    for (const eventId of source.eventIds) {
      let event: TrackMLEvent = await source.load(eventId);
      if (options.rfactor !== undefined) event = reduceEvent(event, { rfactor: options.rfactor, noiseRatio: options.noiseRatio, rng: root.split(eventId) }).event;
      const { points, membership } = pointsOf(event);
      const graph = builder.build(points);
      // eom/cricket truth is built once for both the VD metrics and the GNN's edge labels.
      const truth = vd.node2node === 'hyper' ? undefined : truthEdges(vd.node2node, points, 3, membership);
      const vdMetrics =
        truth === undefined
          ? graphMetrics(graph, membership, { selfLoops: options.selfLoops })
          : edgeSetMetrics(graph, truth, membership.length, { selfLoops: options.selfLoops });
      const labels = edgeLabels(vd.node2node, graph, points, 3, membership, truth);

      const input = networkInput(points, model.config);
      const t0 = performance.now();
      const { probabilities } = await model.predict({ numNodes: graph.numHits, ...input, src: graph.src, dst: graph.dst });
      const timeGnn = performance.now() - t0;
      const rates = ratesAtThreshold(probabilities, labels, options.edgeThreshold, { inclusive: false });
      const auc = hasBothClasses(labels) ? rocAuc(probabilities, labels) : NaN;
      const aucNoSelf = hasBothClasses(labels) ? rocAucWithoutSelfLoops(probabilities, labels, graph.src, graph.dst) : NaN;
      if (allScores.length < 200_000) {
        // The report's ROC uses the first 200k edges of the run.
        for (let e = 0; e < probabilities.length && allScores.length < 200_000; e++) {
          allScores.push(probabilities[e]);
          allLabels.push(labels[e]);
        }
      }

      let dms = NaN;
      let efficiency = NaN;
      let purity = NaN;
      let timeCc = 0;
      let clusters = 0;
      if (options.cluster === 'cut') {
        const { labels: reco, stats } = clusterCut({ numHits: graph.numHits, src: graph.src, dst: graph.dst, prob: probabilities }, { threshold: options.edgeThreshold, minGraph: options.minGraph });
        timeCc = stats.timeMs;
        clusters = stats.clusters;
        const dm = doubleMajority(membership, reco, event.truth?.weight, { hitsMin: options.hitsMin });
        majorities.push(dm);
        efficiencyEvents.push(efficiencyEventOf(event.particles, dm));
        ({ dms, efficiency, purity } = dm);
      }
      rows.push({
        eventId,
        hits: graph.numHits,
        edges: graph.numEdges,
        clusters,
        vdTpr: vdMetrics.tpr,
        vdFpr: vdMetrics.fpr,
        gnnTpr: rates.tpr,
        gnnFpr: rates.fpr,
        gnnAuc: auc,
        gnnAucNoSelf: aucNoSelf,
        dms,
        efficiency,
        purity,
        timeVd: graph.timing.assignMs + graph.timing.edgesMs,
        timeGnn,
        timeCc,
        timeCluster: 0,
      });
      progress.tick();
    }
  } finally {
    builder.close();
    model.dispose();
  }
  progress.done();
  const summary = summarizeResults(rows, { skipFirst: rows.length > 1 });
  io.stdout.write(formatEvents(rows));
  io.stdout.write(
    `results (${summary.events} event${summary.events === 1 ? '' : 's'}${rows.length > 1 ? ', first left out as warm-up' : ''}; VD ${vd.node2node} ncell ${vd.ncell}, cluster ${options.cluster}, edge threshold ${options.edgeThreshold}${options.rfactor !== undefined ? `, rfactor ${options.rfactor}` : ''}; times in ms):\n`,
  );
  io.stdout.write(formatResultsTable(summary));
  if (options.logdir) {
    const dir = options.logdir;
    await writeFileAtomic(join(dir, RUN_FILES.info), toRunJson({ command: 'hypertrack infer', events: options.in, vdModel: options.vdModelPath, gnn: path, cluster: options.cluster, edgeThreshold: options.edgeThreshold, rfactor: options.rfactor ?? 1 }));
    await writeFileAtomic(join(dir, RUN_FILES.results), toRunJson(summary));
    await writeFileAtomic(join(dir, 'results.log'), `${formatResultsTable(summary)}${formatResultsLatexRow(summary)}\n`);
    await writeFileAtomic(join(dir, 'infer', 'events.jsonl'), rows.map((r) => toRunJson(r, 0)).join('\n') + '\n');
    await writeFileAtomic(join(dir, RUN_FILES.roc, '1-gnn.json'), toRunJson({ name: 'GNN', curve: rocCurve(Float32Array.from(allScores), Uint8Array.from(allLabels), { maxPoints: 512 }) }));
    if (majorities.length > 0) {
      await writeFileAtomic(join(dir, RUN_FILES.events), rows.map((r) => toRunJson({ eventId: r.eventId, hits: r.hits, tracks: r.clusters, trackmlScore: null, dms: r.dms, efficiency: r.efficiency, purity: r.purity }, 0)).join('\n') + '\n');
      await writeFileAtomic(join(dir, RUN_FILES.efficiency), toRunJson(observableEfficiency(efficiencyEvents)));
      await writeFileAtomic(join(dir, RUN_FILES.hitMixing), toRunJson(hitMixing(majorities)));
    }
  }
}

function hasBothClasses(labels: Uint8Array): boolean {
  let positives = 0;
  for (let e = 0; e < labels.length; e++) positives += labels[e];
  return positives > 0 && positives < labels.length;
}

function formatEvents(rows: EventRow[]): string {
  const head = ['event', 'hits', 'edges', 'VD TPR', 'GNN AUC', 'noself', 'clusters', 'DMS', 'eff', 'pur', 'ms'];
  const widths = [8, 8, 10, 8, 9, 8, 9, 8, 8, 8, 9];
  const cell = (v: string, i: number) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]));
  const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const lines = [head.map(cell).join('')];
  for (const r of rows) {
    lines.push(
      [String(r.eventId), String(r.hits), String(r.edges), f(r.vdTpr, 4), f(r.gnnAuc, 4), f(r.gnnAucNoSelf, 4), String(r.clusters), f(r.dms, 4), f(r.efficiency, 4), f(r.purity, 4), f(r.timeVd + r.timeGnn + r.timeCc, 1)]
        .map(cell)
        .join(''),
    );
  }
  return `${lines.join('\n')}\n`;
}

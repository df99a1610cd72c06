import { join } from 'node:path';
import { Command } from 'commander';
import { ConfigError, createProgress, Rng, writeFileAtomic, type TrackMLEvent } from '@hypertrack/core';
import { reduceEvent } from '@hypertrack/io-arrow';
import { edgeSetMetrics, formatValueUncertainty, graphMetrics, meanStd, type GraphMetrics } from '@hypertrack/metrics';
import { GraphBuilder, loadModel, truthEdges } from '@hypertrack/voxdyn';
import { openEventSource } from '../event-source';
import { vdOverlapNote } from '../vd-overlap';
import type { CliIO } from '../io';
import { integerOption, numberOption } from '../options';
import { pointsOf } from '../training-points';
import { runReconstruction, type InferFlags } from './reconstruct';

interface InferOptions extends InferFlags {
  preOnly: boolean;
  model?: string;
  vdModel?: string;
  gnn?: string;
}

/** One event's graph-constructor figures, as printed and written to vd/events.jsonl. */
interface VdEventRow {
  eventId: number;
  hits: number;
  edges: number;
  edgesPerHit: number;
  tpr: number;
  fpr: number;
  purity: number;
  assignMs: number;
  edgesMs: number;
}

export function inferCommand(io: CliIO): Command {
  return new Command('infer')
    .description('reconstruct events: Voxel-Dynamics graph, GNN edge probabilities, clustering, and the results row (VD TPR/FPR, GNN TPR/FPR/AUC, DMS, efficiency, purity, latency per stage)')
    .option('--pre-only', 'run only the graph constructor and report its edge efficiency (TPR), FPR, purity, edges per hit and time', false)
    .option('--vd-model <file>', 'Voxel-Dynamics model written by pretrain-voxdyn')
    .option('--model <file>', 'the same as --vd-model')
    .option('--gnn <path>', 'GNN checkpoint folder (trainer.json + model.safetensors), or a folder of step-* checkpoints (the newest is used), e.g. <logdir>/checkpoints/<tag>')
    .option('--cluster <algo>', 'cut (connected components of edges above --edge-threshold) or none (edge metrics only)', 'cut')
    .option('--edge-threshold <t>', 'edge probability cut of the clustering and of GNN TPR/FPR', numberOption(0, 1), 0.55)
    .option('--min-graph <n>', 'components with fewer hits stay unclustered', integerOption(1), 4)
    .option('--hits-min <n>', 'truth tracks and clusters need this many hits to count (DMS, efficiency, purity)', integerOption(1), 4)
    .option('--backend <name>', 'tensor backend: node-gpu, node, wasm or cpu (default: the fastest installed)')
    .requiredOption('--in <path>', 'folder of TrackML CSV files or an Arrow store')
    .option('--events <ranges>', 'events to run, e.g. 8750-8850 (default: all)')
    .option('--rfactor <r>', 'keep this fraction of the tracks of each event (pile-up reduction, reference 1.4)', numberOption(1e-9, 1))
    .option('--noise-ratio <f>', 'with --rfactor: fraction of noise hits among the kept hits (negative: the event\'s own)', numberOption(-1, 1, { exclusiveMax: true }), 0.05)
    .option('--seed <s>', 'random seed of the pile-up reduction; event i uses the stream (seed, i)', integerOption(0), 1)
    .option('--min-count <n>', 'use only C-matrix entries seen in at least this many training tracks', integerOption(1), 1)
    .option('--max-edges <n>', 'edge budget per event: stop with a message instead of exhausting memory', integerOption(0, 2 ** 31 - 1))
    .option('--no-self-loops', 'leave out self-loops (i, i)')
    .option('--logdir <dir>', 'also write per-event figures to vd/events.jsonl in this run folder')
    .option('--no-progress', 'do not report progress')
    .action(async (options: InferOptions) => runInfer(options, io));
}

async function runInfer(options: InferOptions, io: CliIO): Promise<void> {
  const modelPath = options.vdModel ?? options.model;
  if (modelPath === undefined) throw new ConfigError('--vd-model', 'required: the Voxel-Dynamics model (pretrain-voxdyn)');
  const model = await loadModel(modelPath);
  if (!options.preOnly) {
    if (options.gnn === undefined) throw new ConfigError('--gnn', 'required without --pre-only: a GNN checkpoint (hypertrack train) or a shipped model folder');
    await runReconstruction({ ...options, vdModel: model, vdModelPath: modelPath, gnn: options.gnn }, io);
    return;
  }
  const builder = new GraphBuilder(model, { minCount: options.minCount, maxEdges: options.maxEdges, selfLoops: options.selfLoops });
  const source = await openEventSource(options.in, options.events);
  const overlap = vdOverlapNote(source.eventIds, model.stats, modelPath);
  if (overlap !== null) io.stderr.write(overlap);
  const root = Rng.fromSeed(options.seed);
  const rows: VdEventRow[] = [];
  const progress = createProgress('infer', source.eventIds.length, { unit: 'events', silent: !options.progress || source.eventIds.length < 2, sink: io.stderr });
  for (const eventId of source.eventIds) {
    let event: TrackMLEvent = await source.load(eventId);
    if (options.rfactor !== undefined) event = reduceEvent(event, { rfactor: options.rfactor, noiseRatio: options.noiseRatio, rng: root.split(eventId) }).event;
    const { points, membership } = pointsOf(event);
    const graph = builder.build(points);
    const metrics: GraphMetrics =
      model.node2node === 'hyper'
        ? graphMetrics(graph, membership, { selfLoops: options.selfLoops })
        : edgeSetMetrics(graph, truthEdges(model.node2node, points, 3, membership), membership.length, { selfLoops: options.selfLoops });
    rows.push({
      eventId,
      hits: graph.numHits,
      edges: graph.numEdges,
      edgesPerHit: metrics.edgesPerHit,
      tpr: metrics.tpr,
      fpr: metrics.fpr,
      purity: metrics.purity,
      assignMs: graph.timing.assignMs,
      edgesMs: graph.timing.edgesMs,
    });
    progress.tick();
  }
  progress.done();
  io.stdout.write(formatRows(rows, model.node2node, model.ncell));
  if (options.logdir) await writeFileAtomic(join(options.logdir, 'vd', 'events.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

const COLUMNS: Array<[keyof VdEventRow, string, number, (v: number) => string]> = [
  ['hits', 'hits', 8, (v) => v.toFixed(0)],
  ['edges', 'edges', 11, (v) => v.toFixed(0)],
  ['edgesPerHit', 'edges/hit', 10, (v) => v.toFixed(1)],
  ['tpr', 'TPR', 9, (v) => v.toFixed(4)],
  ['fpr', 'FPR', 11, (v) => v.toExponential(2)],
  ['purity', 'purity', 9, (v) => v.toFixed(4)],
  ['assignMs', 'cells ms', 9, (v) => v.toFixed(1)],
  ['edgesMs', 'edges ms', 9, (v) => v.toFixed(1)],
];

function formatRows(rows: VdEventRow[], node2node: string, ncell: number): string {
  const lines = [`Voxel-Dynamics graph constructor: node2node ${node2node}, ncell ${ncell}`];
  lines.push(`${'event'.padEnd(10)}${COLUMNS.map(([, h, w]) => h.padStart(w)).join('')}`);
  for (const r of rows) lines.push(`${String(r.eventId).padEnd(10)}${COLUMNS.map(([k, , w, f]) => f(r[k]).padStart(w)).join('')}`);
  const summary = (['tpr', 'fpr', 'purity', 'edgesPerHit'] as const).map((k) => {
    const { mean, std } = meanStd(rows.map((r) => r[k]));
    return `${k} ${rows.length > 1 ? formatValueUncertainty(mean, std) : mean.toPrecision(4)}`;
  });
  const time = meanStd(rows.map((r) => r.assignMs + r.edgesMs));
  lines.push(`overall (${rows.length} event${rows.length === 1 ? '' : 's'}, mean(std)): ${summary.join(', ')}, time ${time.mean.toFixed(1)} ms per event`);
  return `${lines.join('\n')}\n`;
}

import { clusterers } from '@hypertrack/cluster';
import { Command, Option } from 'commander';
import { ConfigError, parseShard, shardSlice } from '@hypertrack/core';
import { loadEdgePredictor } from '@hypertrack/gnn';
import { openEvents } from '@hypertrack/io-arrow';
import { formatResultsLatexRow, formatResultsTable } from '@hypertrack/metrics';
import { BACKEND_ORDER, initBackend, type BackendName } from '@hypertrack/nn';
import { formatEventRows, formatGraphRows, gnnEdgeScorer, loadTransformer, loadTune, transformerStage, mergeReconstructionSettings, RECONSTRUCTION_DEFAULTS, tuneReconstructionSettings, Reconstruction, RunEvaluation, vdOverlapNote, writeInferShard } from '@hypertrack/pipeline';
import type { EdgeScorer, InferRun, LoadedTransformer, ReconstructionSettings } from '@hypertrack/pipeline';
import { RUN_FILES, RunFolderWriter } from '@hypertrack/report';
import { loadModel } from '@hypertrack/voxdyn';
import type { CliIO } from '../io';
import { integerOption, numberOption } from '../options';

interface InferOptions {
  config?: string;
  set: string[];
  in: string;
  events?: string;
  preOnly: boolean;
  model?: string;
  vdModel?: string;
  gnn?: string;
  transformer?: string;
  rfactor?: number;
  noiseRatio?: number;
  seed?: number;
  minCount?: number;
  maxEdges?: number;
  selfLoops?: boolean;
  cluster?: string;
  edgeThreshold?: number;
  minGraph?: number;
  hitsMin?: number;
  backend?: BackendName;
  logdir?: string;
  shard?: string;
  progress: boolean;
}

const D = RECONSTRUCTION_DEFAULTS;

export function inferCommand(io: CliIO): Command {
  return new Command('infer')
    .description('reconstruct events: Voxel-Dynamics graph, GNN edge probabilities, clustering, and the results row (VD TPR/FPR, GNN TPR/FPR/AUC, DMS, efficiency, purity, latency per stage)')
    .option('--config <file>', 'tune file (YAML or JSON, as for train): its cluster section sets the edge threshold and min graph; flags go over it')
    .option('--set <key=value>', 'override one tune key, e.g. --set cluster.edgeThreshold=0.7 (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--pre-only', 'run only the graph constructor and report its edge efficiency (TPR), FPR, purity, edges per hit and time', false)
    .option('--vd-model <file>', 'Voxel-Dynamics model written by pretrain-voxdyn')
    .option('--model <file>', 'the same as --vd-model')
    .option('--gnn <path>', 'GNN checkpoint folder (trainer.json + model.safetensors), or a folder of step-* checkpoints (the newest is used), e.g. <logdir>/checkpoints/<tag>')
    .option('--transformer <path>', 'with --cluster transformer: the training checkpoint holding the transformer (default: the --gnn checkpoint)')
    .option('--cluster <algo>', `cut (connected components of edges above --edge-threshold), dbscan (eps 0.2, min samples 3 on 1 - p of those edges), hdbscan (EOM, min cluster size 4, min samples 2), transformer (the trained Set-Transformer extracts one track at a time from each component) or none (edge metrics only) (default: "${D.cluster.algorithm}")`)
    .option('--edge-threshold <t>', `edge probability cut of the clustering and of GNN TPR/FPR (default: ${D.cluster.threshold})`, numberOption(0, 1))
    .option('--min-graph <n>', `components with fewer hits stay unclustered (default: ${D.cluster.minGraph})`, integerOption(1))
    .option('--hits-min <n>', `truth tracks and clusters need this many hits to count (DMS, efficiency, purity) (default: ${D.evaluation.hitsMin})`, integerOption(1))
    .addOption(new Option('--backend <name>', 'tensor backend (default: the fastest installed)').choices(BACKEND_ORDER))
    .requiredOption('--in <path>', 'folder of TrackML CSV files or an Arrow store')
    .option('--events <ranges>', 'events to run, e.g. 8750-8850 (default: all)')
    .option('--rfactor <r>', 'keep this fraction of the tracks of each event (pile-up reduction, reference 1.4)', numberOption(1e-9, 1))
    .option('--noise-ratio <f>', `with --rfactor: fraction of noise hits among the kept hits (negative: the event's own) (default: ${D.reduction.noiseRatio})`, numberOption(-1, 1, { exclusiveMax: true }))
    .option('--seed <s>', `random seed of the pile-up reduction; event i uses the stream (seed, i) (default: ${D.reduction.seed})`, integerOption(0))
    .option('--min-count <n>', `use only C-matrix entries seen in at least this many training tracks (default: ${D.graph.minCount})`, integerOption(1))
    .option('--max-edges <n>', 'edge budget per event: stop with a message instead of exhausting memory', integerOption(0, 2 ** 31 - 1))
    .option('--no-self-loops', 'leave out self-loops (i, i)')
    .option('--logdir <dir>', 'write the run files (results, per-event rows, ROC, efficiency; vd/events.jsonl with --pre-only) to this run folder')
    .option('--shard <i/n>', 'run shard i of n of the events only, into <logdir>/shard-<i>-of-<n>; `hypertrack merge` makes the run folder of them all')
    .option('--no-progress', 'do not report progress')
    .action(async (options: InferOptions) => runInfer(options, io));
}

/** The flags as pipeline settings: what is not given comes from the pipeline's defaults. */
function settingsOf(o: InferOptions): ReconstructionSettings {
  return {
    reduction: { rfactor: o.rfactor, noiseRatio: o.noiseRatio, seed: o.seed },
    graph: { minCount: o.minCount, maxEdges: o.maxEdges, selfLoops: o.selfLoops },
    cluster: { algorithm: o.cluster, threshold: o.edgeThreshold, minGraph: o.minGraph },
    evaluation: { hitsMin: o.hitsMin },
  };
}

async function runInfer(options: InferOptions, io: CliIO): Promise<void> {
  const vdPath = options.vdModel ?? options.model;
  if (vdPath === undefined) throw new ConfigError('--vd-model', 'required: the Voxel-Dynamics model (pretrain-voxdyn)');
  if (!options.preOnly && options.gnn === undefined) throw new ConfigError('--gnn', 'required without --pre-only: a GNN checkpoint (hypertrack train) or a shipped model folder');
  const fromTune = options.config === undefined && options.set.length === 0 ? {} : tuneReconstructionSettings(await loadTune(options.config, options.set));
  const settings = mergeReconstructionSettings(fromTune, settingsOf(options));
  const algorithm = settings.cluster?.algorithm;
  const available = [...Object.keys(clusterers), 'transformer', 'none'];
  if (algorithm !== undefined && !available.includes(algorithm)) throw new ConfigError('--cluster', `'${algorithm}' is not available; choose one of ${available.join(', ')}`);
  if (options.transformer !== undefined && algorithm !== 'transformer') throw new ConfigError('--transformer', 'needs --cluster transformer');
  if (algorithm === 'transformer' && options.preOnly) throw new ConfigError('--cluster', 'transformer needs the GNN; leave out --pre-only');
  const vd = await loadModel(vdPath);
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  if (shard !== undefined && options.logdir === undefined) throw new ConfigError('--shard', 'needs --logdir: the shard writes <logdir>/shard-<i>-of-<n>');
  const opened = await openEvents(options.in, { events: options.events, eventsKey: '--events' });
  const source = shard === undefined ? opened : { ...opened, eventIds: shardSlice(opened.eventIds, shard) };
  const overlap = vdOverlapNote(source.eventIds, vd.stats, vdPath);
  if (overlap !== null) io.stderr.write(overlap);

  let edgeScorer: EdgeScorer | undefined;
  let gnnPath: string | undefined;
  let transformer: LoadedTransformer | undefined;
  if (!options.preOnly && options.gnn !== undefined) {
    await initBackend({ prefer: options.backend, log: (line) => io.stderr.write(`${line}\n`) });
    const { model, meta, path } = await loadEdgePredictor(options.gnn);
    io.stderr.write(`GNN: ${path} (step ${meta.step}, ${model.parameterCount()} parameters)\n`);
    edgeScorer = gnnEdgeScorer(model, `${path} (step ${meta.step})`);
    gnnPath = path;
    if (algorithm === 'transformer') {
      transformer = await loadTransformer(options.transformer ?? path);
      io.stderr.write(`transformer: ${transformer.path} (step ${transformer.step}, ${transformer.model.parameterCount()} parameters)\n`);
    }
  }
  const stages = { vd, edgeScorer, clusterers: transformer === undefined ? undefined : { ...clusterers, transformer: transformerStage(transformer) } };
  const reconstruction = new Reconstruction(stages, settings);
  const evaluation = new RunEvaluation(reconstruction.config);
  try {
    await reconstruction.runAll(source, { sink: (event) => evaluation.add(event), progress: options.progress ? io.stderr : undefined });
  } finally {
    reconstruction.close();
    transformer?.model.dispose();
  }
  const run: InferRun = { input: options.in, events: options.events ?? 'all', vdModel: vdPath, node2node: vd.node2node, ncell: vd.ncell, gnn: gnnPath ?? null, transformer: transformer?.path ?? null, config: reconstruction.config };
  if (shard !== undefined && options.logdir !== undefined) {
    const partial = await writeInferShard(options.logdir, shard, { ids: source.eventIds, all: opened.eventIds }, evaluation, run);
    io.stdout.write(`shard ${shard.index}/${shard.count}: ${partial.eventIds.length} events written; merge the shards with: hypertrack merge ${options.logdir} --out DIR\n`);
  } else await reportInferRun(evaluation, run, io, options.logdir);
}

/** Prints an inference run's rows and results row, and writes its run folder (infer, and merge of infer shards). */
export async function reportInferRun(evaluation: RunEvaluation, run: InferRun, io: CliIO, logdir: string | undefined): Promise<void> {
  const writer = logdir === undefined ? null : new RunFolderWriter(logdir);
  if (run.gnn === null) {
    io.stdout.write(formatGraphRows(evaluation.graphRows, run.node2node, run.ncell));
    await writer?.jsonLines(RUN_FILES.graphEvents, evaluation.graphRows);
    return;
  }
  const config = run.config;
  const summary = evaluation.summary();
  const rows = evaluation.rows;
  io.stdout.write(formatEventRows(rows));
  const warmUp = summary.timingWarmUp ?? 0;
  const heading = `results (${summary.events} event${summary.events === 1 ? '' : 's'}${warmUp > 0 ? `; times without the first ${warmUp === 1 ? 'one' : warmUp} (warm-up)` : ''}; VD ${run.node2node} ncell ${run.ncell}, cluster ${config.cluster.algorithm}, edge threshold ${config.cluster.threshold}${config.reduction.rfactor !== undefined ? `, rfactor ${config.reduction.rfactor}` : ''}; times in ms):\n`;
  io.stdout.write(heading);
  io.stdout.write(formatResultsTable(summary));
  if (writer === null) return;
  await writer.info({ command: 'hypertrack infer', events: run.input, vdModel: run.vdModel, gnn: run.gnn, ...(run.transformer === null ? {} : { transformer: run.transformer }), cluster: config.cluster.algorithm, edgeThreshold: config.cluster.threshold, rfactor: config.reduction.rfactor ?? 1 });
  await writer.results(summary, `${heading}${formatResultsTable(summary)}${formatResultsLatexRow(summary)}\n`);
  await writer.jsonLines(RUN_FILES.inferEvents, rows);
  await writer.roc('1-gnn', 'GNN', evaluation.roc());
  if (evaluation.display) await writer.eventDisplay(evaluation.display);
  const efficiency = evaluation.efficiency();
  const mixing = evaluation.hitMixing();
  const tracking = evaluation.tracking();
  if (efficiency !== null && mixing !== null && tracking !== null) {
    await writer.scoreEvents(rows.map((r) => ({ eventId: r.eventId, hits: r.hits, tracks: r.clusters, trackmlScore: null, dms: r.dms, efficiency: r.efficiency, purity: r.purity })));
    await writer.efficiency(efficiency);
    await writer.hitMixing(mixing);
    await writer.tracking(tracking);
  }
}

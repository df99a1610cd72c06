import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, createProgress, Rng, withStopSignals, type FolderLock } from '@hypertrack/core';
import { EdgePredictor, GnnTrainer, HIT_FEATURES, fit, formatStepSummary, type FitResult, type StepRecord } from '@hypertrack/gnn';
import { BACKEND_ORDER, initBackend, type BackendName } from '@hypertrack/nn';
import { applyOverride, checkStartFlags, defaultRunFolder, loadRecipe, loadTune, openTrainingRun, runRecipe, trainingEvents, tuneForGraph, tuneWithFlags, TUNE5, type Tune } from '@hypertrack/pipeline';
import { RunFolderWriter, TrainingLog } from '@hypertrack/report';
import { GraphBuilder, loadModel } from '@hypertrack/voxdyn';
import type { CliIO } from '../io';
import { StoppedBySignal } from '../failure';
import { integerOption, numberOption } from '../options';

/** The flags, a line per group of `train --help`. */
interface TrainOptions {
  config?: string; set: string[];
  in: string; events?: string; valEvents?: string; vdModel?: string; node2node?: string; ncell?: number; hitFeatures?: string; maxEdges?: number; memoryBudget?: number; allowVdOverlap: boolean;
  logdir?: string; checkpoint?: string; resume?: string; saveEvery?: number; saveTag: string; transferTag?: string; epoch?: number; softReset: boolean; savePeriod: number; allowChanges: boolean;
  cluster: string; aucThreshold?: number;
  seed?: number; randomizedSeed: boolean; iterations?: number; timeLimit?: number; validate: boolean; validateEvery: number; printEvery: number; profile: boolean; debug: boolean; progress: boolean;
  backend?: BackendName; workers: number; singleWorker: boolean;
  optimizer?: string; learningRate?: number; schedulerType?: string; schedulerPeriod?: number; weightDecayW?: number; weightDecayB?: number; epsilon?: number; maxGradNorm?: number; batchSize?: number;
  rfactorStart?: number; rfactorEnd?: number; noiseRatio?: number; period?: number;
}

export function trainCommand(io: CliIO): Command {
  return new Command('train')
    .description('train the GNN edge predictor on events through the Voxel-Dynamics graph (reference section 4), and with --cluster transformer the transformer end to end after the AUC switch')
    .optionsGroup('Configuration:')
    .option('--config <file>', 'tune file (YAML or JSON) over the tune-5 defaults, e.g. configs/tune-5.json; unknown keys are refused')
    .option('--set <key=value>', 'override one tune key after the file, e.g. --set training.learningRate=0.001 (repeatable; the value is read as YAML)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .optionsGroup('Events and graph:')
    .requiredOption('--in <path>', 'training events: a folder of TrackML CSV files or an Arrow store')
    .option('--events <ranges>', 'training events, e.g. 20-99 (default: all of --in except --val-events); events that also trained the VD model are refused: on those its graph holds every true pair (TPR 1), unlike on new events')
    .option('--val-events <ranges>', 'validation events, e.g. 80-99')
    .option('--allow-vd-overlap', 'train or validate on events that also trained the VD model (refused by default, when the model file records its events)', false)
    .option('--vd-model <file>', 'Voxel-Dynamics model (pretrain-voxdyn), required unless each stage of a recipe names its own; it sets node2node and ncell (--node2node or --ncell flags that contradict it are an error)')
    .option('--rfactor-start <r>', `pile-up fraction range start (mu = 200 r) (tune data.rfactorStart; tune-5: ${String(TUNE5.data.rfactorStart)})`, numberOption(1e-6, 1))
    .option('--rfactor-end <r>', `pile-up fraction range end (tune data.rfactorEnd; tune-5: ${String(TUNE5.data.rfactorEnd)})`, numberOption(1e-6, 1))
    .option('--noise-ratio <f>', `noise fraction of the reduced events (tune data.noiseRatio; tune-5: ${String(TUNE5.data.noiseRatio)})`, numberOption(-1, 1, { exclusiveMax: true }))
    .option('--period <p>', `probability of switching to a new event each iteration (tune data.period; tune-5: ${String(TUNE5.data.period)})`, numberOption(0, 1))
    .option('--node2node <mode>', 'truth topology: hyper, eom or cricket (must match --vd-model)')
    .option('--ncell <n>', 'Voronoi cells (must match --vd-model)', integerOption(1))
    .option('--max-edges <n>', 'cap on the edges of a training event; larger graphs are redrawn (default: none, --memory-budget decides)', integerOption(1))
    .option('--memory-budget <GiB>', 'memory one training step may use, estimated from the edges and the model widths before allocating; larger graphs are redrawn (default: the wasm heap, 4 GiB; 80% of RAM on other backends)', numberOption(0.01, 1e6))
    .optionsGroup('Run folder and checkpoints:')
    .option('--logdir <dir>', 'run folder: config.json, metrics.jsonl, checkpoints/<save-tag>/, tensorboard/ (scalars for `tensorboard --logdir <dir>`) (default: logs/<YYYY_MMDD_HHMM_SS>_<config name>; give it again to resume)')
    .option('--save-tag <tag>', 'checkpoints go to <logdir>/checkpoints/<tag>', 'default')
    .option('--transfer-tag <tag>', 'start from the newest checkpoint of this tag (or checkpoint folder path), e.g. a lower pile-up stage')
    .option('--epoch <n>', 'default: resume from the newest checkpoint of --save-tag if there is one, else start fresh; 0: a fresh start (refused over checkpoints); -1: the newest checkpoint (refused without one); n: from step n', integerOption(-1))
    .option('--soft-reset', 'when resuming or transferring, load only the weights (fresh optimizer and schedule)', false)
    .option('--checkpoint <path>', 'start from the weights of this checkpoint (a step folder, or a folder of them: the newest) with a fresh optimizer, schedule and step count')
    .option('--resume <path>', 'go on from this checkpoint with its whole state: weights, optimizer, schedule, step, the current events and the transformer phase')
    .option('--allow-changes', 'resume a run with settings that differ from its config.json (refused by default, naming them; the old config is kept as config-before-step-<n>.json)', false)
    .option('--save-period <seconds>', 'seconds between checkpoints (one is always written at the end)', numberOption(0, 1e9), 1200)
    .option('--save-every <n>', 'also write a checkpoint every n steps', integerOption(1))
    .optionsGroup('Length, seeds and validation:')
    .option('--iterations <n>', 'stop when this many optimisation steps are done (counting resumed ones)', integerOption(1))
    .option('--time-limit <seconds>', 'stop after this much wall time (a checkpoint is written)', numberOption(0, 1e9))
    .option('--seed <s>', 'random seed: iteration t draws everything from the stream (seed, t) (default: 12345)', integerOption(0))
    .option('--randomized-seed', 'draw the seed at random in 0-10000 (printed, and stored in config.json to reproduce the run with --seed)', false)
    .option('--validate', 'evaluate one validation event per iteration (val_edge_auc in metrics.jsonl)', false)
    .option('--validate-every <n>', 'with --validate, evaluate on every n-th iteration only (a mu = 20 evaluation costs about half a training step)', integerOption(1), 1)
    .optionsGroup('Optimisation (tune section training):')
    .option('--optimizer <name>', `AdamW, Adam or SGD (tune training.optimizer; tune-5: ${String(TUNE5.training.optimizer)})`)
    .option('--learning-rate <lr>', `learning rate (tune training.learningRate; tune-5: ${String(TUNE5.training.learningRate)})`, numberOption(0, 10))
    .option('--scheduler-type <name>', `warm-cos, cos, exp, step or constant (tune training.scheduler; tune-5: ${String(TUNE5.training.scheduler)})`)
    .option('--scheduler-period <n>', `scheduler period in iterations (tune training.schedulerPeriod; tune-5: ${String(TUNE5.training.schedulerPeriod)})`, integerOption(1))
    .option('--weight-decay-w <wd>', `AdamW decay of weights (tune training.weightDecayW; tune-5: ${String(TUNE5.training.weightDecayW)})`, numberOption(0, 1))
    .option('--weight-decay-b <wd>', `AdamW decay of biases and LayerNorm (tune training.weightDecayB; tune-5: ${String(TUNE5.training.weightDecayB)})`, numberOption(0, 1))
    .option('--epsilon <eps>', `optimizer epsilon (tune training.epsilon; tune-5: ${String(TUNE5.training.epsilon)})`, numberOption(0, 1))
    .option('--max-grad-norm <n>', `gradient clipping (global L2 norm) (tune training.maxGradNorm; tune-5: ${String(TUNE5.training.maxGradNorm)})`, numberOption(0, 1e9))
    .option('--batch-size <n>', `events per optimisation step (tune data.batchSize; tune-5: ${String(TUNE5.data.batchSize)})`, integerOption(1))
    .optionsGroup('Model:')
    .option('--hit-features <kind>', `GNN input per hit: ${HIT_FEATURES.join(' or ')} (tune-5: xyz; sets model.hitFeatures and coordDim)`)
    .optionsGroup('Transformer:')
    .option('--cluster <algo>', 'clustering during training: none (edge losses only) or transformer (the transformer joins once the training edge AUC passes --auc-threshold, and trains end to end with the GNN)', 'none')
    .option('--auc-threshold <auc>', 'with --cluster transformer: the training edge AUC that switches the transformer on, with a fresh optimizer and schedule (default: the tune\'s transformer.aucThreshold, 0.998)', numberOption(0, 1))
    .optionsGroup('Hardware and output:')
    .addOption(new Option('--backend <name>', 'tensor backend (default: the fastest installed)').choices(BACKEND_ORDER))
    .option('--workers <n>', 'worker threads computing event gradients in parallel (one backend each; use with --batch-size n on n cores); 0 = the main thread', integerOption(0, 64), 0)
    .option('--single-worker', 'compute every gradient on the main thread (the same as --workers 0)', false)
    .option('--print-every <n>', 'print a summary line every n iterations', integerOption(1), 50)
    .option('--debug', 'a tiny run with extra checks: 3 steps unless --iterations says, validation and a summary every step, every step checked for leaked tensors and non-finite metrics; no TensorBoard files', false)
    .option('--profile', 'time every stage of every iteration (data, graph, forward, losses, transformer, backward, optimizer, validation) and the memory: <logdir>/profile/trace.json for Perfetto or chrome://tracing, and the top stages printed at the end', false)
    .option('--no-progress', 'do not report progress')
    .action(async (options: TrainOptions) => runTrain(options, io));
}



/**
 * SIGINT and SIGTERM are caught from the first moment: the run stops after its current step,
 * writes a checkpoint and exits with 130 or 143; a second signal exits at once (checkpoints and
 * metrics lines are written whole or not at all, so nothing is corrupted).
 */
async function runTrain(options: TrainOptions, io: CliIO): Promise<void> {
  // One trainer per run folder: trainUntilStopped takes the lock once the flags are checked.
  const held: FolderLock[] = [];
  const hold = (lock: FolderLock) => held.push(lock);
  const { stoppedBy } = await withStopSignals(
    async (signal) => {
      try {
        const recipe = options.config === undefined ? null : await loadRecipe(options.config);
        if (recipe === null) return await trainUntilStopped(options, io, signal, hold);
        const { transferTag, epoch, iterations, timeLimit, checkpoint, resume } = options;
        await runRecipe(recipe, {
          logdir: options.logdir,
          startFlags: { '--transfer-tag': transferTag, '--epoch': epoch, '--iterations': iterations, '--time-limit': timeLimit, '--checkpoint': checkpoint, '--resume': resume },
          saveTag: options.saveTag,
          validate: options.validate,
          hold,
          print: (line) => io.stdout.write(`${line}\n`),
          runStage: ({ stage, logdir, transferFrom, iterations: until }) =>
            trainUntilStopped({ ...options, logdir, config: undefined, vdModel: stage.vdModel ?? options.vdModel, transferTag: transferFrom, iterations: until, timeLimit: stage.timeLimit }, io, signal, hold, {
              tune: stage.tune,
              valAucGoal: stage.valAucGoal,
            }),
        });
      } finally {
        for (const lock of held) lock.release();
      }
    },
    (signal) => io.stderr.write(`${signal}: stopping after this step and writing a checkpoint (${signal === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again exits at once)\n`),
    (signal) => {
      io.stderr.write(`${signal} again: exiting now; the same command resumes from the last checkpoint\n`);
      process.exit(new StoppedBySignal(signal).exitCode);
    },
  );
  if (stoppedBy !== null) throw new StoppedBySignal(stoppedBy);
}

async function trainUntilStopped(given: TrainOptions, io: CliIO, signal: AbortSignal, hold: (lock: FolderLock) => void, stage?: { tune: Tune; valAucGoal?: number }): Promise<FitResult> {
  if (given.randomizedSeed && given.seed !== undefined) throw new ConfigError('--randomized-seed', 'draws the seed: leave out --seed');
  const seed = given.randomizedSeed ? randomInt(0, 10_001) : (given.seed ?? 12345);
  if (given.randomizedSeed) io.stdout.write(`seed ${seed} (randomized; reproduce the run with --seed ${seed})\n`);
  if (given.vdModel === undefined) throw new ConfigError('--vd-model', 'required: the Voxel-Dynamics model the graphs are built with (pretrain-voxdyn)');
  checkStartFlags(given);
  const logdir = given.logdir ?? defaultRunFolder(given.config, given.debug ? 'debug_' : '');
  if (given.logdir === undefined) io.stdout.write(`run folder: ${logdir} (give --logdir ${logdir} to resume it)\n`);
  const debug = given.debug ? { iterations: given.iterations ?? 3, validate: given.valEvents !== undefined, printEvery: 1 } : {};
  const options = { ...given, ...debug, seed, vdModel: given.vdModel, logdir };
  const why = `'${options.cluster}' does not train: choose none (the edge predictor alone) or transformer; cut, dbscan and hdbscan have nothing to learn (use them at inference, infer --cluster ${options.cluster})`;
  if (options.cluster !== 'none' && options.cluster !== 'transformer') throw new ConfigError('--cluster', why);
  if (options.cluster !== 'transformer' && options.aucThreshold !== undefined) throw new ConfigError('--auc-threshold', 'needs --cluster transformer');
  const config = tuneWithFlags(stage === undefined ? await loadTune(options.config, options.set) : options.set.reduce(applyOverride, stage.tune), options);
  const backend = await initBackend({ prefer: options.backend, log: (line) => io.stderr.write(`${line}\n`) });

  const vd = await loadModel(options.vdModel);
  const note = (line: string) => io.stderr.write(`${line}\n`);
  const resolved = tuneForGraph(config, vd, options.vdModel, options, note);
  const data = resolved.data;
  const builder = new GraphBuilder(vd, {});
  const { source, trainIds, valIds } = await trainingEvents(options.in, options, vd, options.vdModel);
  if (!options.validate && options.validateEvery !== 1) throw new ConfigError('--validate-every', 'needs --validate');

  const model = new EdgePredictor(resolved.model, Rng.fromSeed(options.seed).split('init').nextUint32());
  const trainer = new GnnTrainer(model, resolved.training);
  if (options.singleWorker && options.workers > 0) throw new ConfigError('--single-worker', 'contradicts --workers; give one of them');
  if (options.workers > 0) {
    await trainer.useWorkers(options.workers, backend.name);
    io.stderr.write(`gradients on ${options.workers} worker thread${options.workers === 1 ? '' : 's'} (${backend.name} each)\n`);
  }
  const tagDir = join(options.logdir, 'checkpoints', options.saveTag);
  const runConfig = { ...resolved, seed: options.seed, backend: backend.name, vdModel: options.vdModel };
  const { from, state, phase } = await openTrainingRun(trainer, resolved, runConfig, { ...options, cluster: options.cluster as 'none' | 'transformer' }, hold, note);
  await new RunFolderWriter(options.logdir).keepMetricsBefore(trainer.step);

  // A run bounded only by --time-limit fills its bar with time; one bounded by neither has no
  // end to show and prints its summary lines alone.
  // Counting only this run's steps keeps the rate and ETA true after a resume.
  const resumedAt = trainer.step;
  const target = options.iterations ?? Infinity;
  const progress = createProgress(resumedAt > 0 ? `train (from step ${resumedAt})` : 'train', Number.isFinite(target) ? Math.max(0, target - resumedAt) : 0, {
    unit: 'steps',
    silent: !options.progress || (!Number.isFinite(target) && options.timeLimit === undefined),
    sink: io.stderr,
    timeBudgetSeconds: options.timeLimit,
  });
  let recent: StepRecord[] = [];
  // A resumed run starts its own event file, whose first event tells TensorBoard to drop what the
  // stopped run logged after this step.
  const log = new TrainingLog(options.logdir, { tensorboard: !options.debug, profile: options.profile, resumeStep: from === null ? undefined : trainer.step });
  try {
    const result = await fit({
      trainer,
      data,
      builder,
      events: source,
      trainIds,
      validation: options.validate ? { ids: valIds, every: options.validateEvery } : undefined,
      state,
      maxEdges: options.maxEdges,
      maxEdgesKey: '--max-edges',
      memoryBudget: options.memoryBudget === undefined ? undefined : options.memoryBudget * 2 ** 30,
      memoryBudgetKey: '--memory-budget',
      iterations: options.iterations,
      timeLimitSeconds: options.timeLimit,
      goal: stage?.valAucGoal === undefined ? undefined : (metrics) => typeof metrics.val_edge_auc === 'number' && metrics.val_edge_auc >= (stage.valAucGoal as number),
      signal,
      checkpoints: { dir: tagDir, periodSeconds: options.savePeriod, everySteps: options.saveEvery },
      latentLoss: phase,
      debugChecks: options.debug,
      callbacks: {
        onNote: (message) => io.stderr.write(`note: ${message}\n`),
        onLatentLossJoined: (step, auc) => {
          io.stdout.write(`step ${step + 1}: training edge AUC ${auc.toFixed(4)} > ${resolved.transformer.aucThreshold}: the transformer joins (GNN + transformer end to end, fresh optimizer and schedule)\n`);
        },
        onStepEnd: async (record, metrics, timing) => {
          const memory = { tensorMiB: tf.memory().numBytes / 2 ** 20, rssMiB: process.memoryUsage.rss() / 2 ** 20 };
          await log.step(metrics as typeof metrics & { iteration: number }, { step: record.step, ...timing, trainStep: record.timing, parallelEvents: options.workers > 0, memory });
          recent.push(record);
          progress.tick();
          if (trainer.step % options.printEvery === 0) {
            io.stdout.write(`${formatStepSummary(recent, metrics)}\n`);
            recent = [];
          }
        },
      },
    });
    progress.done();
    io.stdout.write(`${result.reason}: ${result.steps} steps; checkpoint ${result.checkpoint}\n`);
    return result;
  } finally {
    const summary = await log.close();
    if (summary.length > 0) io.stdout.write(`${summary.join('\n')}\n`);
    builder.close();
    await trainer.close();
    model.dispose();
  }
}

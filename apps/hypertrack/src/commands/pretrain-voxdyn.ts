import { join } from 'node:path';
import { Command } from 'commander';
import { ConfigError, writeFileAtomic } from '@hypertrack/core';
import { toPng, voxdynPlots } from '@hypertrack/report';
import { NODE2NODE_MODES, formatIdRanges, saveModel, trainVoxdyn, type Node2Node } from '@hypertrack/voxdyn';
import { openEvents } from '@hypertrack/io-arrow';
import { voxdynTrainingEvents } from '@hypertrack/pipeline';
import type { CliIO } from '../io';
import { integerOption } from '../options';

interface PretrainOptions {
  in: string;
  events?: string;
  node2node: string;
  ncell: number[];
  niter: number;
  seed: number;
  maxKmeansPoints?: number;
  out: string;
  plots: boolean;
  progress: boolean;
}

/** File name of a model, as the original names its pickles. */
export function voxdynModelName(node2node: Node2Node, ncell: number): string {
  return `voxdyn_node2node_${node2node}_ncell_${ncell}.vdm`;
}

export function pretrainVoxdynCommand(io: CliIO): Command {
  const cells = integerOption(1, 2 ** 26);
  return new Command('pretrain-voxdyn')
    .description('train Voxel-Dynamics graph constructors (k-means Voronoi cells + C-matrix), one model per --ncell, from events with truth')
    .requiredOption('--in <path>', 'folder of TrackML CSV files or an Arrow store, with truth')
    .option('--events <ranges>', 'training events, e.g. 0-99 (default: all)')
    .option('--node2node <mode>', `ground-truth topology: ${NODE2NODE_MODES.join(', ')}`, 'hyper')
    .option('--ncell <n...>', 'number of Voronoi cells; several values train several models', (v: string, prev: number[] | undefined) => [...(prev ?? []), cells(v)])
    .option('--niter <n>', 'k-means (Lloyd) iterations', integerOption(1, 10_000), 20)
    .option('--seed <s>', 'random seed of k-means', integerOption(0), 1234)
    .option('--max-kmeans-points <n>', 'run k-means on a uniform sample of at most this many track points (default: all)', integerOption(1))
    .option('--out <dir>', 'folder for the model files', 'models')
    .option('--no-plots', 'do not draw the Voronoi cell centres and the C-matrix (figs/ beside the models)')
    .option('--no-progress', 'do not report progress')
    .action(async (options: PretrainOptions) => {
      if (!(NODE2NODE_MODES as readonly string[]).includes(options.node2node)) {
        throw new ConfigError('--node2node', `expected one of ${NODE2NODE_MODES.join(', ')}, got "${options.node2node}"`);
      }
      const node2node = options.node2node as Node2Node;
      const ncells = options.ncell ?? [65536];
      const source = await openEvents(options.in, { events: options.events, eventsKey: '--events' });
      const events = await voxdynTrainingEvents(source, options.in, options.progress ? io.stderr : undefined);
      const points = events.reduce((sum, e) => sum + e.points.length / 3, 0);
      for (const ncell of ncells) {
        // k-means needs a hit per cell at least; the C-matrix wants many more (the original uses 2,400 events).
        if (ncell > points) {
          const given = options.ncell === undefined ? ' (the default)' : '';
          throw new ConfigError('--ncell', `${ncell} cells${given} need at least ${ncell} hits, but the ${events.length} training event(s) have ${points}: lower --ncell (e.g. ${2 ** Math.max(4, Math.floor(Math.log2(points / 20)))}) or train on more events`);
        }
        const started = performance.now();
        const model = await trainVoxdyn(events, {
          ncell,
          dim: 3,
          node2node,
          niter: options.niter,
          seed: options.seed,
          maxKmeansPoints: options.maxKmeansPoints,
          progress: { silent: !options.progress, sink: io.stderr },
        });
        const path = join(options.out, voxdynModelName(node2node, ncell));
        await saveModel(path, model);
        const seconds = (performance.now() - started) / 1000;
        if (options.plots) {
          const stem = voxdynModelName(node2node, ncell).replace(/\.vdm$/, '');
          for (const plot of await voxdynPlots(model.centroids, model.dim, model.cmatrix, { name: stem })) {
            await writeFileAtomic(join(options.out, 'figs', `${plot.name}.svg`), plot.svg);
            await writeFileAtomic(join(options.out, 'figs', `${plot.name}.png`), toPng(plot.svg));
          }
        }
        const entries = model.cmatrix.indices.length;
        io.stdout.write(
          `wrote ${path}: ncell ${ncell}, ${model.stats.events} events (${formatIdRanges(model.stats.trainingEvents ?? [])}), ${model.stats.tracks} tracks, ${model.stats.kmeansPoints} k-means points, ` +
            `C ${entries} entries (density ${(entries / (ncell * ncell)).toExponential(2)}), ${seconds.toFixed(1)} s\n`,
        );
      }
    });
}

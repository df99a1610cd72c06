import { join } from 'node:path';
import { Command } from 'commander';
import { ConfigError, parseShard, writeFileAtomic } from '@hypertrack/core';
import { toPng, voxdynPlots } from '@hypertrack/report';
import { NODE2NODE_MODES, formatIdRanges, idRanges, type Node2Node, type VoxdynModel } from '@hypertrack/voxdyn';
import { pretrainVoxdyn, type PretrainVoxdynOptions } from '@hypertrack/pipeline';
import type { CliIO } from '../io';
import { integerOption } from '../options';

/** The flags: the library's options under their flag names. */
type PretrainOptions = Omit<PretrainVoxdynOptions, 'input' | 'ncells' | 'shard' | 'progress' | 'node2node'> & { in: string; ncell?: number[]; shard?: string; node2node: string; plots: boolean; progress: boolean };

export function pretrainVoxdynCommand(io: CliIO): Command {
  const cells = integerOption(1, 2 ** 26);
  return new Command('pretrain-voxdyn')
    .description('train Voxel-Dynamics graph constructors (k-means Voronoi cells + C-matrix), one model per --ncell, from events with truth')
    .requiredOption('--in <path>', 'folder of TrackML CSV files or an Arrow store, with truth')
    .option('--events <ranges>', 'the C-matrix\'s events, e.g. 0-99 (default: all)')
    .option('--kmeans-events <ranges>', 'k-means\'s events (default: the C-matrix\'s); the C-matrix gains from many more events than k-means needs')
    .option('--centroids <model>', 'count the C-matrix over the cells of this model instead of running k-means')
    .option('--shard <i/n>', 'count shard i of n of the events only, into <out>/shard-<i>-of-<n> (needs --centroids); `hypertrack merge` sums the shards')
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
      const { models, partial } = await pretrainVoxdyn({
        ...options,
        input: options.in,
        node2node: options.node2node as Node2Node,
        ncells: options.ncell,
        shard: options.shard === undefined ? undefined : parseShard(options.shard),
        progress: options.progress ? io.stderr : undefined,
      });
      for (const { path, model, seconds } of models) {
        if (options.plots && partial === null) await writeVoxdynFigures(options.out, path, model);
        io.stdout.write(`wrote ${path}: ${describeVoxdynModel(model)}, ${seconds.toFixed(1)} s\n`);
      }
      if (partial !== null) io.stdout.write(`shard ${partial.shard.index}/${partial.shard.count} done (events ${formatIdRanges(idRanges([...partial.eventIds]))}); merge the shards with: hypertrack merge ${options.out} --out DIR\n`);
    });
}

/** The model's one-line summary, as pretrain-voxdyn and merge print it. */
export function describeVoxdynModel(model: VoxdynModel): string {
  const entries = model.cmatrix.indices.length;
  return `ncell ${model.ncell}, ${model.stats.events} events (${formatIdRanges(model.stats.trainingEvents ?? [])}), ${model.stats.tracks} tracks, ${model.stats.kmeansPoints} k-means points, C ${entries} entries (density ${(entries / (model.ncell * model.ncell)).toExponential(2)})`;
}

/** The Voronoi cell centres and the C-matrix, as SVG and PNG under `<out>/figs`. */
export async function writeVoxdynFigures(out: string, modelPath: string, model: VoxdynModel): Promise<void> {
  const stem = modelPath.replace(/^.*[\\/]/, '').replace(/\.vdm$/, '');
  for (const plot of await voxdynPlots(model.centroids, model.dim, model.cmatrix, { name: stem })) {
    await writeFileAtomic(join(out, 'figs', `${plot.name}.svg`), plot.svg);
    await writeFileAtomic(join(out, 'figs', `${plot.name}.png`), toPng(plot.svg));
  }
}

import { Command } from 'commander';
import { mergePartials } from '@hypertrack/pipeline';
import type { CliIO } from '../io';
import { reportInferRun } from './infer';
import { describeVoxdynModel, writeVoxdynFigures } from './pretrain-voxdyn';

export function mergeCommand(io: CliIO): Command {
  return new Command('merge')
    .description('combine the shards of a sharded run (--shard i/n) into what one process would have written')
    .argument('<shards...>', 'shard folders, or the folder holding the shard-<i>-of-<n> folders')
    .requiredOption('--out <dir>', 'where the merged result goes')
    .option('--no-plots', 'do not draw the merged Voxel-Dynamics models')
    .action(async (paths: string[], options: { out: string; plots: boolean }) => {
      const merged = await mergePartials(paths, options.out);
      if (merged.kind === 'infer') return reportInferRun(merged.evaluation, merged.run, io, options.out);
      for (const { path, model } of merged.models) {
        if (options.plots) await writeVoxdynFigures(options.out, path, model);
        io.stdout.write(`wrote ${path}: ${describeVoxdynModel(model)}, merged from ${merged.shards} shards\n`);
      }
    });
}

import { resolve } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '@hypertrack/core';
import { SLURM_COMMANDS, jobFolder, mergePartials, runSlurm, type SlurmCommand } from '@hypertrack/pipeline';
import type { CliIO } from '../io';
import { integerOption } from '../options';
import { reportInferRun } from './infer';
import { describeVoxdynModel, writeVoxdynFigures } from './pretrain-voxdyn';
import { reportScoreRun } from './score';

export function mergeCommand(io: CliIO): Command {
  return new Command('merge')
    .description('combine the shards of a sharded run (--shard i/n) into what one process would have written')
    .argument('<shards...>', 'shard folders, or the folder holding the shard-<i>-of-<n> folders')
    .requiredOption('--out <dir>', 'where the merged result goes')
    .option('--no-plots', 'do not draw the merged Voxel-Dynamics models')
    .action(async (paths: string[], options: { out: string; plots: boolean }) => {
      const merged = await mergePartials(paths, options.out);
      if (merged.kind === 'infer') return reportInferRun(merged.evaluation, merged.run, io, options.out);
      if (merged.kind === 'score') return reportScoreRun(merged.scoring, merged.run, io, options.out);
      for (const { path, model } of merged.models) {
        if (options.plots) await writeVoxdynFigures(options.out, path, model);
        io.stdout.write(`wrote ${path}: ${describeVoxdynModel(model)}, merged from ${merged.shards} shards\n`);
      }
    });
}

interface SlurmOptions {
  array: number; cpusPerTask?: number; mem?: string; time?: string; partition?: string; account?: string; sbatch: string[];
  dryRun?: boolean; wait?: boolean; retries: number;
}

export function slurmCommand(io: CliIO): Command {
  return new Command('slurm')
    .description('run infer, score or pretrain-voxdyn on a Slurm cluster: a job array of one shard per task (--shard i/n), then a merge job that depends on it')
    .argument('<command>', `${SLURM_COMMANDS.join(' or ')}`)
    .argument('[flags...]', "the command's flags, as for one process (infer needs --logdir: shards and the merged run go there; pretrain-voxdyn's --out)")
    .requiredOption('--array <n>', 'number of shards, one array task each', integerOption(1, 1_000_000))
    .option('--cpus-per-task <n>', 'CPUs per task', integerOption(1))
    .option('--mem <size>', 'memory per task, e.g. 8G')
    .option('--time <limit>', 'time limit per task, e.g. 2:00:00')
    .option('--partition <name>', 'Slurm partition')
    .option('--account <name>', 'Slurm account')
    .option('--sbatch <request>', 'a further #SBATCH request, e.g. --sbatch=--qos=short (repeatable)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--dry-run', 'print the two batch scripts and submit nothing')
    .option('--wait', 'block until the merge is done and print its results; failed shards are resubmitted (--retries)')
    .option('--retries <n>', 'with --wait: resubmit failed shards this many times', integerOption(0), 1)
    .allowUnknownOption()
    .action(async (command: string, flags: string[], o: SlurmOptions) => {
      if (!(SLURM_COMMANDS as readonly string[]).includes(command)) throw new ConfigError('slurm', `runs ${SLURM_COMMANDS.join(' or ')}, not '${command}'`);
      if (flags.some((flag) => flag.startsWith('--shard'))) throw new ConfigError('--shard', 'is set by slurm for each task; leave it out');
      // The hypertrack command sets HYPERTRACK_LAUNCHER: the nodes run the same one.
      const launcher = process.env.HYPERTRACK_LAUNCHER;
      if (launcher === undefined) throw new ConfigError('slurm', 'run it through the hypertrack command (bin/hypertrack.cjs), which the nodes run too');
      const resources = { cpusPerTask: o.cpusPerTask, mem: o.mem, time: o.time, partition: o.partition, account: o.account, extra: o.sbatch };
      const job = { command: command as SlurmCommand, args: flags, array: o.array, folder: jobFolder(command as SlurmCommand, flags), launcher: [process.execPath, resolve(launcher)], workdir: process.cwd(), resources };
      await runSlurm(job, { dryRun: o.dryRun, wait: o.wait, retries: o.retries, print: (text) => io.stdout.write(text) });
    });
}

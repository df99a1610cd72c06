import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, HyperTrackError, writeFileAtomic } from '@hypertrack/core';
import { PARTIAL_FILE, shardFolder } from './partial';

const run = promisify(execFile);

/** The commands a Slurm array can shard. */
export const SLURM_COMMANDS = ['infer', 'score', 'pretrain-voxdyn'] as const;
export type SlurmCommand = (typeof SLURM_COMMANDS)[number];

/** sbatch's resource requests for every task (absent: the cluster's defaults). */
export interface SlurmResources {
  readonly cpusPerTask?: number;
  readonly mem?: string;
  readonly time?: string;
  readonly partition?: string;
  readonly account?: string;
  /** Further `#SBATCH` lines, e.g. `--qos=short`. */
  readonly extra?: readonly string[];
}

/** One sharded run on a Slurm cluster: an array of `array` shard tasks, then a merge that depends on them. */
export interface SlurmJob {
  readonly command: SlurmCommand;
  /** The command's own flags, as for one process (without --shard). */
  readonly args: readonly string[];
  readonly array: number;
  /** Where the shards and the merged result go: infer's and score's --logdir, pretrain-voxdyn's --out. */
  readonly folder: string;
  /** How a node runs hypertrack: node and the launcher script. */
  readonly launcher: readonly string[];
  /** The tasks' working folder (relative paths in `args` are relative to it). */
  readonly workdir: string;
  readonly resources: SlurmResources;
}

/** The folder flag of each command, which the shards and the merge share. */
export function jobFolder(command: SlurmCommand, args: readonly string[]): string {
  const flag = command === 'pretrain-voxdyn' ? '--out' : '--logdir';
  const at = args.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (at < 0) {
    if (command === 'pretrain-voxdyn') return 'models';
    throw new ConfigError(flag, `required by slurm ${command}: the shards and the merged run go there`);
  }
  const value = args[at].includes('=') ? args[at].slice(flag.length + 1) : args[at + 1];
  if (value === undefined) throw new ConfigError(flag, 'needs a folder');
  return value;
}

/** The shards without a complete result in the job's folder (all of them at first; the failed ones on a rerun). */
export function shardsToRun(job: Pick<SlurmJob, 'folder' | 'array' | 'workdir'>): number[] {
  return Array.from({ length: job.array }, (_, index) => index).filter((index) => !existsSync(join(resolve(job.workdir, job.folder), shardFolder('.', { index, count: job.array }), PARTIAL_FILE)));
}

/** A word for bash, single-quoted unless plainly safe. */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function header(job: SlurmJob, name: string, output: string, lines: readonly string[]): string {
  const r = job.resources;
  const requests = [
    `--job-name=${name}`,
    `--output=${output}`,
    ...(r.cpusPerTask === undefined ? [] : [`--cpus-per-task=${r.cpusPerTask}`]),
    ...(r.mem === undefined ? [] : [`--mem=${r.mem}`]),
    ...(r.time === undefined ? [] : [`--time=${r.time}`]),
    ...(r.partition === undefined ? [] : [`--partition=${r.partition}`]),
    ...(r.account === undefined ? [] : [`--account=${r.account}`]),
    ...(r.extra ?? []),
    ...lines,
  ];
  return ['#!/bin/bash', ...requests.map((request) => `#SBATCH ${request}`), 'set -euo pipefail', `cd ${quote(job.workdir)}`].join('\n');
}

/**
 * The two batch scripts: an array of one task per shard in `shards` (`SLURM_ARRAY_TASK_ID` is the
 * shard index), and the merge, which sbatch makes depend on the array (afterok).
 */
export function slurmScripts(job: SlurmJob, shards: readonly number[]): { array: string; merge: string } {
  const logs = join(resolve(job.workdir, job.folder), 'slurm');
  const name = `hypertrack-${job.command}`;
  const cli = job.launcher.map(quote).join(' ');
  const array = [
    header(job, name, join(logs, `${name}-%A_%a.out`), [`--array=${shards.join(',')}`]),
    `exec ${cli} ${job.command} ${job.args.map(quote).join(' ')} --shard "$SLURM_ARRAY_TASK_ID/${job.array}"`,
    '',
  ].join('\n');
  const merge = [header(job, `${name}-merge`, join(logs, `${name}-merge-%j.out`), []), `exec ${cli} merge ${quote(job.folder)} --out ${quote(job.folder)}`, ''].join('\n');
  return { array, merge };
}

export interface Submission {
  readonly shards: readonly number[];
  /** The array job's id, null when every shard was already done. */
  readonly arrayJob: string | null;
  readonly mergeJob: string;
  readonly scripts: { readonly array: string; readonly merge: string };
  /** Where the merge job writes its output (what `--wait` prints). */
  readonly mergeLog: string;
}

/**
 * Writes the scripts into `<folder>/slurm/` and submits them: the array for the shards not done yet,
 * then the merge with --dependency=afterok on it (and --kill-on-invalid-dep, so a failed shard
 * ends the merge instead of leaving it pending forever).
 */
export async function submitSlurm(job: SlurmJob, sbatch = 'sbatch'): Promise<Submission> {
  const shards = shardsToRun(job);
  const scripts = slurmScripts(job, shards);
  const logs = join(resolve(job.workdir, job.folder), 'slurm');
  await writeFileAtomic(join(logs, 'array.sh'), scripts.array);
  await writeFileAtomic(join(logs, 'merge.sh'), scripts.merge);
  const submit = async (args: string[]): Promise<string> => {
    try {
      const { stdout } = await run(sbatch, ['--parsable', ...args], { cwd: job.workdir });
      return stdout.trim().split(';')[0];
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      throw new HyperTrackError(e.code === 'ENOENT' ? `${sbatch} not found: run on a Slurm login node (or use --dry-run to see the scripts)` : `${sbatch} failed: ${(e.stderr ?? e.message).trim()}`);
    }
  };
  const arrayJob = shards.length === 0 ? null : await submit([join(logs, 'array.sh')]);
  const mergeJob = await submit([...(arrayJob === null ? [] : [`--dependency=afterok:${arrayJob}`, '--kill-on-invalid-dep=yes']), join(logs, 'merge.sh')]);
  return { shards, arrayJob, mergeJob, scripts, mergeLog: join(logs, `hypertrack-${job.command}-merge-${mergeJob}.out`) };
}

/** Waits until none of the jobs is in the queue any more (squeue; accounting may be off). */
export async function waitForJobs(jobIds: readonly string[], options: { readonly pollMs?: number; readonly squeue?: string } = {}): Promise<void> {
  for (;;) {
    const { stdout } = await run(options.squeue ?? 'squeue', ['-h', '-o', '%i', '-j', jobIds.join(',')]).catch(() => ({ stdout: '' }));
    if (stdout.trim() === '') return;
    await new Promise((done) => setTimeout(done, options.pollMs ?? 2000));
  }
}

/** After the jobs: the shards still missing (failed tasks) and the merge's output, when it ran. */
export async function slurmOutcome(job: SlurmJob, submission: Submission): Promise<{ failedShards: number[]; mergeOutput: string | null }> {
  const mergeOutput = existsSync(submission.mergeLog) ? await readFile(submission.mergeLog, 'utf8') : null;
  return { failedShards: shardsToRun(job), mergeOutput };
}

export interface SlurmRunOptions {
  readonly dryRun?: boolean;
  /** Block until the merge is done; resubmit failed shards `retries` times. */
  readonly wait?: boolean;
  readonly retries?: number;
  readonly pollMs?: number;
  readonly print: (text: string) => void;
}

/**
 * `hypertrack slurm`: prints the scripts (dry run), or submits the array of the shards not done
 * yet and the dependent merge; with `wait`, follows them with squeue, resubmits failed shards, and
 * prints the merge's output (the merged results row) once it is done.
 */
export async function runSlurm(job: SlurmJob, options: SlurmRunOptions): Promise<void> {
  const { print } = options;
  if (options.dryRun) {
    const scripts = slurmScripts(job, shardsToRun(job));
    print(`# ${join(job.folder, 'slurm', 'array.sh')}\n${scripts.array}\n# ${join(job.folder, 'slurm', 'merge.sh')} (submitted with --dependency=afterok:<array job id> --kill-on-invalid-dep=yes)\n${scripts.merge}`);
    return;
  }
  const retries = options.retries ?? 1;
  for (let attempt = 0; ; attempt++) {
    const submission = await submitSlurm(job);
    const shardList = submission.shards.map((i) => `${i}/${job.array}`).join(', ');
    print(`${submission.arrayJob === null ? 'every shard is done; ' : `submitted array job ${submission.arrayJob} (shards ${shardList}) and `}merge job ${submission.mergeJob}; logs in ${join(job.folder, 'slurm')}\n`);
    if (!options.wait) return;
    await waitForJobs([submission.arrayJob, submission.mergeJob].filter((id): id is string => id !== null), { pollMs: options.pollMs });
    const { failedShards, mergeOutput } = await slurmOutcome(job, submission);
    if (failedShards.length === 0 && mergeOutput !== null && !/^hypertrack: error/m.test(mergeOutput)) {
      print(mergeOutput);
      return;
    }
    const what =
      failedShards.length > 0
        ? `shard(s) ${failedShards.map((i) => `${i}/${job.array}`).join(', ')} failed (logs: ${join(job.folder, 'slurm', `hypertrack-${job.command}-${submission.arrayJob}_<shard>.out`)})`
        : `the merge failed: ${(mergeOutput ?? 'no output').trim().split('\n').pop() ?? ''}`;
    if (failedShards.length === 0 || attempt >= retries) throw new HyperTrackError(`${what}; run the same command again to submit only what is missing`);
    print(`${what}; resubmitting them (retry ${attempt + 1} of ${retries})\n`);
  }
}

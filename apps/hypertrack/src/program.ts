import { Command, CommanderError } from 'commander';
import { printable } from '@hypertrack/core';
import { convertCommand } from './commands/convert';
import { exportPhoenixCommand } from './commands/export-phoenix';
import { reportCommand } from './commands/report';
import { inferCommand } from './commands/infer';
import { inspectCommand } from './commands/inspect';
import { pretrainVoxdynCommand } from './commands/pretrain-voxdyn';
import { mergeCommand, slurmCommand } from './commands/scale-out';
import { scoreCommand } from './commands/score';
import { submissionCommand } from './commands/submission';
import { trainCommand } from './commands/train';
import { simulateCommand } from './commands/simulate';
import { reportFailure, StoppedBySignal } from './failure';
import type { CliIO } from './io';

export const VERSION = '0.1.0';

export function buildProgram(io: CliIO): Command {
  // Commander's errors (bad flags) read as ours: one line, `hypertrack: error: ...`, escaped.
  const output = { writeOut: (s: string) => io.stdout.write(s), writeErr: (s: string) => io.stderr.write(s.startsWith('error: ') ? `hypertrack: ${printable(s.trim().replace(/\n+/g, ' '))}\n` : s) };
  const program = new Command('hypertrack').description('HyperTrack: charged-particle track reconstruction on TrackML events').version(VERSION).configureOutput(output).exitOverride();
  for (const command of [simulateCommand(io), convertCommand(io), inspectCommand(io), submissionCommand(io), scoreCommand(io), reportCommand(io), exportPhoenixCommand(io), pretrainVoxdynCommand(io), trainCommand(io), inferCommand(io), mergeCommand(io), slurmCommand(io)]) {
    program.addCommand(command.exitOverride().configureOutput(output));
  }
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the process exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed its own one-line message (or the help) for its errors.
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof StoppedBySignal) return error.exitCode;
    return reportFailure(error, io.stderr);
  }
}

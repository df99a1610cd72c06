import { HyperTrackError, printable } from '@hypertrack/core';

/**
 * A run stopped by SIGINT or SIGTERM after writing its checkpoint: the process exits with 128 plus
 * the signal's number (130, 143), as shells expect of an interrupted program, never with success.
 */
export class StoppedBySignal extends Error {
  readonly exitCode: number;
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`stopped by ${signal}`);
    this.exitCode = signal === 'SIGINT' ? 130 : 143;
  }
}

/**
 * Turns an error into one line on stderr and an exit code: 1 for bad input or options (our own
 * errors and Node's file-system errors), 2 for anything unexpected, whose stack is printed only
 * with HYPERTRACK_DEBUG=1. Control characters in the message (an input's terminal escape sequence)
 * are printed escaped.
 */
export function reportFailure(error: unknown, stderr: { write(s: string): unknown }): number {
  if (error instanceof HyperTrackError) {
    stderr.write(`hypertrack: error: ${printable(error.message)}\n`);
    return 1;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    stderr.write(`hypertrack: error: ${printable(error.message)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`hypertrack: internal error: ${printable(message)}\n`);
  if (process.env.HYPERTRACK_DEBUG === '1' && error instanceof Error && error.stack) stderr.write(`${error.stack}\n`);
  else stderr.write('hypertrack: run again with HYPERTRACK_DEBUG=1 for the stack trace\n');
  return 2;
}

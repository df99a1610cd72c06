/**
 * Runs `work` with SIGINT and SIGTERM turned into a request to stop: the first one aborts the
 * signal `work` is given (it finishes its step and saves), `onFirst` says so; a second one calls
 * `onSecond` (which exits at once). Returns what `work` returns and the signal that stopped it, if any.
 */
export async function withStopSignals<T>(
  work: (signal: AbortSignal) => Promise<T>,
  onFirst: (signal: 'SIGINT' | 'SIGTERM') => void,
  onSecond: (signal: 'SIGINT' | 'SIGTERM') => never,
): Promise<{ result: T; stoppedBy: 'SIGINT' | 'SIGTERM' | null }> {
  const stop = new AbortController();
  let caught: 'SIGINT' | 'SIGTERM' | null = null;
  const handler = (signal: 'SIGINT' | 'SIGTERM') => {
    if (caught !== null) onSecond(signal);
    caught = signal;
    stop.abort();
    onFirst(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  try {
    const result = await work(stop.signal);
    return { result, stoppedBy: caught };
  } finally {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  }
}

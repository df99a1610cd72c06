import { ConfigError } from './errors';

/**
 * One of `count` parts of a job (a Slurm array task's SLURM_ARRAY_TASK_ID, a Kubernetes Indexed
 * Job's JOB_COMPLETION_INDEX): 0-based, as both number their tasks.
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `i/n` (0 <= i < n), naming `key` (the flag or config key) when it is not one. */
export function parseShard(text: string, key = '--shard'): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (match === null) throw new ConfigError(key, `expected i/n, the 0-based index i of n shards (e.g. 0/4), got '${text}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || !Number.isSafeInteger(count)) throw new ConfigError(key, `the number of shards must be at least 1, got ${match[2]}`);
  if (index >= count) throw new ConfigError(key, `shard index ${index} is outside 0..${count - 1}`);
  return { index, count };
}

/**
 * The shard's part of `items`: contiguous and in order, the sizes of any two shards differing by at
 * most one (the first `length % count` shards take one more), so that the shards of 0/n .. n-1/n,
 * concatenated, are `items` exactly and a merge in shard order restores one process's order.
 */
export function shardSlice<T>(items: readonly T[], shard: Shard): T[] {
  const base = Math.floor(items.length / shard.count);
  const extra = items.length % shard.count;
  const start = shard.index * base + Math.min(shard.index, extra);
  return items.slice(start, start + base + (shard.index < extra ? 1 : 0));
}

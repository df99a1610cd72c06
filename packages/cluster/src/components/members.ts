import { ConfigError, InputError } from '@hypertrack/core';

/**
 * Hits grouped by label in CSR form: the hits of cluster c are
 * `hits.subarray(offsets[c], offsets[c + 1])`, in ascending hit order (the reference's sorted
 * `global_ind` of a component). Unlabelled hits (-1) are left out. O(N + K), one counting sort.
 */
export interface Members {
  /** Length count + 1. */
  readonly offsets: Int32Array;
  /** The labelled hits, grouped by label. */
  readonly hits: Int32Array;
}

/** `labels` must be dense: every entry -1 or in [0, count). */
export function membersOf(labels: Int32Array, count: number): Members {
  if (!Number.isInteger(count) || count < 0) throw new ConfigError('count', `must be an integer >= 0, got ${count}`);
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l < -1 || l >= count) throw new InputError({ file: 'labels' }, `label ${l} at hit ${i} is outside -1..${count - 1}`);
    if (l >= 0) offsets[l + 1]++;
  }
  for (let c = 0; c < count; c++) offsets[c + 1] += offsets[c];
  const hits = new Int32Array(offsets[count]);
  const next = offsets.slice(0, count);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l >= 0) hits[next[l]++] = i;
  }
  return { offsets, hits };
}

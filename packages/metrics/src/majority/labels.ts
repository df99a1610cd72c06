import { checkLabels } from '../checks';

/**
 * Largest label a per-label array may be sized for: generous against the number of hits (labels
 * of a reduced event keep their rows), tight enough that a stray id like 2^30 is an error rather
 * than a 4 GB allocation.
 */
export function labelLimit(numHits: number): number {
  return 16 * numHits + 1024;
}

/** Hits per label (index = label, -1 entries skipped); length max label + 1. */
export function labelSizes(labels: Int32Array): Int32Array {
  return countLabels(labels, 'labels', 'label');
}

/** `labelSizes`, naming the argument in its errors. */
export function countLabels(labels: Int32Array, input: string, column: string): Int32Array {
  const max = checkLabels(input, column, labels, labelLimit(labels.length));
  const sizes = new Int32Array(max + 1);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) sizes[labels[i]]++;
  return sizes;
}

/**
 * Relabels arbitrary int32 cluster ids to 0..K-1 keeping their order (negative ids become -1).
 * `original[k]` is the id that became label k.
 */
export function denseLabels(ids: Int32Array): { labels: Int32Array; original: Int32Array } {
  let count = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] >= 0) count++;
  const sorted = new Int32Array(count);
  count = 0;
  for (let i = 0; i < ids.length; i++) if (ids[i] >= 0) sorted[count++] = ids[i];
  sorted.sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[k++] = sorted[i];
  const original = sorted.slice(0, k);
  const labels = new Int32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (v < 0) {
      labels[i] = -1;
      continue;
    }
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (original[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    labels[i] = lo;
  }
  return { labels, original };
}

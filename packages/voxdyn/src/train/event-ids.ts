/** Inclusive ranges of event ids, the compact form a model file records its training events in. */
export type IdRange = readonly [first: number, last: number];

/** Sorted, disjoint, inclusive ranges covering exactly `ids` (duplicates and order do not matter). */
export function idRanges(ids: readonly number[]): IdRange[] {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (const id of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && id === last[1] + 1) last[1] = id;
    else out.push([id, id]);
  }
  return out;
}

/** `[[0, 19], [40, 40]]` as "0-19,40", the syntax of the command line's --events. */
export function formatIdRanges(ranges: readonly IdRange[]): string {
  return ranges.map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`)).join(',');
}

/** Whether `value` is a list of ranges as `idRanges` writes them: non-negative integers, sorted, disjoint. */
export function isIdRangeList(value: unknown): value is IdRange[] {
  if (!Array.isArray(value)) return false;
  let previousLast = -2;
  for (const range of value) {
    if (!Array.isArray(range) || range.length !== 2) return false;
    const [first, last] = range as unknown[];
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last)) return false;
    if ((first as number) < 0 || (first as number) > (last as number) || (first as number) <= previousLast + 1) return false;
    previousLast = last as number;
  }
  return true;
}

import { ConfigError } from '@hypertrack/core';

/** An inclusive range of event ids, like one `--event_start`/`--event_end` pair of the original. */
export type EventRange = readonly [first: number, last: number];

/**
 * The ids of `eventIds` that fall in any of `ranges` (both ends inclusive), in the order of
 * `eventIds`, each once. `selectEvents(ids, [[1000, 1099], [1200, 1299]])` keeps 1000..1099 and
 * 1200..1299; overlapping ranges are fine.
 */
export function selectEvents(eventIds: readonly number[], ranges: readonly EventRange[]): number[] {
  ranges.forEach(checkRange);
  const seen = new Set<number>();
  return eventIds.filter((id) => {
    if (seen.has(id) || !ranges.some(([first, last]) => id >= first && id <= last)) return false;
    seen.add(id);
    return true;
  });
}

/** Pairs the original's parallel lists of `--event_start` and `--event_end` values into ranges. */
export function eventRanges(starts: readonly number[], ends: readonly number[]): EventRange[] {
  if (starts.length !== ends.length) {
    throw new ConfigError('event_end', `${starts.length} event_start values but ${ends.length} event_end values; give them in pairs`);
  }
  const ranges = starts.map((start, i): EventRange => [start, ends[i]]);
  ranges.forEach(checkRange);
  return ranges;
}

function checkRange([first, last]: EventRange, index: number): void {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(last) || first < 0) {
    throw new ConfigError(`ranges[${index}]`, `needs non-negative integer event ids, got [${first}, ${last}]`);
  }
  if (first > last) throw new ConfigError(`ranges[${index}]`, `starts after it ends: [${first}, ${last}]`);
}

/**
 * Event ranges as text, like the original's --event_start/--event_end lists: "1000-1099,1200-1299"
 * or single ids "1005", inclusive. `key` names the flag or config key in an error.
 */
export function parseEventRanges(value: string, key = 'events'): EventRange[] {
  return value.split(',').map((part): EventRange => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new ConfigError(key, `expected ranges like 1000-1099,1200, got "${value}"`);
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (end < start) throw new ConfigError(key, `range ${part.trim()} ends before it starts`);
    return [start, end];
  });
}

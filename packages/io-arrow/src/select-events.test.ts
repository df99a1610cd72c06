import { ConfigError } from '@hypertrack/core';
import { eventRanges, selectEvents } from './select-events';

describe('selectEvents', () => {
  const ids = [999, 1000, 1050, 1099, 1100, 1199, 1200, 1250, 1299, 1300];

  it('keeps ids inside any inclusive range, in the given order, once each', () => {
    expect(selectEvents(ids, [[1000, 1099], [1200, 1299]])).toEqual([1000, 1050, 1099, 1200, 1250, 1299]);
    expect(selectEvents([1300, 1000, 1000, 1200], [[1000, 1299], [1000, 1000]])).toEqual([1000, 1200]);
    expect(selectEvents(ids, [[1100, 1100]])).toEqual([1100]);
    expect(selectEvents(ids, [])).toEqual([]);
  });

  it('pairs the original start and end lists', () => {
    expect(eventRanges([1000, 2450], [2399, 2819])).toEqual([
      [1000, 2399],
      [2450, 2819],
    ]);
    expect(() => eventRanges([1000, 2000], [1999])).toThrow(
      new ConfigError('event_end', '2 event_start values but 1 event_end values; give them in pairs'),
    );
  });

  it('rejects reversed or non-integer ranges', () => {
    expect(() => selectEvents(ids, [[1200, 1100]])).toThrow(new ConfigError('ranges[0]', 'starts after it ends: [1200, 1100]'));
    expect(() => selectEvents(ids, [[0, 1], [1.5, 3]])).toThrow(new ConfigError('ranges[1]', 'needs non-negative integer event ids, got [1.5, 3]'));
  });
});

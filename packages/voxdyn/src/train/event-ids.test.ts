import { formatIdRanges, idRanges, isIdRangeList } from './event-ids';

describe('event id ranges', () => {
  it('compresses ids in any order, with repeats, into sorted runs', () => {
    expect(idRanges([5, 3, 4, 10, 3, 11, 20])).toEqual([
      [3, 5],
      [10, 11],
      [20, 20],
    ]);
    expect(idRanges([])).toEqual([]);
    expect(formatIdRanges(idRanges([1000, 1001, 1002, 1099, 7]))).toBe('7,1000-1002,1099');
  });

  it('accepts what idRanges writes and nothing malformed', () => {
    expect(isIdRangeList(idRanges([9, 1, 2, 3, 7]))).toBe(true);
    expect(isIdRangeList([])).toBe(true);
    for (const bad of [
      'x',
      [[3, 1]],
      [[0, 5], [5, 9]],
      [[0, 4], [5, 9]],
      [[6, 9], [0, 2]],
      [[-1, 2]],
      [[0.5, 2]],
      [[1, 2, 3]],
      [null],
    ]) {
      expect(isIdRangeList(bad)).toBe(false);
    }
  });
});

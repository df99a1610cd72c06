import { membersOf } from './members';

describe('membersOf', () => {
  it('groups hits by label in ascending hit order and leaves out -1', () => {
    const { offsets, hits } = membersOf(Int32Array.from([1, -1, 0, 1, 0, -1, 1]), 2);
    expect(Array.from(offsets)).toEqual([0, 2, 5]);
    expect(Array.from(hits)).toEqual([2, 4, 0, 3, 6]);
  });

  it('handles no clusters', () => {
    const { offsets, hits } = membersOf(Int32Array.from([-1, -1]), 0);
    expect(Array.from(offsets)).toEqual([0]);
    expect(hits.length).toBe(0);
  });

  it('rejects labels that are not dense', () => {
    expect(() => membersOf(Int32Array.from([0, 2]), 2)).toThrow("labels: label 2 at hit 1 is outside -1..1");
    expect(() => membersOf(Int32Array.from([-2]), 1)).toThrow('label -2 at hit 0');
    expect(() => membersOf(Int32Array.from([0]), -1)).toThrow('count: must be an integer >= 0, got -1');
  });
});

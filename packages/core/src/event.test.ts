import { allocateTable, selectRows, tableRows } from './event';

describe('TrackML tables', () => {
  it('selects rows of every column in the given order, 64-bit ids exactly', () => {
    const truth = allocateTable('truth', 4);
    truth.hitId.set([1, 2, 3, 4]);
    truth.particleId.set([0n, 2n ** 64n - 1n, 4503668346847232n, 2n ** 32n + 7n]);
    truth.weight.set([0, 0.25, 0.5, 0.25]);
    const picked = selectRows('truth', truth, [3, 1, 1]);
    expect(tableRows('truth', picked)).toBe(3);
    expect(Array.from(picked.hitId)).toEqual([4, 2, 2]);
    expect(Array.from(picked.particleId)).toEqual([2n ** 32n + 7n, 2n ** 64n - 1n, 2n ** 64n - 1n]);
    expect(Array.from(picked.weight)).toEqual([0.25, 0.25, 0.25]);
    expect(picked.tx.length).toBe(3);
  });
});

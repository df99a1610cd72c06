import { bucketMeans, thinPolyline } from './sampling';

describe('thinPolyline', () => {
  test('drops points closer than the tolerance, keeps the ends and the corner of each step', () => {
    const n = 10_001;
    const x = Array.from({ length: n }, (_, i) => i / (n - 1));
    const y = x.map((v) => (v < 0.5 ? 0 : 1));
    const keep = thinPolyline(x, y, 0.01);
    expect(keep[0]).toBe(0);
    expect(keep[keep.length - 1]).toBe(n - 1);
    expect(keep.length).toBeLessThan(250);
    // The jump at x = 0.5 keeps the last point before it and the first after it.
    expect(keep).toEqual(expect.arrayContaining([5000, 4999]));
    for (let k = 1; k < keep.length; k++) expect(keep[k]).toBeGreaterThan(keep[k - 1]);
  });

  test('short lines are kept whole', () => {
    expect(thinPolyline([0, 1], [0, 1], 0.5)).toEqual([0, 1]);
  });
});

describe('bucketMeans', () => {
  test('means of equal consecutive groups', () => {
    expect(bucketMeans([1, 2, 3, 4], [10, 20, 30, 40], 2)).toEqual({ x: [1.5, 3.5], y: [15, 35] });
    expect(bucketMeans([1, 2], [3, 4], 5)).toEqual({ x: [1, 2], y: [3, 4] });
  });
});

import { hitPoints } from './hit-points';

describe('hitPoints', () => {
  it('interleaves x, y, z per hit', () => {
    const points = hitPoints({ x: Float32Array.from([1, 4]), y: Float32Array.from([2, 5]), z: Float32Array.from([3, -6.5]) });
    expect(Array.from(points)).toEqual([1, 2, 3, 4, 5, -6.5]);
  });
});

import { edgeLabels } from './edge-labels';
import { truthEdges } from './topology';

describe('edgeLabels', () => {
  // Track 0: hits 0, 1, 2 along a line; track 1: hits 3, 4; hit 5 is noise.
  const points = Float32Array.from([0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 5, 0, 0, 6, 0, 9, 9, 9]);
  const membership = Int32Array.from([0, 0, 0, 1, 1, -1]);
  const all = { src: [] as number[], dst: [] as number[] };
  for (let d = 0; d < 6; d++) {
    for (let s = 0; s < 6; s++) {
      all.src.push(s);
      all.dst.push(d);
    }
  }
  const graph = { src: Int32Array.from(all.src), dst: Int32Array.from(all.dst) };

  it('hyper: same track, self-loops of track hits included, noise never', () => {
    const labels = edgeLabels('hyper', graph, points, 3, membership);
    const positives = all.src.flatMap((s, e) => (labels[e] ? [`${s}>${all.dst[e]}`] : []));
    expect(positives).toEqual(['0>0', '1>0', '2>0', '0>1', '1>1', '2>1', '0>2', '1>2', '2>2', '3>3', '4>3', '3>4', '4>4']);
  });

  it('eom and cricket: exactly the truth edge list, found by merging', () => {
    for (const mode of ['eom', 'cricket'] as const) {
      const truth = truthEdges(mode, points, 3, membership);
      const expected = new Set(Array.from(truth.src, (s, k) => `${s}>${truth.dst[k]}`));
      const labels = edgeLabels(mode, graph, points, 3, membership);
      const got = new Set(all.src.flatMap((s, e) => (labels[e] ? [`${s}>${all.dst[e]}`] : [])));
      expect(got).toEqual(expected);
      expect(got.has('0>2')).toBe(mode === 'cricket'); // the double hop along the chain 0-1-2
    }
    const unsorted = { src: Int32Array.from([0, 1]), dst: Int32Array.from([1, 0]) };
    expect(() => edgeLabels('eom', unsorted, points, 3, membership)).toThrow('edge 1 is out of order');
  });
});

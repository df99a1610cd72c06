import { minimumSpanningTree, trackEdgeLists, trackTopology, truthEdges } from './topology';

/** Pairs as "src>dst" strings, in list order. */
const pairs = (e: { src: Int32Array; dst: Int32Array }): string[] => Array.from(e.src, (s, k) => `${s}>${e.dst[k]}`);

// Four hits on a line at x = 0, 10, 1, 5. Squared distances: (0,2)=1 (2,3)=16 (0,3)=25 (1,3)=25
// (1,2)=81 (0,1)=100. Kruskal takes (0,2), (2,3), skips (0,3) (cycle; it precedes (1,3) on the tie),
// takes (1,3): MST sorted by (u, v) = (0,2), (1,3), (2,3).
const line = Float32Array.from([0, 0, 0, 10, 0, 0, 1, 0, 0, 5, 0, 0]);
const local = Int32Array.from([0, 1, 2, 3]);

describe('topologies', () => {
  it('builds the MST by Kruskal with ties in (u, v) order', () => {
    expect(pairs(minimumSpanningTree(line, 3, local))).toEqual(['0>2', '1>3', '2>3']);
  });

  it('hyper: all m^2 ordered pairs sorted by (dst, src)', () => {
    const e = trackTopology('hyper', line, 3, Int32Array.from([0, 1, 2]));
    expect(pairs(e)).toEqual(['0>0', '1>0', '2>0', '0>1', '1>1', '2>1', '0>2', '1>2', '2>2']);
  });

  it('eom: MST edges both ways plus self-loops (golden list)', () => {
    expect(pairs(trackTopology('eom', line, 3, local))).toEqual(['0>0', '2>0', '1>1', '3>1', '0>2', '2>2', '3>2', '1>3', '2>3', '3>3']);
  });

  it('cricket: eom plus the double hops u_k -> v_(k+1) (golden list)', () => {
    // Hops: (0,2)+(1,3) gives 0-3; (1,3)+(2,3) gives 1-3, already an MST edge.
    expect(pairs(trackTopology('cricket', line, 3, local))).toEqual(['0>0', '2>0', '3>0', '1>1', '3>1', '0>2', '2>2', '3>2', '0>3', '1>3', '2>3', '3>3']);
  });

  it('a one-hit track gets only its self-loop', () => {
    expect(pairs(trackTopology('eom', line, 3, Int32Array.from([2])))).toEqual(['0>0']);
    expect(pairs(trackTopology('cricket', line, 3, Int32Array.from([2])))).toEqual(['0>0']);
  });

  it('maps tracks to global indices, skips noise and merges into one (dst, src)-sorted list', () => {
    // Points: the line's hits interleaved with noise (-1) and a 2-hit track 1.
    const points = Float32Array.from([0, 0, 0, 9, 9, 9, 10, 0, 0, 50, 0, 0, 1, 0, 0, 51, 0, 0, 5, 0, 0]);
    const membership = Int32Array.from([0, -1, 0, 1, 0, 1, 0]);
    const tracks = [...trackEdgeLists('eom', points, 3, membership)];
    expect(tracks.map((t) => Array.from(t.hits))).toEqual([
      [0, 2, 4, 6],
      [3, 5],
    ]);
    expect(pairs(tracks[0])).toEqual(['0>0', '4>0', '2>2', '6>2', '0>4', '4>4', '6>4', '2>6', '4>6', '6>6']);
    const all = truthEdges('eom', points, 3, membership);
    expect(pairs(all)).toEqual(['0>0', '4>0', '2>2', '6>2', '3>3', '5>3', '0>4', '4>4', '6>4', '3>5', '5>5', '2>6', '4>6', '6>6']);
    expect(() => [...trackEdgeLists('nope' as 'eom', points, 3, membership)]).toThrow("node2node: must be one of hyper, eom, cricket, got 'nope'");
  });
});

import { voxdynPlots } from './voxdyn';

describe('voxdynPlots', () => {
  // 6 cells on a ring at z = 0, 10, ...; cell u connects to itself and its neighbours.
  const ncell = 6;
  const centroids = Float32Array.from({ length: ncell * 3 }, (_, i) => {
    const c = Math.floor(i / 3);
    const axis = i % 3;
    return axis === 0 ? 100 * Math.cos(c) : axis === 1 ? 100 * Math.sin(c) : 10 * c;
  });
  const indptr = [0];
  const indices: number[] = [];
  for (let u = 0; u < ncell; u++) {
    for (const v of [u - 1, u, u + 1]) if (v >= 0 && v < ncell) indices.push(v);
    indptr.push(indices.length);
  }
  const cmatrix = { ncell, indptr, indices, counts: indices.map(() => 1) };

  it('draws three projections, the C-matrix and its row sizes', async () => {
    const plots = await voxdynPlots(centroids, 3, cmatrix, { name: 'toy', blocks: 3 });
    expect(plots.map((p) => p.name)).toEqual(['toy-voronoi-xy', 'toy-voronoi-zy', 'toy-voronoi-zx', 'toy-cmatrix', 'toy-cmatrix-degree']);
    for (const p of plots) expect(p.svg.startsWith('<svg')).toBe(true);
    // One circle mark per cell centre.
    expect(plots[0].svg.match(/aria-roledescription="circle"/g)?.length).toBe(ncell);
    expect(plots[3].svg).toContain('16 entries (density 4.44e-1)');
    expect(plots[4].svg).toContain('mean 2.7, max 3');
  });

  it('leaves out the projections for points that are not 3-D', async () => {
    const plots = await voxdynPlots(new Float32Array(ncell * 2), 2, cmatrix);
    expect(plots.map((p) => p.name)).toEqual(['voxdyn-cmatrix', 'voxdyn-cmatrix-degree']);
  });
});

import type { TopLevelSpec } from 'vega-lite';
import { renderSpec } from '../vega/render';
import { COLOURS } from '../vega/theme';
import type { NamedPlot } from './named';

/** A Voxel-Dynamics C-matrix in CSR form (as @hypertrack/voxdyn stores it). */
export interface CMatrixView {
  readonly ncell: number;
  readonly indptr: ArrayLike<number>;
  readonly indices: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
}

export interface VoxdynPlotOptions {
  /** Centroids drawn per projection at most (an even stride over the cells beyond it; default 20,000 as the original). */
  readonly maxPoints?: number;
  /** Blocks per side of the C-matrix picture (default 128). */
  readonly blocks?: number;
  /** Prefix of the plot names, e.g. the model's file stem. */
  readonly name?: string;
}

const PROJECTIONS = [
  { key: 'xy', x: 0, y: 1, xTitle: 'x (mm)', yTitle: 'y (mm)' },
  { key: 'zy', x: 2, y: 1, xTitle: 'z (mm)', yTitle: 'y (mm)' },
  { key: 'zx', x: 2, y: 0, xTitle: 'z (mm)', yTitle: 'x (mm)' },
] as const;

/**
 * Pictures of a Voxel-Dynamics model, like the original's figs/voxdyn: the Voronoi cell centres in
 * the xy, zy and zx projections (3-D models), the C-matrix as a block density of its entries, and
 * the distribution of the number of cells each cell connects to.
 */
export async function voxdynPlots(centroids: Float32Array, dim: number, cmatrix: CMatrixView, options: VoxdynPlotOptions = {}): Promise<NamedPlot[]> {
  const prefix = options.name ?? 'voxdyn';
  const ncell = cmatrix.ncell;
  const plots: NamedPlot[] = [];
  if (dim === 3) {
    const maxPoints = options.maxPoints ?? 20_000;
    const stride = Math.max(1, Math.ceil(ncell / maxPoints));
    for (const p of PROJECTIONS) {
      const values: { a: number; b: number }[] = [];
      for (let c = 0; c < ncell; c += stride) values.push({ a: centroids[c * 3 + p.x], b: centroids[c * 3 + p.y] });
      const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 420,
        height: 420,
        title: { text: `Voronoi cell centres, ${p.key} projection`, subtitle: `${values.length} of ${ncell} cells${stride > 1 ? ` (every ${stride}th)` : ''}` },
        data: { values },
        mark: { type: 'circle', size: 2, opacity: 0.5, color: COLOURS.matched },
        encoding: { x: { field: 'a', type: 'quantitative', title: p.xTitle }, y: { field: 'b', type: 'quantitative', title: p.yTitle } },
      } as TopLevelSpec;
      plots.push({ name: `${prefix}-voronoi-${p.key}`, title: `Voronoi cell centres (${p.key})`, svg: (await renderSpec(spec)).svg });
    }
  }

  // k-means numbers cells arbitrarily; ordered by the azimuth of their centre, the locality of
  // tracks in phi shows as a band along the diagonal (wrapping into the corners).
  const byAzimuth = dim >= 2;
  const rank = new Int32Array(ncell);
  if (byAzimuth) {
    const phi = Float64Array.from({ length: ncell }, (_, c) => Math.atan2(centroids[c * dim + 1], centroids[c * dim]));
    Int32Array.from({ length: ncell }, (_, c) => c)
      .sort((a, b) => phi[a] - phi[b] || a - b)
      .forEach((cell, r) => (rank[cell] = r));
  } else {
    for (let c = 0; c < ncell; c++) rank[c] = c;
  }
  const blocks = Math.min(options.blocks ?? 128, ncell);
  const perBlock = Math.ceil(ncell / blocks);
  const density = new Float64Array(blocks * blocks);
  const degree = new Int32Array(ncell);
  for (let u = 0; u < ncell; u++) {
    degree[u] = cmatrix.indptr[u + 1] - cmatrix.indptr[u];
    const bu = Math.floor(rank[u] / perBlock);
    for (let e = cmatrix.indptr[u]; e < cmatrix.indptr[u + 1]; e++) density[bu * blocks + Math.floor(rank[cmatrix.indices[e]] / perBlock)]++;
  }
  const axisTitle = byAzimuth ? 'cells ordered by the azimuth of their centre' : 'cell';
  const cells: { u: number; v: number; fraction: number }[] = [];
  for (let bu = 0; bu < blocks; bu++) {
    for (let bv = 0; bv < blocks; bv++) {
      const n = density[bu * blocks + bv];
      if (n > 0) cells.push({ u: bu * perBlock, v: bv * perBlock, fraction: n / (perBlock * perBlock) });
    }
  }
  const entries = cmatrix.indices.length;
  plots.push({
    name: `${prefix}-cmatrix`,
    title: 'C-matrix',
    svg: (
      await renderSpec({
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 420,
        height: 420,
        title: { text: 'C-matrix: connected cell pairs', subtitle: `${ncell} cells, ${entries} entries (density ${(entries / (ncell * ncell)).toExponential(2)}); blocks of ${perBlock} x ${perBlock} cells` },
        data: { values: cells },
        mark: { type: 'rect' },
        encoding: {
          x: { field: 'v', type: 'quantitative', title: `${axisTitle} (v)`, scale: { domain: [0, blocks * perBlock], nice: false }, axis: { tickCount: 6 } },
          x2: { field: 'v2' },
          y: { field: 'u', type: 'quantitative', title: `${axisTitle} (u)`, scale: { domain: [0, blocks * perBlock], nice: false, reverse: true }, axis: { tickCount: 6 } },
          y2: { field: 'u2' },
          color: { field: 'fraction', type: 'quantitative', title: 'fraction connected', scale: { type: 'log', scheme: 'blues' }, legend: { format: '.1e' } },
        },
        transform: [{ calculate: `datum.v + ${perBlock}`, as: 'v2' }, { calculate: `datum.u + ${perBlock}`, as: 'u2' }],
      } as TopLevelSpec)
    ).svg,
  });

  const maxDegree = degree.reduce((m, d) => Math.max(m, d), 0);
  const binWidth = Math.max(1, Math.ceil((maxDegree + 1) / 50));
  const histogram = new Map<number, number>();
  for (const d of degree) histogram.set(Math.floor(d / binWidth) * binWidth, (histogram.get(Math.floor(d / binWidth) * binWidth) ?? 0) + 1);
  plots.push({
    name: `${prefix}-cmatrix-degree`,
    title: 'Cells connected per cell',
    svg: (
      await renderSpec({
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        width: 480,
        height: 260,
        title: { text: 'Cells connected per cell (C-matrix row sizes)', subtitle: `mean ${(entries / ncell).toFixed(1)}, max ${maxDegree}` },
        data: { values: [...histogram].map(([lo, cells]) => ({ lo, hi: lo + binWidth, cells })) },
        mark: { type: 'rect', color: COLOURS.matched },
        encoding: {
          x: { field: 'lo', type: 'quantitative', bin: { binned: true, step: binWidth }, title: 'cells connected to a cell' },
          x2: { field: 'hi' },
          y: { field: 'cells', type: 'quantitative', title: 'cells' },
        },
      } as TopLevelSpec)
    ).svg,
  });
  return plots;
}

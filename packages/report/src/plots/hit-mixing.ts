import type { HitMixing } from '@hypertrack/metrics';
import type { TopLevelSpec } from 'vega-lite';
import { renderSpec, type Plot } from '../vega/render';

export interface HitMixingPlotOptions {
  readonly title?: string;
}

interface Cell {
  reco: number;
  truth: number;
  percent: number;
  count: number;
  text: string;
}

/** The smallest and largest hit count with a matched pair on either axis ([0, size-1] if none). */
function occupiedRange(m: Pick<HitMixing, 'size' | 'counts'>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < m.size; t++) {
    for (let r = 0; r < m.size; r++) {
      if (m.counts[t * m.size + r] === 0) continue;
      lo = Math.min(lo, t, r);
      hi = Math.max(hi, t, r);
    }
  }
  return lo <= hi ? [lo, hi] : [0, m.size - 1];
}

const CELL = 22;

export function hitMixingSpec(m: HitMixing, options: HitMixingPlotOptions = {}): TopLevelSpec {
  const [lo, hi] = occupiedRange(m);
  const cells: Cell[] = [];
  let pairs = 0;
  for (let t = lo; t <= hi; t++) {
    for (let r = lo; r <= hi; r++) {
      const count = m.counts[t * m.size + r];
      pairs += count;
      if (count === 0) continue;
      const percent = m.columnPercent[t * m.size + r];
      cells.push({ reco: r, truth: t, percent, count, text: percent >= 0.5 ? percent.toFixed(0) : '<1' });
    }
  }
  const axis = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  const side = CELL * axis.length;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: side,
    height: side,
    title: {
      text: options.title ?? 'Hit mixing of matched track-cluster pairs',
      subtitle: [
        `% of the clusters of each size (columns sum to 100); ${pairs} pairs`,
        `${m.outside} pairs with ≥ ${m.size} hits on a side left out`,
      ],
    },
    data: { values: cells },
    encoding: {
      x: { field: 'reco', type: 'ordinal', title: 'hits in the reconstructed cluster', scale: { domain: axis }, axis: { labelAngle: 0 } },
      y: { field: 'truth', type: 'ordinal', title: 'hits of the true track', scale: { domain: [...axis].reverse() } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          color: { field: 'percent', type: 'quantitative', title: '% of column', scale: { scheme: 'blues', domain: [0, 100] }, legend: { gradientLength: Math.max(120, side - 40) } },
        },
      },
      {
        mark: { type: 'text', fontSize: 8.5, baseline: 'middle' },
        encoding: {
          text: { field: 'text', type: 'nominal' },
          color: { condition: { test: 'datum.percent > 55', value: 'white' }, value: '#1a1a1a' },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Heatmap of true-track hits against reconstructed-cluster hits of matched pairs, in column %. */
export async function hitMixingPlot(m: HitMixing, options: HitMixingPlotOptions = {}): Promise<Plot> {
  const { svg } = await renderSpec(hitMixingSpec(m, options));
  return { svg };
}

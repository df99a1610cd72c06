import { meanStd } from '@hypertrack/metrics';
import type { TopLevelSpec } from 'vega-lite';
import type { RunGraphEvent, RunInferEvent } from '../run/files';
import { renderSpec, type Plot } from '../vega/render';
import { COLOURS, WIDTH } from '../vega/theme';
import { formatSignificant } from './format';

/** One stage's time in each event, in milliseconds (null: not measured), in event order. */
export interface StageTimes {
  readonly stage: string;
  readonly ms: readonly (number | null)[];
}

export interface StageTimingPlotOptions {
  /** Events at the start left out of the means (the backend's warm-up); they are still drawn, hollow. Default 0. */
  readonly warmUp?: number;
  readonly title?: string;
}

/** The stages of `infer/events.jsonl`, in pipeline order, with their results-table columns. */
export function inferStageTimes(events: readonly RunInferEvent[]): StageTimes[] {
  return [
    { stage: 'graph (VD cells + edges)', ms: events.map((e) => e.timeVd) },
    { stage: 'GNN edge scores', ms: events.map((e) => e.timeGnn) },
    { stage: 'connected components', ms: events.map((e) => e.timeCc) },
    { stage: 'clustering (rest)', ms: events.map((e) => e.timeCluster) },
  ];
}

/** The stages of `vd/events.jsonl` (`infer --pre-only`). */
export function graphStageTimes(events: readonly RunGraphEvent[]): StageTimes[] {
  return [
    { stage: 'VD cell assignment', ms: events.map((e) => e.assignMs) },
    { stage: 'VD edges', ms: events.map((e) => e.edgesMs) },
  ];
}

interface PointRow {
  stage: string;
  ms: number;
  kind: string;
}

interface MeanRow {
  stage: string;
  mean: number;
  low: number;
  high: number;
  label: string;
}

export function stageTimingSpec(stages: readonly StageTimes[], options: StageTimingPlotOptions = {}): TopLevelSpec {
  const warmUp = options.warmUp ?? 0;
  const events = Math.max(0, ...stages.map((s) => s.ms.length));
  const used = Math.max(0, events - warmUp);
  const eventLabel = 'each event';
  const warmLabel = 'warm-up event (not in the mean)';
  const points: PointRow[] = [];
  const means: MeanRow[] = [];
  for (const { stage, ms } of stages) {
    ms.forEach((v, k) => {
      if (v !== null && Number.isFinite(v)) points.push({ stage, ms: v, kind: k < warmUp ? warmLabel : eventLabel });
    });
    const { mean, std, count } = meanStd(ms.slice(warmUp).map((v) => (v === null ? NaN : v)));
    if (count === 0) continue;
    const spread = count > 1 && std > 0 ? std : 0;
    means.push({ stage, mean, low: Math.max(0, mean - spread), high: mean + spread, label: `${formatSignificant(mean)} ms` });
  }
  const order = stages.map((s) => s.stage);
  const y = { field: 'stage', type: 'nominal' as const, title: null, sort: order, axis: { labelLimit: 220 } };
  const x = (field: string) => ({ field, type: 'quantitative' as const, title: 'time per event (ms)', scale: { zero: true, nice: true } });
  const kinds = [eventLabel, ...(warmUp > 0 && points.some((p) => p.kind === warmLabel) ? [warmLabel] : [])];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: 34 * Math.max(2, stages.length),
    title: {
      text: options.title ?? 'Time per event by stage',
      subtitle: [
        `bars: mean over ${used} event${used === 1 ? '' : 's'}${warmUp > 0 ? `, the first ${warmUp === 1 ? 'one' : warmUp} left out as the backend's warm-up` : ''}; whiskers: standard deviation`,
        'dots: each event; milliseconds of wall-clock time',
      ],
    },
    layer: [
      {
        data: { values: means },
        mark: { type: 'bar', color: COLOURS.truth, height: { band: 0.6 } },
        encoding: { y, x: x('mean') },
      },
      {
        data: { values: means },
        mark: { type: 'rule', color: COLOURS.efficiency },
        encoding: { y, x: x('low'), x2: { field: 'high' } },
      },
      {
        data: { values: points },
        mark: { type: 'point', size: 30, strokeWidth: 1.5 },
        encoding: {
          y,
          x: x('ms'),
          shape: { field: 'kind', type: 'nominal', title: null, scale: { domain: kinds, range: ['circle', 'diamond'] }, legend: { orient: 'bottom', direction: 'horizontal' } },
          color: { field: 'kind', type: 'nominal', title: null, scale: { domain: kinds, range: [COLOURS.efficiency, '#e15759'] } },
          fill: { value: 'transparent' },
        },
      },
      {
        data: { values: means },
        mark: { type: 'text', align: 'left', dx: 6, dy: -9, fontSize: 11, color: COLOURS.annotation },
        encoding: { y, x: x('mean'), text: { field: 'label', type: 'nominal' } },
      },
    ],
  } as TopLevelSpec;
}

/** Mean time per event of each stage (bars, with the standard deviation) and each event's time (dots), in ms. */
export async function stageTimingPlot(stages: readonly StageTimes[], options: StageTimingPlotOptions = {}): Promise<Plot> {
  const { svg } = await renderSpec(stageTimingSpec(stages, options));
  return { svg };
}

import type { Config } from 'vega-lite';

/** DejaVu Sans first: the PNG renderer has it; browsers fall back to their own sans-serif. */
export const FONT = 'DejaVu Sans, Verdana, Helvetica, Arial, sans-serif';

/** Series colours in order of appearance (Tableau 10, colour-blind safer than the defaults). */
export const PALETTE = ['#4e79a7', '#e15759', '#59a14f', '#f28e2b', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7', '#bab0ac'];

/** Fixed meanings, the same in every plot. */
export const COLOURS = {
  truth: '#a0b4cc',
  matched: '#4e79a7',
  efficiency: '#1f3b5c',
  reference: '#9a9a9a',
  annotation: '#333333',
} as const;

export const WIDTH = 420;
export const HEIGHT = 300;

export const THEME: Config = {
  font: FONT,
  background: 'white',
  padding: 10,
  view: { stroke: '#8c8c8c' },
  axis: {
    labelFontSize: 11,
    titleFontSize: 12,
    titleFontWeight: 'normal',
    titlePadding: 8,
    gridColor: '#e8e8e8',
    domainColor: '#666666',
    tickColor: '#666666',
    labelColor: '#222222',
    titleColor: '#222222',
  },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 360, symbolStrokeWidth: 2 },
  header: { labelFontSize: 12, titleFontSize: 12, labelFontWeight: 'bold' },
  title: { fontSize: 14, fontWeight: 'bold', anchor: 'start', subtitleFontSize: 11, subtitleColor: '#555555', offset: 8 },
  range: { category: PALETTE },
  line: { strokeWidth: 2 },
};

import { formatMeanStd, meanStd } from '@hypertrack/metrics';
import type { EventResultRow, GraphResultRow } from './evaluation';
import type { SubmissionEventScore } from './submission';

/** The per-event lines `infer` prints above the results row. */
export function formatEventRows(rows: readonly EventResultRow[]): string {
  const head = ['event', 'hits', 'edges', 'VD TPR', 'GNN AUC', 'noself', 'clusters', 'DMS', 'eff', 'pur', 'ms'];
  const widths = [8, 8, 10, 8, 9, 8, 9, 8, 8, 8, 9];
  const cell = (v: string, i: number) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]));
  const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const lines = [head.map(cell).join('')];
  for (const r of rows) {
    lines.push(
      [String(r.eventId), String(r.hits), String(r.edges), f(r.vdTpr, 4), f(r.gnnAuc, 4), f(r.gnnAucNoSelf, 4), String(r.clusters), f(r.dms, 4), f(r.efficiency, 4), f(r.purity, 4), f(r.timeVd + r.timeGnn + r.timeCc + r.timeCluster, 1)]
        .map(cell)
        .join(''),
    );
  }
  return `${lines.join('\n')}\n`;
}

const GRAPH_COLUMNS: Array<[keyof GraphResultRow, string, number, (v: number) => string]> = [
  ['hits', 'hits', 8, (v) => v.toFixed(0)],
  ['edges', 'edges', 11, (v) => v.toFixed(0)],
  ['edgesPerHit', 'edges/hit', 10, (v) => v.toFixed(1)],
  ['tpr', 'TPR', 9, (v) => v.toFixed(4)],
  ['fpr', 'FPR', 11, (v) => v.toExponential(2)],
  ['purity', 'purity', 9, (v) => v.toFixed(4)],
  ['assignMs', 'cells ms', 9, (v) => v.toFixed(1)],
  ['edgesMs', 'edges ms', 9, (v) => v.toFixed(1)],
];

/** What `infer --pre-only` prints: the graph constructor's figures per event and their mean. */
export function formatGraphRows(rows: readonly GraphResultRow[], node2node: string, ncell: number): string {
  const lines = [`Voxel-Dynamics graph constructor: node2node ${node2node}, ncell ${ncell}`];
  lines.push(`${'event'.padEnd(10)}${GRAPH_COLUMNS.map(([, h, w]) => h.padStart(w)).join('')}`);
  for (const r of rows) lines.push(`${String(r.eventId).padEnd(10)}${GRAPH_COLUMNS.map(([k, , w, f]) => f(r[k]).padStart(w)).join('')}`);
  // One event, or events that agree, have no spread to print: the value alone (formatMeanStd).
  const summary = (['tpr', 'fpr', 'purity', 'edgesPerHit'] as const).map((k) => `${k} ${formatMeanStd(meanStd(rows.map((r) => r[k])))}`);
  const time = meanStd(rows.map((r) => r.assignMs + r.edgesMs));
  lines.push(`overall (${rows.length} event${rows.length === 1 ? '' : 's'}, mean(std)): ${summary.join(', ')}, time ${time.mean.toFixed(1)} ms per event`);
  return `${lines.join('\n')}\n`;
}

/** Printed columns: key, header, width, decimals. */
const SCORE_COLUMNS: Array<[keyof SubmissionEventScore, string, number, number]> = [
  ['hits', 'hits', 8, 0],
  ['tracks', 'tracks', 8, 0],
  ['trackmlScore', 'TrackML', 9, 4],
  ['dms', 'DMS', 9, 4],
  ['efficiency', 'eff', 9, 4],
  ['purity', 'pur', 9, 4],
];

/** What `score` prints: each event's scores and their mean. */
export function formatScores(scores: readonly SubmissionEventScore[]): string {
  const lines = [`${'event'.padEnd(10)}${SCORE_COLUMNS.map(([, header, width]) => header.padStart(width)).join('')}`];
  for (const s of scores) {
    lines.push(`${String(s.eventId).padEnd(10)}${SCORE_COLUMNS.map(([key, , width, decimals]) => s[key].toFixed(decimals).padStart(width)).join('')}`);
  }
  const overall = (['trackmlScore', 'dms', 'efficiency', 'purity'] as const).map((k) => `${k === 'trackmlScore' ? 'TrackML' : k === 'dms' ? 'DMS' : k} ${formatMeanStd(meanStd(scores.map((s) => s[k])))}`);
  lines.push(`overall (${scores.length} event${scores.length === 1 ? '' : 's'}, mean(std)): ${overall.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

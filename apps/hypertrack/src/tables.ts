import { CENSUS_HIT_BINS, type EventCensus } from '@hypertrack/event';
import { formatValueUncertainty, meanStd } from '@hypertrack/metrics';
import type { EventResultRow, GraphResultRow } from '@hypertrack/pipeline';

/** The per-event lines `infer` prints above the results row. */
export function formatEventRows(rows: readonly EventResultRow[]): string {
  const head = ['event', 'hits', 'edges', 'VD TPR', 'GNN AUC', 'noself', 'clusters', 'DMS', 'eff', 'pur', 'ms'];
  const widths = [8, 8, 10, 8, 9, 8, 9, 8, 8, 8, 9];
  const cell = (v: string, i: number) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]));
  const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const lines = [head.map(cell).join('')];
  for (const r of rows) {
    lines.push(
      [String(r.eventId), String(r.hits), String(r.edges), f(r.vdTpr, 4), f(r.gnnAuc, 4), f(r.gnnAucNoSelf, 4), String(r.clusters), f(r.dms, 4), f(r.efficiency, 4), f(r.purity, 4), f(r.timeVd + r.timeGnn + r.timeCc, 1)]
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
  const summary = (['tpr', 'fpr', 'purity', 'edgesPerHit'] as const).map((k) => {
    const { mean, std } = meanStd(rows.map((r) => r[k]));
    return `${k} ${rows.length > 1 ? formatValueUncertainty(mean, std) : mean.toPrecision(4)}`;
  });
  const time = meanStd(rows.map((r) => r.assignMs + r.edgesMs));
  lines.push(`overall (${rows.length} event${rows.length === 1 ? '' : 's'}, mean(std)): ${summary.join(', ')}, time ${time.mean.toFixed(1)} ms per event`);
  return `${lines.join('\n')}\n`;
}

/** What `inspect` prints. */
export function formatCensus(s: EventCensus, source: string): string {
  const lines: string[] = [];
  const perEvent = (v: number) => (s.events > 0 ? (v / s.events).toFixed(1) : '0');
  lines.push(`${source}: ${s.events} event(s)`);
  lines.push(`  hits            ${s.hits} (${perEvent(s.hits)} per event)`);
  lines.push(`  particles       ${s.particles} (${perEvent(s.particles)} per event), ${s.particlesWithHits} with hits`);
  if (s.hits > 0) lines.push(`  noise fraction  ${(s.noiseHits / s.hits).toFixed(4)}`);
  if (s.particlesWithHits > 0) lines.push(`  hits/particle   ${((s.hits - s.noiseHits) / s.particlesWithHits).toFixed(2)} (mean over particles with hits)`);
  const peak = Math.max(1, ...s.hitsPerParticle);
  lines.push('  hits per particle:');
  s.hitsPerParticle.forEach((count, k) => {
    const label = k === CENSUS_HIT_BINS - 1 ? `>=${k}` : String(k);
    lines.push(`    ${label.padStart(4)} ${String(count).padStart(8)} ${'#'.repeat(Math.round((40 * count) / peak))}`);
  });
  lines.push('  hits per volume/layer:');
  const keys = [...s.hitsPerLayer.keys()].sort((a, b) => {
    const [va, la] = a.split('/').map(Number);
    const [vb, lb] = b.split('/').map(Number);
    return va - vb || la - lb;
  });
  for (const key of keys) {
    const [volume, layer] = key.split('/');
    lines.push(`    volume ${volume.padStart(2)} layer ${layer.padStart(2)} ${String(s.hitsPerLayer.get(key)).padStart(9)}`);
  }
  return lines.join('\n');
}

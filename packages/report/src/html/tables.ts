import { formatValueUncertainty, fraction, type Fraction, type ResultsColumn, type ResultsSummary, type TrackingPerformance } from '@hypertrack/metrics';
import { formatSignificant } from '../plots/format';
import { selectionLabels } from '../plots/tracking';
import type { RunScoreEvent } from '../run/files';
import { escapeHtml } from './escape';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** A header with its unit: "time_VD (ms)". */
const headerOf = (c: Pick<ResultsColumn, 'header' | 'unit'>) => (c.unit === '' ? c.header : `${c.header} (${c.unit})`);

function columnsTable(columns: readonly ResultsColumn[], id: string, caption: string): string {
  const cells = columns.map((c) => escapeHtml(c.text));
  return [
    `<div class="fit"><table class="results" id="${id}">`,
    `<caption>${escapeHtml(caption)}</caption>`,
    `<tr><th class="key"></th>${columns.map((c) => `<th>${escapeHtml(headerOf(c))}</th>`).join('')}</tr>`,
    `<tr><th class="key">mean(std)</th>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`,
    `<tr><th class="key">events used</th>${columns.map((c) => `<td>${c.count}</td>`).join('')}</tr>`,
    '</table></div>',
  ].join('\n');
}

/**
 * The results row as two tables that fit the page: the physics columns (fractions, every event)
 * and the latencies (ms, after the warm-up), each column header with its unit.
 */
export function resultsTables(results: ResultsSummary, scoredEvents?: number): string {
  // A column no event has a value for (a score run measures no edges and no times) is left out and named.
  const measured = (c: ResultsColumn) => c.count > 0 && Number.isFinite(c.mean);
  const physics = results.columns.filter((c) => c.kind !== 'timing' && measured(c));
  const timing = results.columns.filter((c) => c.kind === 'timing' && measured(c));
  const unmeasured = results.columns.filter((c) => !measured(c));
  const warmUp = results.timingWarmUp ?? 0;
  const timed = Math.max(0, results.events - warmUp);
  const parts = [
    '<p class="note">Mean over events of each event’s value, with the standard deviation over events in value(uncertainty) notation: 0.9712(34) means 0.9712 ± 0.0034. A value without an uncertainty comes from a single event, or from events that all agree (no spread to show).</p>',
  ];
  if (physics.length > 0) parts.push(columnsTable(physics, 'results-physics', `Physics: fractions, over all ${plural(results.events, 'event')}`));
  if (timing.length > 0) {
    const over = warmUp > 0 ? `over ${plural(timed, 'event')}, the first ${warmUp === 1 ? 'one' : warmUp} left out as the backend's warm-up` : `over ${plural(timed, 'event')}`;
    parts.push(columnsTable(timing, 'results-timing', `Latency per event in milliseconds, ${over}`));
  }
  if (unmeasured.length > 0) parts.push(`<p class="note">No value in this run, so not shown: ${escapeHtml(unmeasured.map(headerOf).join(', '))}.</p>`);
  if (scoredEvents !== undefined && scoredEvents !== results.events) {
    parts.push(
      `<p class="note warn">This results row summarises ${plural(results.events, 'event')}; the per-event table and plots below hold ${scoredEvents}. (Run folders written before the warm-up was limited to the latencies left the first event out of every column; run the evaluation again to have them agree.)</p>`,
    );
  }
  return parts.join('\n');
}

const rate = (v: number | null) => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(4));

const SCORE_COLUMNS = [
  { key: 'trackmlScore', header: 'TrackML score' },
  { key: 'dms', header: 'DMS' },
  { key: 'efficiency', header: 'efficiency' },
  { key: 'purity', header: 'purity' },
] as const;

/** One row per event; a score no event has (inference has no TrackML score) gets no column. */
export function eventsTable(events: readonly RunScoreEvent[]): string {
  const columns = SCORE_COLUMNS.filter(({ key }) => events.some((e) => e[key] !== null && Number.isFinite(e[key])));
  const rows = events.map((e) => `<tr><td class="key">${e.eventId}</td><td>${e.hits}</td><td>${e.tracks}</td>${columns.map(({ key }) => `<td>${rate(e[key])}</td>`).join('')}</tr>`);
  return [
    '<div class="scroll"><table id="events-table">',
    `<tr><th class="key">event</th><th>hits</th><th>tracks</th>${columns.map((c) => `<th>${c.header}</th>`).join('')}</tr>`,
    ...rows,
    '</table></div>',
  ].join('\n');
}

/** An efficiency or rate as value(uncertainty) from its binomial error; the value alone where the error is 0 (0 or all of them); – for 0 of 0. */
export function formatFraction(f: Fraction): string {
  if (!(f.denominator > 0)) return '–';
  if (!(f.error > 0)) return String(Number(f.value.toPrecision(4)));
  return formatValueUncertainty(f.value, f.error);
}

const fractionCells = (f: Fraction) => `<td>${f.numerator}</td><td>${f.denominator}</td><td class="value">${formatFraction(f)}</td>`;

/**
 * The tracking physicist's first look: efficiency for target particles, fake and duplicate rates,
 * efficiency per detector region, each with its counts.
 */
export function trackingTables(t: TrackingPerformance): string {
  const names = selectionLabels(t);
  const pt = formatSignificant(t.ptMin);
  const efficiency = [
    '<div class="fit"><table id="tracking-efficiency">',
    `<caption>Efficiency for target particles, counts summed over ${plural(t.events, 'event')}</caption>`,
    '<tr><th class="key">particles</th><th>matched</th><th>particles</th><th>efficiency</th></tr>',
    `<tr><th class="key">${escapeHtml(names.reconstructable)}, any vertex</th>${fractionCells(t.efficiency.reconstructable)}</tr>`,
    `<tr><th class="key">${escapeHtml(names.highPt)}</th>${fractionCells(t.efficiency.highPt)}</tr>`,
    `<tr><th class="key">${escapeHtml(names.highPt)}, production r_xy ≤ ${formatSignificant(t.beamLineRadius)} mm</th>${fractionCells(t.efficiency.highPtBeamLine)}</tr>`,
    '</table></div>',
  ];
  const tr = t.tracks;
  const tracks = [
    '<div class="fit"><table id="tracking-tracks">',
    `<caption>Reconstructed tracks (clusters with ≥ ${t.hitsMin} hits)</caption>`,
    '<tr><th class="key">tracks</th><th>count</th><th>of tracks</th><th>rate</th></tr>',
    `<tr><th class="key">all</th><td>${tr.total}</td><td>${tr.total}</td><td class="value">${tr.total > 0 ? '1' : '–'}</td></tr>`,
    `<tr><th class="key">double-majority matched</th><td>${tr.matched}</td><td>${tr.total}</td><td class="value">${formatFraction(fraction(tr.matched, tr.total))}</td></tr>`,
    `<tr id="fake-rate"><th class="key">fake (no particle holds a strict majority of its hits)</th><td>${tr.fakes}</td><td>${tr.total}</td><td class="value">${formatFraction(t.fakeRate)}</td></tr>`,
    `<tr id="duplicate-rate"><th class="key">duplicate (its majority particle already has a track; ${plural(tr.duplicatedParticles, 'particle')} with several)</th><td>${tr.duplicates}</td><td>${tr.total}</td><td class="value">${formatFraction(t.duplicateRate)}</td></tr>`,
    '</table></div>',
  ];
  const parts = [efficiency.join('\n'), tracks.join('\n')];
  if (t.regions.length > 0) {
    parts.push(
      [
        '<div class="fit"><table id="tracking-regions">',
        '<caption>Efficiency by detector region (a particle belongs where most of its hits are)</caption>',
        `<tr><th class="key">region</th><th>volumes</th><th>matched</th><th>reconstructable</th><th>efficiency</th><th>matched, pT &gt; ${pt} GeV</th><th>pT &gt; ${pt} GeV</th><th>efficiency, pT &gt; ${pt} GeV</th></tr>`,
        ...t.regions.map((r) => `<tr><th class="key">${escapeHtml(r.label)}</th><td>${r.volumes.length > 0 ? r.volumes.join(', ') : 'any other'}</td>${fractionCells(r.reconstructable)}${fractionCells(r.highPt)}</tr>`),
        '</table></div>',
      ].join('\n'),
    );
  }
  parts.push(
    `<p class="note">Matched: a double-majority match (the track holds more than half of the particle's hits and the particle more than half of the track's). Reconstructable: a particle with at least ${t.hitsMin} hits, from any vertex. Fake: a track (≥ ${t.hitsMin} hits) whose hits no particle holds a strict majority of. Duplicate: a track whose majority particle is already the majority particle of another track (k tracks of one particle make k − 1 duplicates). Rates are over reconstructed tracks; uncertainties are binomial. Counts are summed over all events, so an efficiency here is pooled: the results row's EFF, a mean of per-event efficiencies, differs from it slightly when events differ in size.</p>`,
  );
  return parts.join('\n');
}

import type { TopLevelSpec } from 'vega-lite';
import type { NamedPlot } from '../plots/named';
import { renderSpec } from '../vega/render';
import { COLOURS, PALETTE } from '../vega/theme';

/** One event's hits as a run stores them for its report (pipeline `RunEvaluation#display`, `SubmissionScoring#display`). */
export interface EventDisplayHits {
  readonly eventId: number;
  /** x, y, z per hit, interleaved (mm). */
  readonly points: ArrayLike<number>;
  /** Per hit: its reconstructed track (or truth particle), -1 for none. */
  readonly labels: ArrayLike<number>;
  /** What `labels` are: 'reconstructed track' (infer) or 'truth particle' (score). */
  readonly colouredBy: string;
}

/** `event-display.json`: a thinned copy of one event's hits, coordinates rounded to 0.1 mm. */
export interface RunEventDisplayFile {
  eventId: number;
  colouredBy: string;
  /** Hits of the event, and tracks (labels >= 0) of the event, before thinning. */
  hits: number;
  tracks: number;
  /** Tracks kept (every hit of each), and the unassigned hits kept. */
  keptTracks: number;
  x: number[];
  y: number[];
  z: number[];
  label: number[];
}

export interface EventDisplayOptions {
  /** Hits kept at most (default 5000): whole tracks, an even stride over them, and at most a tenth as unassigned hits. */
  readonly maxHits?: number;
}

const round = (v: number) => Math.round(v * 10) / 10;

/**
 * Thins an event to at most `maxHits` hits for the report's event display: every hit when they fit,
 * otherwise every k-th track with all of its hits (so a drawn track is whole) and an even stride
 * over the unassigned hits, at most a tenth of the budget.
 */
export function eventDisplayFile(hits: EventDisplayHits, options: EventDisplayOptions = {}): RunEventDisplayFile {
  const maxHits = options.maxHits ?? 5000;
  const n = hits.labels.length;
  const perTrack = new Map<number, number>();
  let unassigned = 0;
  for (let i = 0; i < n; i++) {
    const l = hits.labels[i];
    if (l >= 0) perTrack.set(l, (perTrack.get(l) ?? 0) + 1);
    else unassigned++;
  }
  const trackHits = n - unassigned;
  const fits = n <= maxHits;
  const noiseBudget = fits ? unassigned : Math.min(unassigned, Math.floor(maxHits / 10));
  const trackBudget = maxHits - noiseBudget;
  const labels = [...perTrack.keys()].sort((a, b) => a - b);
  const keep = new Set<number>();
  if (fits || trackHits <= trackBudget) labels.forEach((l) => keep.add(l));
  else {
    // An even stride over the tracks, then fill up to the budget in that order.
    const stride = Math.max(1, Math.ceil(trackHits / trackBudget));
    let used = 0;
    for (let k = 0; k < labels.length; k += stride) {
      const count = perTrack.get(labels[k]) as number;
      if (used + count > trackBudget) continue;
      keep.add(labels[k]);
      used += count;
    }
  }
  const noiseStride = noiseBudget > 0 ? Math.ceil(unassigned / noiseBudget) : Infinity;
  const out: RunEventDisplayFile = { eventId: hits.eventId, colouredBy: hits.colouredBy, hits: n, tracks: perTrack.size, keptTracks: keep.size, x: [], y: [], z: [], label: [] };
  let noise = 0;
  for (let i = 0; i < n; i++) {
    const l = hits.labels[i];
    if (l >= 0 ? !keep.has(l) : noise++ % noiseStride !== 0) continue;
    out.x.push(round(hits.points[3 * i]));
    out.y.push(round(hits.points[3 * i + 1]));
    out.z.push(round(hits.points[3 * i + 2]));
    out.label.push(l >= 0 ? l : -1);
  }
  return out;
}

/**
 * The event display: the hits of one event in the transverse (x-y) and r-z views side by side,
 * coloured by track (cycling through 10 colours, so neighbouring tracks usually differ), hits on
 * no track small and grey. Square, equal-scale axes in mm.
 */
export async function eventDisplayPlot(file: RunEventDisplayFile): Promise<NamedPlot> {
  const values = file.x.map((x, i) => {
    const y = file.y[i];
    const r = Math.hypot(x, y);
    return { x, y, z: file.z[i], r: y < 0 ? -r : r, track: file.label[i] >= 0 ? String(file.label[i] % PALETTE.length) : 'none' };
  });
  const kept = file.x.length;
  const extentXY = Math.max(1, ...values.map((v) => Math.max(Math.abs(v.x), Math.abs(v.y))));
  const extentZ = Math.max(1, ...values.map((v) => Math.abs(v.z)));
  const colour = { field: 'track', type: 'nominal', legend: null, scale: { domain: [...PALETTE.map((_, k) => String(k)), 'none'], range: [...PALETTE, COLOURS.reference] } } as const;
  const size = { condition: { test: "datum.track === 'none'", value: 3 }, value: 8 } as const;
  const view = (title: string, x: object, y: object) => ({ width: 380, height: 380, title, mark: { type: 'circle', opacity: 0.8 }, encoding: { x, y, color: colour, size } });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `Event ${file.eventId}: hits coloured by ${file.colouredBy}`,
      subtitle: `${kept} of ${file.hits} hits${kept < file.hits ? `, ${file.keptTracks} of ${file.tracks} tracks whole (thinned)` : `, ${file.tracks} tracks`}; grey: hits on no track; r signed by y`,
    },
    data: { values },
    hconcat: [
      view('transverse view (x-y)', { field: 'x', type: 'quantitative', title: 'x (mm)', scale: { domain: [-extentXY, extentXY] } }, { field: 'y', type: 'quantitative', title: 'y (mm)', scale: { domain: [-extentXY, extentXY] } }),
      view('r-z view', { field: 'z', type: 'quantitative', title: 'z (mm)', scale: { domain: [-extentZ, extentZ] } }, { field: 'r', type: 'quantitative', title: 'r = ±√(x² + y²) (mm)', scale: { domain: [-extentXY, extentXY] } }),
    ],
  } as TopLevelSpec;
  return { name: 'event-display', title: `Event display: event ${file.eventId}, transverse and r-z views, coloured by ${file.colouredBy}`, svg: (await renderSpec(spec)).svg };
}

import type { TrackMLEvent } from '@hypertrack/core';

/** Counts over events, as `inspect` reports them: hits, particles, noise, hits per particle and per layer. */
export interface EventCensus {
  events: number;
  hits: number;
  particles: number;
  particlesWithHits: number;
  noiseHits: number;
  /** hitsPerParticle[k] = particles with k hits (the last bin collects all >= its index). */
  hitsPerParticle: number[];
  /** Hit counts keyed "volume/layer". */
  hitsPerLayer: Map<string, number>;
}

/** Bins of `hitsPerParticle`; the last collects every count at or above its index. */
export const CENSUS_HIT_BINS = 26;

export function emptyCensus(): EventCensus {
  return { events: 0, hits: 0, particles: 0, particlesWithHits: 0, noiseHits: 0, hitsPerParticle: new Array(CENSUS_HIT_BINS).fill(0), hitsPerLayer: new Map() };
}

/** Adds one event. Hits per particle come from the truth table (nhits may be absent or stale). */
export function countEvent(summary: EventCensus, event: TrackMLEvent): void {
  summary.events++;
  summary.hits += event.hits.hitId.length;
  summary.particles += event.particles.particleId.length;
  const { volumeId, layerId } = event.hits;
  for (let i = 0; i < volumeId.length; i++) {
    const key = `${volumeId[i]}/${layerId[i]}`;
    summary.hitsPerLayer.set(key, (summary.hitsPerLayer.get(key) ?? 0) + 1);
  }
  if (!event.truth) return;
  const counts = new Map<bigint, number>();
  for (const id of event.truth.particleId) {
    if (id === 0n) summary.noiseHits++;
    else counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  summary.particlesWithHits += counts.size;
  const withoutHits = event.particles.particleId.length - counts.size;
  summary.hitsPerParticle[0] += Math.max(0, withoutHits);
  for (const c of counts.values()) summary.hitsPerParticle[Math.min(CENSUS_HIT_BINS - 1, c)]++;
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

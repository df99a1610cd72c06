// Targets: simulate one mu = 200 event in <= 1 s on one core (issue 2), <= 0.5 s with the physics
// calibrated to TrackML (issue 12). Anchor, side by side in the same run: the same simulator with
// the version-1 physics (55 mm luminous region, no pT threshold, 3 m path budget instead of the
// half-turn loop limit, no energy loss or hadronic interactions, 5% module overlaps), to show what
// the calibration costs or saves.
// Run after a build: node tools/bench/simulate.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@hypertrack/core';
import { DEFAULT_MINBIAS, DEFAULT_TRANSPORT, defaultSimulationConfig, simulateEvent, trackmlGeometry } from '@hypertrack/detsim';
import { writeTrackMLEvent } from '@hypertrack/io-arrow';
import { measure } from './harness.mjs';

const config = defaultSimulationConfig({ pileup: 200 });
const geometry = trackmlGeometry();
const version1 = defaultSimulationConfig({
  pileup: 200,
  minBias: { ...DEFAULT_MINBIAS, beamSigmaZ: 55 },
  transport: { ...DEFAULT_TRANSPORT, loopFraction: Infinity, minPt: 0, energyLoss: false, hadronicInteractions: false },
  geometry: { ...geometry, layers: geometry.layers.map((l) => ({ ...l, phiOverlap: 0.05 })) },
});
const root = Rng.fromSeed(1);
let hits = 0;
let hitsVersion1 = 0;
const anchor = await measure('anchor: version-1 physics, one mu=200 event', (i) => {
  hitsVersion1 = simulateEvent(i, version1, root.split(i)).event.hits.hitId.length;
});
const simulate = await measure('simulate one mu=200 event (in memory)', (i) => {
  hits = simulateEvent(i, config, root.split(i)).event.hits.hitId.length;
});
const dir = mkdtempSync(join(tmpdir(), 'ht-bench-sim-'));
const withCsv = await measure('simulate + write TrackML CSV, mu=200', async (i) => {
  await writeTrackMLEvent(dir, simulateEvent(i, config, root.split(i)).event);
}, { warmup: 1, runs: 5 });
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'simulate',
    hitsPerEvent: hits,
    simulateMedianMs: simulate.medianMs,
    version1HitsPerEvent: hitsVersion1,
    version1MedianMs: anchor.medianMs,
    ratioToVersion1: simulate.medianMs / anchor.medianMs,
    simulateAndWriteCsvMedianMs: withCsv.medianMs,
    targetMs: 500,
  }),
);

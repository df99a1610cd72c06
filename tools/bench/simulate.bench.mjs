// Target (issue 2): simulate one mu = 200 event in <= 1 s on one core.
// Run after a build: node tools/bench/simulate.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';
import { writeTrackMLEvent } from '@hypertrack/io-arrow';
import { measure } from './harness.mjs';

const config = defaultSimulationConfig({ pileup: 200 });
const root = Rng.fromSeed(1);
let hits = 0;
const simulate = await measure('simulate one mu=200 event (in memory)', (i) => {
  hits = simulateEvent(i, config, root.split(i)).event.hits.hitId.length;
});
const dir = mkdtempSync(join(tmpdir(), 'ht-bench-sim-'));
const withCsv = await measure('simulate + write TrackML CSV, mu=200', async (i) => {
  await writeTrackMLEvent(dir, simulateEvent(i, config, root.split(i)).event);
}, { warmup: 1, runs: 5 });
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ bench: 'simulate', hitsPerEvent: hits, simulateMedianMs: simulate.medianMs, simulateAndWriteCsvMedianMs: withCsv.medianMs, targetMs: 1000 }));

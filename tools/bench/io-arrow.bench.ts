// io-arrow benchmark: one synthetic TrackML-sized event (120k hits, 10k particles, 120k truth rows)
// written as CSV, then timed: CSV read (plain, gzip), CSV -> Arrow conversion, Arrow event load.
// Targets: conversion >= 50 MB/s of CSV, loading one 120k-hit event from Arrow <= 20 ms.
// Run from the workspace root after a build: node --import tsx tools/bench/io-arrow.bench.ts
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng, allocateTable, encodeParticleId, type TrackMLEvent } from '@hypertrack/core';
import { convertCsvToArrow, openArrowStore, readTrackMLEvent, writeTrackMLEvent } from '@hypertrack/io-arrow';

const HITS = 120_000;
const PARTICLES = 10_000;
const NOISE_FRACTION = 0.1;
const EVENT_ID = 1000;
const WARMUP = 2;
const RUNS = 7;
/** Loads are quick and their times swing with garbage collection, so they get more runs. */
const LOAD_RUNS = 31;

/** Rounds to the significant digits the TrackML files carry, so the CSV text looks like theirs. */
const digits = (value: number, precision: number): number => Math.fround(Number(value.toPrecision(precision)));

function syntheticEvent(): TrackMLEvent {
  const rng = Rng.fromSeed(2024);
  const particles = allocateTable('particles', PARTICLES);
  const visible = Math.round(PARTICLES * 0.9);
  for (let p = 0; p < PARTICLES; p++) {
    particles.particleId[p] = encodeParticleId({ vertex: 1 + (p % 400), primary: 1 + Math.floor(p / 400), generation: 0, secondary: 0, process: p % 7 });
    particles.vx[p] = digits(rng.normal(0, 0.01), 6);
    particles.vy[p] = digits(rng.normal(0, 0.01), 6);
    particles.vz[p] = digits(rng.normal(0, 55), 6);
    particles.px[p] = digits(rng.normal(0, 0.8), 6);
    particles.py[p] = digits(rng.normal(0, 0.8), 6);
    particles.pz[p] = digits(rng.normal(0, 3), 6);
    particles.q[p] = rng.uniform() < 0.5 ? -1 : 1;
  }
  // Track hits spread over the visible particles, then noise; rows shuffled as in real files.
  const owner = new Int32Array(HITS);
  const trackHits = Math.round(HITS * (1 - NOISE_FRACTION));
  for (let h = 0; h < HITS; h++) owner[h] = h < trackHits ? h % visible : -1;
  rng.shuffle(owner);
  for (let h = 0; h < HITS; h++) if (owner[h] >= 0) particles.nhits[owner[h]]++;

  const radii = [32, 72, 116, 172, 260, 360, 500, 660, 820, 1020];
  const hits = allocateTable('hits', HITS);
  const truth = allocateTable('truth', HITS);
  for (let h = 0; h < HITS; h++) {
    const r = radii[rng.int(radii.length)] + rng.uniformIn(-2, 2);
    const phi = rng.uniformIn(-Math.PI, Math.PI);
    hits.hitId[h] = h + 1;
    hits.x[h] = digits(r * Math.cos(phi), 6);
    hits.y[h] = digits(r * Math.sin(phi), 6);
    hits.z[h] = digits(rng.uniformIn(-2955.5, 2955.5), 6);
    hits.volumeId[h] = 7 + rng.int(12);
    hits.layerId[h] = 2 * (1 + rng.int(7));
    hits.moduleId[h] = 1 + rng.int(3192);
    truth.hitId[h] = h + 1;
    truth.particleId[h] = owner[h] < 0 ? 0n : particles.particleId[owner[h]];
    truth.tx[h] = digits(hits.x[h] + rng.normal(0, 0.01), 6);
    truth.ty[h] = digits(hits.y[h] + rng.normal(0, 0.01), 6);
    truth.tz[h] = digits(hits.z[h] + rng.normal(0, 0.05), 6);
    truth.tpx[h] = digits(rng.normal(0, 0.8), 6);
    truth.tpy[h] = digits(rng.normal(0, 0.8), 6);
    truth.tpz[h] = digits(rng.normal(0, 3), 6);
    truth.weight[h] = owner[h] < 0 ? 0 : digits(rng.uniformIn(2e-6, 2e-5), 6);
  }
  return { eventId: EVENT_ID, hits, particles, truth };
}

interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
}

async function time(run: (i: number) => unknown, runs = RUNS): Promise<Timing> {
  for (let i = 0; i < WARMUP; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run(WARMUP + i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], minMs: times[0], maxMs: times[times.length - 1] };
}

const folderBytes = (dir: string): number => readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);

// The workspace root is CommonJS, where top-level await is unavailable.
async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'ht-bench-io-'));
  try {
    const csvDir = join(root, 'csv');
    const gzipDir = join(root, 'gzip');
    const event = syntheticEvent();
    await writeTrackMLEvent(csvDir, event);
    await writeTrackMLEvent(gzipDir, event, { gzip: false });
    for (const name of readdirSync(gzipDir)) {
      writeFileSync(join(gzipDir, `${name}.gz`), gzipSync(readFileSync(join(gzipDir, name))));
      rmSync(join(gzipDir, name));
    }
    const csvBytes = folderBytes(csvDir);
    const csvMB = csvBytes / 1e6;

    const writeCsv = await time((i) => writeTrackMLEvent(join(root, `write-${i}`), event));
    const readCsv = await time(() => readTrackMLEvent(csvDir, EVENT_ID));
    const readGzip = await time(() => readTrackMLEvent(gzipDir, EVENT_ID));
    const convertPerEvent = await time((i) => convertCsvToArrow(csvDir, join(root, `per-event-${i}`), { layout: 'per-event' }));
    const convertDataset = await time((i) => convertCsvToArrow(csvDir, join(root, `dataset-${i}`), { layout: 'dataset' }));
    const perEventStore = await openArrowStore(join(root, 'per-event-0'));
    const datasetStore = await openArrowStore(join(root, 'dataset-0'));
    const loadPerEvent = await time(() => perEventStore.load(EVENT_ID), LOAD_RUNS);
    const loadDataset = await time(() => datasetStore.load(EVENT_ID), LOAD_RUNS);
    const arrowMB = folderBytes(join(root, 'per-event-0')) / 1e6;

    const mbps = (t: Timing): number => csvMB / (t.medianMs / 1000);
    const rows: [string, Timing, string][] = [
      ['write CSV event (plain)', writeCsv, `${mbps(writeCsv).toFixed(0)} MB/s`],
      ['read CSV event (plain)', readCsv, `${mbps(readCsv).toFixed(0)} MB/s`],
      ['read CSV event (gzip)', readGzip, `${mbps(readGzip).toFixed(0)} MB/s of CSV`],
      ['convert CSV -> Arrow (per-event)', convertPerEvent, `${mbps(convertPerEvent).toFixed(0)} MB/s (target >= 50)`],
      ['convert CSV -> Arrow (dataset)', convertDataset, `${mbps(convertDataset).toFixed(0)} MB/s (target >= 50)`],
      ['load event from Arrow (per-event)', loadPerEvent, 'target <= 20 ms'],
      ['load event from Arrow (dataset)', loadDataset, 'target <= 20 ms'],
    ];
    console.log(`io-arrow: ${HITS} hits, ${PARTICLES} particles, ${HITS} truth rows; CSV ${csvMB.toFixed(1)} MB, Arrow ${arrowMB.toFixed(1)} MB`);
    console.log(`median of ${RUNS} runs (loads: ${LOAD_RUNS}) after ${WARMUP} warm-ups`);
    console.log(`${'operation'.padEnd(36)}${'median ms'.padStart(11)}${'min'.padStart(9)}${'max'.padStart(9)}  throughput`);
    for (const [name, t, note] of rows) {
      console.log(`${name.padEnd(36)}${t.medianMs.toFixed(1).padStart(11)}${t.minMs.toFixed(1).padStart(9)}${t.maxMs.toFixed(1).padStart(9)}  ${note}`);
    }
    console.log(
      JSON.stringify({
        bench: 'io-arrow',
        hits: HITS,
        particles: PARTICLES,
        csvMB: Number(csvMB.toFixed(2)),
        arrowMB: Number(arrowMB.toFixed(2)),
        writeCsvMs: Number(writeCsv.medianMs.toFixed(1)),
        readCsvMBps: Number(mbps(readCsv).toFixed(1)),
        readGzipMBps: Number(mbps(readGzip).toFixed(1)),
        convertPerEventMBps: Number(mbps(convertPerEvent).toFixed(1)),
        convertDatasetMBps: Number(mbps(convertDataset).toFixed(1)),
        loadPerEventMs: Number(loadPerEvent.medianMs.toFixed(2)),
        loadDatasetMs: Number(loadDataset.medianMs.toFixed(2)),
        targets: { convertMBps: 50, loadMs: 20 },
      }),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();

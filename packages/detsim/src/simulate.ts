import { allocateTable, ConfigError, encodeParticleId, decodeParticleId, type ParticleTable, type Rng, type TrackMLEvent } from '@hypertrack/core';
import { compileGeometry, type CompiledGeometry } from './geometry/compiled';
import { trackmlGeometry } from './geometry/trackml';
import type { DetectorGeometry } from './geometry/types';
import { DEFAULT_MINBIAS, generatePileup, type MinBiasConfig, type PrimaryParticle } from './generator/minbias';
import { HitBuffer } from './hit-buffer';
import { addNoiseHits } from './noise';
import { Transport, type SimParticle, type TransportConfig } from './propagate';
import { trackmlWeights } from './weights';

export interface SimulationConfig {
  /** Detector description; the TrackML layout by default. */
  readonly geometry: DetectorGeometry;
  /** Minimum-bias pile-up generator (ignored when `particles` is given). */
  readonly minBias: MinBiasConfig;
  readonly transport: TransportConfig;
  /** Noise hits as a fraction of all hits (Poisson-fluctuated); 0.15 is TrackML-like. */
  readonly noiseFraction: number;
  /**
   * Simulate exactly these particles (a TrackML particles table) instead of generating pile-up.
   * Their table already lists secondaries, so no further secondaries are produced.
   */
  readonly particles?: ParticleTable;
}

export const DEFAULT_TRANSPORT: TransportConfig = {
  maxPathLength: 3000,
  loopFraction: 0.5,
  minPt: 0.15,
  energyLoss: true,
  hadronicInteractions: true,
  secondaryPairsPerX0: 0.72,
  secondaryPtMin: 0.1,
  secondaryPtMean: 0.2,
  secondaryAngle: 0.35,
  maxGeneration: 4,
};

export function defaultSimulationConfig(overrides: Partial<SimulationConfig> & { pileup?: number } = {}): SimulationConfig {
  const { pileup, ...rest } = overrides;
  const minBias = { ...DEFAULT_MINBIAS, ...(overrides.minBias ?? {}), ...(pileup !== undefined ? { pileup } : {}) };
  return { geometry: trackmlGeometry(), transport: DEFAULT_TRANSPORT, noiseFraction: 0.15, ...rest, minBias };
}

/**
 * The events' version: the same seed and configuration give the same bytes within a version, and
 * other events across versions. 1: the first simulator. 2: calibrated to what TrackML recorded
 * (luminous region sigma_z = 5.7 mm, hits only above 150 MeV of pT, ACTS's half-turn loop limit,
 * energy loss, hadronic interactions, the generic detector's module overlaps); docs/simulation.md.
 */
export const SIMULATOR_VERSION = '2';
export const SIMULATOR_NAME = 'hypertrack-detsim';

/** What made a set of events, as plain JSON: the simulator, its version and its configuration. */
export interface SimulationDescription {
  readonly name: string;
  readonly version: string;
  readonly config: {
    readonly geometry: DetectorGeometry;
    /** Absent when a particle table drives the simulation. */
    readonly minBias?: MinBiasConfig;
    /** Rows of the particle table that drives the simulation, if one does. */
    readonly particleTableRows?: number;
    readonly transport: TransportConfig;
    readonly noiseFraction: number;
  };
}

export function describeSimulation(config: SimulationConfig): SimulationDescription {
  const { geometry, minBias, noiseFraction, particles } = config;
  const source = particles === undefined ? { minBias } : { particleTableRows: particles.particleId.length };
  return { name: SIMULATOR_NAME, version: SIMULATOR_VERSION, config: { geometry, ...source, transport: transportOf(config), noiseFraction } };
}

/** The transport as it runs: a particle table already lists its secondaries, so none are added. */
function transportOf(config: SimulationConfig): TransportConfig {
  return config.particles === undefined ? config.transport : { ...config.transport, secondaryPairsPerX0: 0 };
}

/** An event with the simulation truth that TrackML files do not carry. */
export interface SimulatedEvent {
  event: TrackMLEvent;
  /** Per hit: 3-D path length (mm) from the particle's production vertex; 0 for noise. */
  hitPathLength: Float32Array;
  /** Per hit: row of its particle in `event.particles`, -1 for noise. */
  hitParticle: Int32Array;
}

function validate(config: SimulationConfig): void {
  const m = config.minBias;
  const check = (ok: boolean, key: string, reason: string) => {
    if (!ok) throw new ConfigError(key, reason);
  };
  check(m.pileup >= 0 && Number.isFinite(m.pileup), 'pileup', `must be a finite number >= 0, got ${m.pileup}`);
  check(m.pileup <= 2000, 'pileup', `must be <= 2000 (TrackML vertex ids hold 4095 interactions), got ${m.pileup}`);
  check(m.ptMin > 0 && m.ptMax > m.ptMin, 'minBias.ptMin', 'needs 0 < ptMin < ptMax');
  check(m.etaMax > 0, 'minBias.etaMax', 'must be > 0');
  check(m.chargedPerInteraction >= 0 && m.multiplicityShape > 0, 'minBias.chargedPerInteraction', 'needs a mean >= 0 and a shape > 0');
  check(config.noiseFraction >= 0 && config.noiseFraction < 1, 'noiseFraction', `must be in [0, 1), got ${config.noiseFraction}`);
  check(config.transport.maxPathLength > 0, 'transport.maxPathLength', 'must be > 0');
  check(config.transport.secondaryPairsPerX0 >= 0, 'transport.secondaryPairsPerX0', 'must be >= 0');
  check(config.transport.loopFraction > 0, 'transport.loopFraction', `must be > 0 (Infinity: no loop limit), got ${config.transport.loopFraction}`);
  check(config.transport.minPt >= 0 && Number.isFinite(config.transport.minPt), 'transport.minPt', `must be a finite number >= 0, got ${config.transport.minPt}`);
}

const compiledCache = new WeakMap<DetectorGeometry, CompiledGeometry>();
function compiled(geometry: DetectorGeometry): CompiledGeometry {
  let c = compiledCache.get(geometry);
  if (!c) {
    c = compileGeometry(geometry);
    compiledCache.set(geometry, c);
  }
  return c;
}

function particlesFromTable(table: ParticleTable): SimParticle[] {
  const out: SimParticle[] = [];
  for (let i = 0; i < table.particleId.length; i++) {
    out.push({
      ...decodeParticleId(table.particleId[i]),
      vx: table.vx[i],
      vy: table.vy[i],
      vz: table.vz[i],
      px: table.px[i],
      py: table.py[i],
      pz: table.pz[i],
      q: table.q[i],
    });
  }
  return out;
}

/**
 * Simulates one event. All randomness comes from `rng` (pass `root.split(eventId)` so that an
 * event's content depends only on the run seed and its id).
 */
export function simulateEvent(eventId: number, config: SimulationConfig, rng: Rng): SimulatedEvent {
  validate(config);
  const geometry = compiled(config.geometry);
  const given = config.particles !== undefined;
  const particles: SimParticle[] = given
    ? particlesFromTable(config.particles as ParticleTable)
    : generatePileup(config.minBias, rng.split('particles')).map(asPrimary);

  const hits = new HitBuffer();
  new Transport(geometry, transportOf(config), hits, rng.split('transport')).run(particles);
  const trackHits = hits.length;
  const f = config.noiseFraction;
  addNoiseHits(geometry, rng.split('noise').poisson((trackHits * f) / (1 - f)), hits, rng.split('noise-positions'));

  // TrackML particle tables are sorted by particle_id; reorder and remember where each went.
  const order = given ? particles.map((_, i) => i) : sortedByParticleId(particles);
  const rowOf = new Int32Array(particles.length);
  order.forEach((source, row) => (rowOf[source] = row));

  return assembleEvent(eventId, geometry, particles, order, rowOf, hits, rng.split('hit-order'));
}

/** Written out field by field: an object spread per particle cost 5% of an event. */
function asPrimary(p: PrimaryParticle): SimParticle {
  return { vertex: p.vertex, primary: p.primary, generation: 0, secondary: 0, process: 0, vx: p.vx, vy: p.vy, vz: p.vz, px: p.px, py: p.py, pz: p.pz, q: p.q };
}

function sortedByParticleId(particles: SimParticle[]): number[] {
  const high = Float64Array.from(particles, (p) => p.vertex * 65536 + p.primary);
  const low = Float64Array.from(particles, (p) => (p.generation * 4096 + p.secondary) * 4096 + p.process);
  return particles.map((_, i) => i).sort((a, b) => high[a] - high[b] || low[a] - low[b]);
}

function assembleEvent(
  eventId: number,
  geometry: CompiledGeometry,
  particles: SimParticle[],
  order: number[],
  rowOf: Int32Array,
  hits: HitBuffer,
  rng: Rng,
): SimulatedEvent {
  const n = hits.length;
  // Hits are ordered by detector element (volume, layer, module), like TrackML's files, and randomly
  // within a module, so that hit order carries no truth.
  const globalModule = new Int32Array(n);
  const moduleOffsetOfLayer = Int32Array.from(geometry.layers, (l) => l.globalModuleOffset);
  for (let i = 0; i < n; i++) globalModule[i] = moduleOffsetOfLayer[hits.int.layer[i]] + hits.int.module[i] - 1;
  const counts = new Int32Array(geometry.moduleCount + 1);
  for (let i = 0; i < n; i++) counts[globalModule[i] + 1]++;
  for (let m = 0; m < geometry.moduleCount; m++) counts[m + 1] += counts[m];
  const hitOrder = new Int32Array(n);
  for (const i of rng.permutation(n)) hitOrder[counts[globalModule[i]]++] = i;

  const hitTable = allocateTable('hits', n);
  const truth = allocateTable('truth', n);
  const hitParticle = new Int32Array(n);
  const hitPathLength = new Float32Array(n);
  const nhits = new Int32Array(particles.length);
  const { x, y, z, tx, ty, tz, tpx, tpy, tpz, path } = hits.float;
  const { layer: hitLayer, module: hitModule, particle: hitSource } = hits.int;
  const { hitId, volumeId, layerId, moduleId } = hitTable;
  const volumeOfLayer = Int32Array.from(geometry.layers, (l) => l.volumeId);
  const idOfLayer = Int32Array.from(geometry.layers, (l) => l.layerId);
  const [ox, oy, oz, otx, oty, otz, otpx, otpy, otpz] = [hitTable.x, hitTable.y, hitTable.z, truth.tx, truth.ty, truth.tz, truth.tpx, truth.tpy, truth.tpz];
  for (let row = 0; row < n; row++) {
    const i = hitOrder[row];
    hitId[row] = row + 1;
    ox[row] = x[i];
    oy[row] = y[i];
    oz[row] = z[i];
    volumeId[row] = volumeOfLayer[hitLayer[i]];
    layerId[row] = idOfLayer[hitLayer[i]];
    moduleId[row] = hitModule[i];
    otx[row] = tx[i];
    oty[row] = ty[i];
    otz[row] = tz[i];
    otpx[row] = tpx[i];
    otpy[row] = tpy[i];
    otpz[row] = tpz[i];
    hitPathLength[row] = path[i];
    const source = hitSource[i];
    const particleRow = source >= 0 ? rowOf[source] : -1;
    hitParticle[row] = particleRow;
    if (particleRow >= 0) nhits[particleRow]++;
  }
  truth.hitId.set(hitId);

  const particleTable = allocateTable('particles', particles.length);
  const pt = new Float64Array(particles.length);
  const vz = new Float64Array(particles.length);
  order.forEach((source, row) => {
    const p = particles[source];
    particleTable.particleId[row] = encodeParticleId(p);
    particleTable.vx[row] = p.vx;
    particleTable.vy[row] = p.vy;
    particleTable.vz[row] = p.vz;
    particleTable.px[row] = p.px;
    particleTable.py[row] = p.py;
    particleTable.pz[row] = p.pz;
    particleTable.q[row] = p.q;
    particleTable.nhits[row] = nhits[row];
    pt[row] = Math.hypot(p.px, p.py);
    vz[row] = p.vz;
  });
  // Copy 64-bit ids as 32-bit word pairs: a BigInt per hit would cost more than the whole copy loop.
  const idWords = new Uint32Array(particleTable.particleId.buffer, particleTable.particleId.byteOffset, 2 * particles.length);
  const truthWords = new Uint32Array(truth.particleId.buffer, truth.particleId.byteOffset, 2 * n);
  for (let row = 0; row < n; row++) {
    const p = hitParticle[row];
    if (p < 0) continue;
    truthWords[2 * row] = idWords[2 * p];
    truthWords[2 * row + 1] = idWords[2 * p + 1];
  }
  truth.weight.set(trackmlWeights(hitParticle, truth.tz, vz, pt));

  return { event: { eventId, hits: hitTable, particles: particleTable, truth }, hitPathLength, hitParticle };
}

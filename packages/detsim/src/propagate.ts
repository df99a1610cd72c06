import type { Rng } from '@hypertrack/core';
import { CYLINDER, findModule, type CompiledGeometry, type ModuleHit } from './geometry/compiled';
import { HelixSegment, helixRadius, newHelixPoint } from './physics/helix';
import { betheMeanLoss, momentumAfterLoss, SILICON_X0_OVER_LAMBDA } from './physics/energy-loss';
import { highlandTheta0, PION_MASS, scatter } from './physics/scattering';
import type { PrimaryParticle } from './generator/minbias';
import type { HitBuffer } from './hit-buffer';

/** A particle to transport; ids follow TrackML's particle_id fields. */
export interface SimParticle extends PrimaryParticle {
  generation: number;
  secondary: number;
  process: number;
}

export interface TransportConfig {
  /** Total 3-D path length after which a particle is no longer followed (mm). */
  readonly maxPathLength: number;
  /**
   * A particle is followed for at most this fraction of one full turn of its helix (the 3-D path
   * 2 pi p / (0.3 |q| B) at production), as ACTS's propagator limits it (loop protection, default
   * 0.5): a looper leaves its hits on the way out and none on the way back in. Infinity disables it.
   */
  readonly loopFraction: number;
  /**
   * A particle leaves hits only while its transverse momentum is at least this (GeV): it is not
   * transported when produced below it, and it stops once energy loss or scattering takes it below.
   */
  readonly minPt: number;
  /** Mean ionisation energy loss (Bethe, silicon) in every material crossing. */
  readonly energyLoss: boolean;
  /**
   * Inelastic hadronic interactions: a crossing of x radiation lengths ends the particle with
   * probability x X0 / lambda_I (silicon), its products are not followed.
   */
  readonly hadronicInteractions: boolean;
  /** Secondary pairs produced per radiation length of material crossed (0 disables secondaries). */
  readonly secondaryPairsPerX0: number;
  /** Secondary pT: ptMin + Gamma(shape 1.5, mean secondaryPtMean - ptMin), GeV. */
  readonly secondaryPtMin: number;
  readonly secondaryPtMean: number;
  /** Width of the angle between a secondary and its parent (rad). */
  readonly secondaryAngle: number;
  /** Highest generation that still produces secondaries. */
  readonly maxGeneration: number;
}

/** TrackML process code we give to pair-produced secondaries. */
export const PROCESS_MATERIAL_PAIR = 1;

// Hot loops use Math.sqrt(x * x + y * y): V8's Math.hypot is several times slower and cost 40% of the run.
const MIN_STEP = 1e-4;
const MAX_STEPS = 2000;
/** Grazing crossings would give unbounded path lengths in the layer; cap the 1/cos factor. */
const MIN_COS_INCIDENCE = 0.05;

/**
 * Follows particles through the detector, crossing surfaces in order of flight along exact helices
 * and recording hits. Secondaries produced in material are appended to `particles` and transported
 * in turn, so after `run` the list holds every particle of the event.
 */
export class Transport {
  private readonly segment = new HelixSegment();
  private readonly point = newHelixPoint();
  private readonly crossings = new Float64Array(2);
  private readonly scattered = new Float64Array(3);
  private readonly module: ModuleHit = { moduleId: 0, phiMin: 0, phiMax: 0, localMin: 0, localMax: 0 };
  /** Next secondary id per (vertex, primary) lineage. */
  private readonly nextSecondary = new Map<number, number>();

  /** Surfaces sorted for the crossing search: cylinders by radius, disks by z. */
  private readonly cylRadius: Float64Array;
  private readonly cylMin: Float64Array;
  private readonly cylMax: Float64Array;
  private readonly cylSurface: Int32Array;
  private readonly diskZ: Float64Array;
  private readonly diskMin: Float64Array;
  private readonly diskMax: Float64Array;
  private readonly diskSurface: Int32Array;

  constructor(
    private readonly geometry: CompiledGeometry,
    private readonly config: TransportConfig,
    private readonly hits: HitBuffer,
    private readonly rng: Rng,
  ) {
    const indices = geometry.surfaces.map((_, i) => i);
    const cylinders = indices.filter((i) => geometry.surfaces[i].shape === CYLINDER).sort((a, b) => geometry.surfaces[a].radius - geometry.surfaces[b].radius);
    const disks = indices.filter((i) => geometry.surfaces[i].shape !== CYLINDER).sort((a, b) => geometry.surfaces[a].z - geometry.surfaces[b].z);
    const column = (list: number[], get: (i: number) => number) => Float64Array.from(list, get);
    this.cylRadius = column(cylinders, (i) => geometry.surfaces[i].radius);
    this.cylMin = column(cylinders, (i) => geometry.surfaces[i].min);
    this.cylMax = column(cylinders, (i) => geometry.surfaces[i].max);
    this.cylSurface = Int32Array.from(cylinders);
    this.diskZ = column(disks, (i) => geometry.surfaces[i].z);
    this.diskMin = column(disks, (i) => geometry.surfaces[i].min);
    this.diskMax = column(disks, (i) => geometry.surfaces[i].max);
    this.diskSurface = Int32Array.from(disks);
  }

  run(particles: SimParticle[]): void {
    for (let i = 0; i < particles.length; i++) this.transport(i, particles);
  }

  private transport(index: number, particles: SimParticle[]): void {
    const p = particles[index];
    // Neutral particles do not ionise the sensors.
    if (p.q === 0) return;
    const { geometry, config, segment, point, rng } = this;
    const minPt2 = config.minPt * config.minPt;
    if (p.px * p.px + p.py * p.py < minPt2) return;
    const surfaces = geometry.surfaces;
    const b = geometry.bFieldTesla;
    const cylinder = CYLINDER;
    let x = p.vx;
    let y = p.vy;
    let z = p.vz;
    let px = p.px;
    let py = p.py;
    let pz = p.pz;
    let path = 0;
    const fullTurn = 2 * Math.PI * helixRadius(Math.sqrt(px * px + py * py + pz * pz), p.q, b);
    const pathLimit = Math.min(config.maxPathLength, config.loopFraction * fullTurn);
    for (let step = 0; step < MAX_STEPS; step++) {
      if (Math.sqrt(px * px + py * py) < 1e-9) return;
      segment.set(x, y, z, px, py, pz, p.q, b);
      const R = segment.radius;
      const d = Math.sqrt(segment.cx * segment.cx + segment.cy * segment.cy);
      const rInner = Math.abs(d - R);
      const rOuter = d + R;
      let best = Infinity;
      let bestSurface = -1;
      // Cylinders: along a helix the first crossing of radius rho comes before that of any radius
      // farther from the current one, so walk outwards and inwards from the current radius and stop
      // once a first crossing is already beyond the best found.
      const { cylRadius, cylMin, cylMax, cylSurface, diskZ, diskMin, diskMax, diskSurface } = this;
      const r0 = Math.sqrt(x * x + y * y);
      const up = lowerBound(cylRadius, r0);
      for (let dir = 1; dir >= -1; dir -= 2) {
        for (let k = dir > 0 ? up : up - 1; k >= 0 && k < cylRadius.length; k += dir) {
          if (dir > 0 ? cylRadius[k] > rOuter : cylRadius[k] < rInner) break;
          const n = segment.cylinderCrossings(cylRadius[k], MIN_STEP, this.crossings);
          if (n === 0) continue;
          if (this.crossings[0] >= best) break;
          for (let c = 0; c < n; c++) {
            const arc = this.crossings[c];
            if (arc >= best) break;
            const zc = segment.z0 + segment.lambda * arc;
            if (zc >= cylMin[k] && zc <= cylMax[k]) {
              best = arc;
              bestSurface = cylSurface[k];
              break;
            }
          }
        }
      }
      // Disks: planes ahead in z are reached in order of z.
      if (segment.lambda !== 0) {
        const forward = segment.lambda > 0;
        const nextDisk = lowerBound(diskZ, z);
        const stepK = forward ? 1 : -1;
        for (let k = forward ? nextDisk : nextDisk - 1; k >= 0 && k < diskZ.length; k += stepK) {
          const arc = (diskZ[k] - z) / segment.lambda;
          if (arc >= best) break;
          if (arc < MIN_STEP || diskMax[k] < rInner || diskMin[k] > rOuter) continue;
          const alpha = segment.alpha0 + (segment.h * arc) / R;
          const xc = segment.cx + R * Math.cos(alpha);
          const yc = segment.cy + R * Math.sin(alpha);
          const r = Math.sqrt(xc * xc + yc * yc);
          if (r >= diskMin[k] && r <= diskMax[k]) {
            best = arc;
            bestSurface = diskSurface[k];
            break;
          }
        }
      }
      if (bestSurface < 0) return; // leaves the detector
      const step3d = best * Math.sqrt(1 + segment.lambda * segment.lambda);
      if (path + step3d > pathLimit) return;
      path += step3d;
      segment.at(best, point);
      const surface = surfaces[bestSurface];
      let material = surface.radiationLengths;
      if (surface.layer >= 0) {
        const layer = geometry.layers[surface.layer];
        const phi = Math.atan2(point.y, point.x);
        const local = surface.shape === cylinder ? point.z : Math.sqrt(point.x * point.x + point.y * point.y);
        if (findModule(layer, surface.parity, phi, local, this.module)) {
          if (rng.uniform() < layer.efficiency) this.recordHit(index, surface.layer, surface.shape === cylinder, phi, local, path);
        } else {
          material = 0; // between modules of this parity there is no sensor and no material
        }
      }
      x = point.x;
      y = point.y;
      z = point.z;
      px = point.px;
      py = point.py;
      pz = point.pz;
      if (material > 0) {
        const pMag = Math.sqrt(px * px + py * py + pz * pz);
        const normalComponent = surface.shape === cylinder ? Math.abs(px * x + py * y) / Math.sqrt(x * x + y * y) : Math.abs(pz);
        const effective = material / Math.max(MIN_COS_INCIDENCE, normalComponent / pMag);
        scatter(px, py, pz, highlandTheta0(pMag, PION_MASS, effective), rng, this.scattered);
        px = this.scattered[0];
        py = this.scattered[1];
        pz = this.scattered[2];
        if (p.generation < config.maxGeneration && rng.uniform() < config.secondaryPairsPerX0 * effective) {
          this.producePair(p, x, y, z, px, py, pz, particles);
        }
        if (config.energyLoss) {
          const shrink = momentumAfterLoss(pMag, PION_MASS, betheMeanLoss(pMag, PION_MASS, effective)) / pMag;
          px *= shrink;
          py *= shrink;
          pz *= shrink;
        }
        if (px * px + py * py < minPt2) return;
        if (config.hadronicInteractions && rng.uniform() < effective * SILICON_X0_OVER_LAMBDA) return;
      }
    }
  }

  private recordHit(particle: number, layerIndex: number, barrel: boolean, phi: number, local: number, path: number): void {
    const { hits, point, module, rng } = this;
    const layer = this.geometry.layers[layerIndex];
    const i = hits.push();
    const f = hits.float;
    f.tx[i] = point.x;
    f.ty[i] = point.y;
    f.tz[i] = point.z;
    f.tpx[i] = point.px;
    f.tpy[i] = point.py;
    f.tpz[i] = point.pz;
    f.path[i] = path;
    hits.int.particle[i] = particle;
    hits.int.layer[i] = layerIndex;
    hits.int.module[i] = module.moduleId;
    const rho = Math.sqrt(point.x * point.x + point.y * point.y);
    const sigmaU = layer.pitch.u / Math.sqrt(12);
    const sigmaV = layer.pitch.v / Math.sqrt(12);
    // Smear along the sensor (r*phi and z on a cylinder, r*phi and r on a disk), kept on the module.
    const centre = 0.5 * (module.phiMin + module.phiMax);
    const half = 0.5 * (module.phiMax - module.phiMin);
    let dPhi = phi + rng.normal(0, sigmaU) / rho - centre;
    dPhi -= 2 * Math.PI * Math.round(dPhi / (2 * Math.PI));
    const phiMeasured = centre + Math.min(half, Math.max(-half, dPhi));
    const localMeasured = Math.min(module.localMax, Math.max(module.localMin, local + rng.normal(0, sigmaV)));
    if (barrel) {
      f.x[i] = rho * Math.cos(phiMeasured);
      f.y[i] = rho * Math.sin(phiMeasured);
      f.z[i] = localMeasured;
    } else {
      f.x[i] = localMeasured * Math.cos(phiMeasured);
      f.y[i] = localMeasured * Math.sin(phiMeasured);
      f.z[i] = point.z;
    }
  }

  /** Two opposite-charge secondaries at a material crossing, emitted around the parent direction. */
  private producePair(parent: SimParticle, x: number, y: number, z: number, px: number, py: number, pz: number, particles: SimParticle[]): void {
    const { config, rng } = this;
    const lineage = parent.vertex * 65536 + parent.primary;
    for (const q of [1, -1]) {
      const secondary = (this.nextSecondary.get(lineage) ?? 0) + 1;
      if (secondary > 4095) return;
      this.nextSecondary.set(lineage, secondary);
      scatter(px, py, pz, config.secondaryAngle, rng, this.scattered);
      const pt = config.secondaryPtMin + rng.gamma(1.5, (config.secondaryPtMean - config.secondaryPtMin) / 1.5);
      const scale = pt / Math.sqrt(this.scattered[0] * this.scattered[0] + this.scattered[1] * this.scattered[1]);
      particles.push({
        vertex: parent.vertex,
        primary: parent.primary,
        generation: parent.generation + 1,
        secondary,
        process: PROCESS_MATERIAL_PAIR,
        vx: x,
        vy: y,
        vz: z,
        px: this.scattered[0] * scale,
        py: this.scattered[1] * scale,
        pz: this.scattered[2] * scale,
        q,
      });
    }
  }
}

/** First index whose value is >= x in an ascending array. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

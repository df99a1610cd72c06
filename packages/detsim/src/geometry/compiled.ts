import type { DetectorGeometry, Layer, Pitch } from './types';

/**
 * The geometry flattened for the propagation hot loop: every layer becomes two surfaces (one per
 * module parity, `stagger` apart) and passive cylinders become surfaces without modules.
 */

export const CYLINDER = 0;
export const DISK = 1;

export interface Surface {
  readonly shape: typeof CYLINDER | typeof DISK;
  /** Index into `CompiledGeometry.layers`, or -1 for passive material. */
  readonly layer: number;
  /** 0 for even-numbered modules, 1 for odd; -1 for passive material. */
  readonly parity: number;
  /** Cylinder radius, or 0 for disks. */
  readonly radius: number;
  /** Disk z, or 0 for cylinders. */
  readonly z: number;
  /** Active extent: z range for cylinders, r range for disks. */
  readonly min: number;
  readonly max: number;
  readonly radiationLengths: number;
}

export interface CompiledRing {
  readonly rMin: number;
  readonly rMax: number;
  readonly modulesPhi: number;
  /** module_id of this ring's first module minus one. */
  readonly moduleOffset: number;
}

export interface CompiledLayer {
  readonly kind: 'barrel' | 'disk';
  readonly volumeId: number;
  readonly layerId: number;
  readonly pitch: Pitch;
  readonly efficiency: number;
  readonly phiOverlap: number;
  /** Barrel: modules around phi and along z, half length. */
  readonly modulesPhi: number;
  readonly modulesZ: number;
  readonly halfLengthZ: number;
  /** Disk rings (empty for barrels). */
  readonly rings: readonly CompiledRing[];
  readonly moduleCount: number;
  /** Index of this layer's first module in the detector-wide module numbering. */
  readonly globalModuleOffset: number;
  /** Sensitive area in mm^2 of one side (used to place noise hits). */
  readonly area: number;
  /** Nominal radius (barrel) or z (disk). */
  readonly position: number;
  readonly stagger: number;
}

export interface CompiledGeometry {
  readonly name: string;
  readonly bFieldTesla: number;
  readonly layers: readonly CompiledLayer[];
  readonly surfaces: readonly Surface[];
  readonly moduleCount: number;
}

const TWO_PI = 2 * Math.PI;

function validateLayer(layer: Layer, where: string): void {
  const fail = (what: string): never => {
    throw new RangeError(`${where}: ${what}`);
  };
  if (!(layer.efficiency >= 0 && layer.efficiency <= 1)) fail(`efficiency must be in [0, 1], got ${layer.efficiency}`);
  if (!(layer.phiOverlap >= 0 && layer.phiOverlap < 0.5)) fail(`phiOverlap must be in [0, 0.5), got ${layer.phiOverlap}`);
  if (!(layer.radiationLengths >= 0)) fail('radiationLengths must be >= 0');
  if (!(layer.stagger >= 0)) fail('stagger must be >= 0');
  const phiCounts = layer.kind === 'barrel' ? [layer.modulesPhi] : layer.rings.map((r) => r.modulesPhi);
  for (const n of phiCounts) if (!Number.isInteger(n) || n < 2 || n % 2 !== 0) fail(`modules around phi must be an even integer >= 2, got ${n}`);
  if (layer.kind === 'barrel') {
    if (!(layer.radius > layer.stagger / 2)) fail('radius must exceed half the stagger');
    if (!Number.isInteger(layer.modulesZ) || layer.modulesZ < 1) fail('modulesZ must be a positive integer');
  } else {
    for (let i = 0; i < layer.rings.length; i++) {
      const r = layer.rings[i];
      if (!(r.rMax > r.rMin && r.rMin >= 0)) fail(`ring ${i} needs 0 <= rMin < rMax`);
      if (i > 0 && r.rMin !== layer.rings[i - 1].rMax) fail(`ring ${i} must start where ring ${i - 1} ends`);
    }
  }
}

export function compileGeometry(geometry: DetectorGeometry): CompiledGeometry {
  const ordered = [...geometry.layers].sort((a, b) => a.volumeId - b.volumeId || a.layerId - b.layerId);
  const layers: CompiledLayer[] = [];
  const surfaces: Surface[] = [];
  let globalModuleOffset = 0;
  ordered.forEach((layer, index) => {
    const where = `geometry ${geometry.name}, volume ${layer.volumeId} layer ${layer.layerId}`;
    validateLayer(layer, where);
    if (index > 0 && ordered[index - 1].volumeId === layer.volumeId && ordered[index - 1].layerId === layer.layerId) {
      throw new RangeError(`${where}: duplicate layer`);
    }
    const common = {
      volumeId: layer.volumeId,
      layerId: layer.layerId,
      pitch: layer.pitch,
      efficiency: layer.efficiency,
      phiOverlap: layer.phiOverlap,
      globalModuleOffset,
      stagger: layer.stagger,
    };
    let compiled: CompiledLayer;
    if (layer.kind === 'barrel') {
      compiled = {
        ...common,
        kind: 'barrel',
        modulesPhi: layer.modulesPhi,
        modulesZ: layer.modulesZ,
        halfLengthZ: layer.halfLengthZ,
        rings: [],
        moduleCount: layer.modulesPhi * layer.modulesZ,
        area: TWO_PI * layer.radius * 2 * layer.halfLengthZ,
        position: layer.radius,
      };
      for (const parity of [0, 1]) {
        surfaces.push({
          shape: CYLINDER,
          layer: index,
          parity,
          radius: layer.radius + (parity === 0 ? -0.5 : 0.5) * layer.stagger,
          z: 0,
          min: -layer.halfLengthZ,
          max: layer.halfLengthZ,
          radiationLengths: layer.radiationLengths,
        });
      }
    } else {
      let moduleOffset = 0;
      const rings = layer.rings.map((r) => {
        const ring = { rMin: r.rMin, rMax: r.rMax, modulesPhi: r.modulesPhi, moduleOffset };
        moduleOffset += r.modulesPhi;
        return ring;
      });
      const rMin = rings[0].rMin;
      const rMax = rings[rings.length - 1].rMax;
      compiled = {
        ...common,
        kind: 'disk',
        modulesPhi: 0,
        modulesZ: 0,
        halfLengthZ: 0,
        rings,
        moduleCount: moduleOffset,
        area: Math.PI * (rMax * rMax - rMin * rMin),
        position: layer.z,
      };
      for (const parity of [0, 1]) {
        surfaces.push({
          shape: DISK,
          layer: index,
          parity,
          radius: 0,
          z: layer.z + (parity === 0 ? -0.5 : 0.5) * layer.stagger * Math.sign(layer.z || 1),
          min: rMin,
          max: rMax,
          radiationLengths: layer.radiationLengths,
        });
      }
    }
    layers.push(compiled);
    globalModuleOffset += compiled.moduleCount;
  });
  for (const p of geometry.passive) {
    surfaces.push({ shape: CYLINDER, layer: -1, parity: -1, radius: p.radius, z: 0, min: -p.halfLengthZ, max: p.halfLengthZ, radiationLengths: p.radiationLengths });
  }
  return { name: geometry.name, bFieldTesla: geometry.bFieldTesla, layers, surfaces, moduleCount: globalModuleOffset };
}

/** A module of one parity, found at a point, with its extent for clamping smeared hits. */
export interface ModuleHit {
  /** 1-based module_id within the layer, or 0 when no module of that parity is there. */
  moduleId: number;
  phiMin: number;
  phiMax: number;
  /** z range (barrel) or r range (disk) of the module. */
  localMin: number;
  localMax: number;
}

/** Wraps an angle into [0, 2*pi). */
export function wrapPhi(phi: number): number {
  const w = phi % TWO_PI;
  return w < 0 ? w + TWO_PI : w;
}

/**
 * Finds the module of `parity` that covers azimuth `phi` at local coordinate `local` (z for barrels,
 * r for disks). Modules of slot k span [k, k+1] slot widths, widened by `phiOverlap` on both sides.
 * Writes into `out` to keep the hot loop allocation-free; returns false when nothing is there.
 */
export function findModule(layer: CompiledLayer, parity: number, phi: number, local: number, out: ModuleHit): boolean {
  let nPhi: number;
  let idOffset: number;
  let localMin: number;
  let localMax: number;
  let zIndex = 0;
  if (layer.kind === 'barrel') {
    const h = layer.halfLengthZ;
    if (local < -h || local > h) return false;
    const width = (2 * h) / layer.modulesZ;
    zIndex = Math.min(layer.modulesZ - 1, Math.floor((local + h) / width));
    nPhi = layer.modulesPhi;
    idOffset = zIndex * nPhi;
    localMin = -h + zIndex * width;
    localMax = localMin + width;
  } else {
    const rings = layer.rings;
    let ring = -1;
    for (let i = 0; i < rings.length; i++) {
      if (local >= rings[i].rMin && local < rings[i].rMax) {
        ring = i;
        break;
      }
    }
    if (ring < 0) return false;
    nPhi = rings[ring].modulesPhi;
    idOffset = rings[ring].moduleOffset;
    localMin = rings[ring].rMin;
    localMax = rings[ring].rMax;
  }
  const slot = TWO_PI / nPhi;
  const p = wrapPhi(phi);
  let k = Math.min(nPhi - 1, Math.floor(p / slot));
  if ((k & 1) !== parity) {
    const into = p - k * slot;
    const overlap = layer.phiOverlap * slot;
    if (into < overlap) k = k - 1;
    else if (slot - into < overlap) k = k + 1;
    else return false;
    k = (k + nPhi) % nPhi;
  }
  out.moduleId = idOffset + k + 1;
  out.phiMin = k * slot - layer.phiOverlap * slot;
  out.phiMax = (k + 1) * slot + layer.phiOverlap * slot;
  out.localMin = localMin;
  out.localMax = localMax;
  return true;
}

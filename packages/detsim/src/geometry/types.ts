/**
 * A detector described as data: sensitive layers (barrel cylinders and endcap disks) segmented into
 * modules, plus passive material surfaces. Another detector is described by writing another
 * `DetectorGeometry`; nothing in the simulation is TrackML-specific.
 */

/** Local measurement pitch of a layer's sensors in mm; the hit is smeared by pitch/sqrt(12). */
export interface Pitch {
  /** Along r*phi. */
  readonly u: number;
  /** Along z (barrel) or r (disk): the pixel length or the strip length. */
  readonly v: number;
}

interface LayerCommon {
  readonly volumeId: number;
  /** Even numbers from 2, increasing with r in barrels and with z in endcaps. */
  readonly layerId: number;
  /** Thickness in radiation lengths at normal incidence. */
  readonly radiationLengths: number;
  readonly pitch: Pitch;
  /** Probability that a crossing of an active module records a hit. */
  readonly efficiency: number;
  /**
   * Modules alternate between two surfaces `stagger` mm apart (inner/outer in r for barrels,
   * near/far in z for disks) and extend `phiOverlap` of their slot width into each neighbour's
   * slot, so tracks crossing a module edge leave two hits on one layer, as in TrackML.
   */
  readonly stagger: number;
  readonly phiOverlap: number;
}

export interface BarrelLayer extends LayerCommon {
  readonly kind: 'barrel';
  /** Nominal radius in mm (the mean of the two staggered surfaces). */
  readonly radius: number;
  readonly halfLengthZ: number;
  /** Modules around phi (even, so the staggering alternates cleanly). */
  readonly modulesPhi: number;
  /** Modules along z. */
  readonly modulesZ: number;
}

export interface DiskRing {
  readonly rMin: number;
  readonly rMax: number;
  /** Modules around phi (even). */
  readonly modulesPhi: number;
}

export interface DiskLayer extends LayerCommon {
  readonly kind: 'disk';
  /** Nominal z in mm (signed). */
  readonly z: number;
  /** Contiguous rings from the inner to the outer radius. */
  readonly rings: readonly DiskRing[];
}

export type Layer = BarrelLayer | DiskLayer;

/** Material without sensors, e.g. the beam pipe. */
export interface PassiveCylinder {
  readonly name: string;
  readonly radius: number;
  readonly halfLengthZ: number;
  readonly radiationLengths: number;
}

export interface DetectorGeometry {
  readonly name: string;
  /** Solenoid field along +z in tesla, uniform. */
  readonly bFieldTesla: number;
  readonly layers: readonly Layer[];
  readonly passive: readonly PassiveCylinder[];
}

import type { BarrelLayer, DetectorGeometry, DiskLayer, DiskRing, Pitch } from './types';

/**
 * The TrackML detector at layer level (volumes, radii, disk positions and extents from the TrackML
 * challenge documentation, see shared/data/README.md). Module counts follow the layout of the
 * generic detector TrackML was simulated with (ACTS's GenericDetector in its TrackML configuration:
 * pixel staves 16/32/52/78 in phi, 14 in z; short-strip staves 40/56/78/102, 21 in z); disk rings
 * get an even module count of about the barrel module width. Strip lengths (1.2 mm short, 10.8 mm
 * long) are the challenge's cell sizes.
 *
 * Module overlaps in phi are that detector's: its modules are wider than their share of the
 * circumference, so a track near a module edge crosses two modules of one layer. The fraction a
 * module reaches into each neighbour's slot is (w cos(tilt) / slot - 1) / 2 for a module of width w
 * tilted by `tilt`: pixel barrel modules 16.8 mm wide, tilted 0.14 rad, give 0.16, 0.09, 0.09, 0.10
 * on the four layers; short-strip barrel modules 48 mm wide, tilted 0.15 rad, 0.08-0.09; long-strip
 * barrel 0.05-0.06 (its 48 mm modules, 120 and 152 around phi). On the disks the overlap varies
 * with radius; the values below are the averages over each ring's radii: pixel 0.2 (rectangular
 * 16.8 mm modules, 40 and 68 around the two rings, overlapping most at the inner radius), short
 * strips 0.04 (trapezoids that follow the slot width), long strips 0.08.
 */

const PIXEL: Pitch = { u: 0.05, v: 0.056 };
const SHORT_STRIP: Pitch = { u: 0.06, v: 1.2 };
const LONG_STRIP: Pitch = { u: 0.1, v: 10.8 };

const MATERIAL_PER_LAYER = 0.01;
const EFFICIENCY = 0.98;

interface BarrelVolume {
  volumeId: number;
  radii: number[];
  modulesPhi: number[];
  modulesZ: number;
  halfLengthZ: number;
  pitch: Pitch;
  stagger: number;
  /** Per layer, see the overlaps above. */
  phiOverlap: number[];
}

interface EndcapVolumes {
  negativeVolumeId: number;
  positiveVolumeId: number;
  absZ: number[];
  rings: DiskRing[];
  pitch: Pitch;
  stagger: number;
  phiOverlap: number;
}

function barrelLayers(v: BarrelVolume): BarrelLayer[] {
  return v.radii.map((radius, i) => ({
    kind: 'barrel',
    volumeId: v.volumeId,
    layerId: 2 * (i + 1),
    radius,
    halfLengthZ: v.halfLengthZ,
    modulesPhi: v.modulesPhi[i],
    modulesZ: v.modulesZ,
    radiationLengths: MATERIAL_PER_LAYER,
    pitch: v.pitch,
    efficiency: EFFICIENCY,
    stagger: v.stagger,
    phiOverlap: v.phiOverlap[i],
  }));
}

/** An even number of modules of about `width` mm around a ring of mean radius r. */
function ring(rMin: number, rMax: number, width: number): DiskRing {
  const n = Math.ceil((2 * Math.PI * 0.5 * (rMin + rMax)) / width);
  return { rMin, rMax, modulesPhi: n + (n % 2) };
}

function endcapLayers(v: EndcapVolumes): DiskLayer[] {
  const disk = (volumeId: number, z: number, layerId: number): DiskLayer => ({
    kind: 'disk',
    volumeId,
    layerId,
    z,
    rings: v.rings,
    radiationLengths: MATERIAL_PER_LAYER,
    pitch: v.pitch,
    efficiency: EFFICIENCY,
    stagger: v.stagger,
    phiOverlap: v.phiOverlap,
  });
  const n = v.absZ.length;
  // Layer ids increase with z: on the negative side layer 2 is the disk farthest from the centre.
  const negative = v.absZ.map((z, i) => disk(v.negativeVolumeId, -z, 2 * (n - i)));
  const positive = v.absZ.map((z, i) => disk(v.positiveVolumeId, z, 2 * (i + 1)));
  return [...negative, ...positive];
}

export function trackmlGeometry(): DetectorGeometry {
  const pixelDisksZ = [600, 700, 820, 960, 1100, 1300, 1500];
  const stripDisksZ = [1220, 1500, 1800, 2150, 2550, 2950];
  const layers = [
    ...endcapLayers({
      negativeVolumeId: 7,
      positiveVolumeId: 9,
      absZ: pixelDisksZ,
      rings: [ring(30, 100, 14), ring(100, 176, 14)],
      pitch: PIXEL,
      stagger: 2,
      phiOverlap: 0.2,
    }),
    ...barrelLayers({ volumeId: 8, radii: [32, 72, 116, 172], modulesPhi: [16, 32, 52, 78], modulesZ: 14, halfLengthZ: 490, pitch: PIXEL, stagger: 2, phiOverlap: [0.16, 0.09, 0.09, 0.1] }),
    ...endcapLayers({
      negativeVolumeId: 12,
      positiveVolumeId: 14,
      absZ: stripDisksZ,
      rings: [ring(240, 360, 41), ring(360, 480, 41), ring(480, 600, 41), ring(600, 700, 41)],
      pitch: SHORT_STRIP,
      stagger: 4,
      phiOverlap: 0.04,
    }),
    ...barrelLayers({ volumeId: 13, radii: [260, 360, 500, 660], modulesPhi: [40, 56, 78, 102], modulesZ: 21, halfLengthZ: 1080, pitch: SHORT_STRIP, stagger: 4, phiOverlap: [0.08, 0.09, 0.09, 0.085] }),
    ...endcapLayers({
      negativeVolumeId: 16,
      positiveVolumeId: 18,
      absZ: stripDisksZ,
      rings: [ring(750, 885, 80), ring(885, 1020, 80)],
      pitch: LONG_STRIP,
      stagger: 4,
      phiOverlap: 0.08,
    }),
    ...barrelLayers({ volumeId: 17, radii: [820, 1020], modulesPhi: [64, 80], modulesZ: 21, halfLengthZ: 1080, pitch: LONG_STRIP, stagger: 4, phiOverlap: [0.055, 0.065] }),
  ];
  return {
    name: 'trackml',
    bFieldTesla: 2,
    layers,
    passive: [{ name: 'beam pipe', radius: 19, halfLengthZ: 3000, radiationLengths: 0.003 }],
  };
}

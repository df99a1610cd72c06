import { ConfigError } from '@hypertrack/core';

/**
 * A detector at layer level, as plain data: detsim's `DetectorGeometry` (`trackmlGeometry()`) is
 * one, and so is any other detector written in the same shape. Lengths in mm.
 */
export interface DetectorOutline {
  readonly name: string;
  readonly layers: readonly DetectorLayerOutline[];
  /** Material without sensors, e.g. the beam pipe: cylinders. */
  readonly passive?: readonly { readonly name: string; readonly radius: number; readonly halfLengthZ: number }[];
}

/** A barrel layer: a cylinder of `radius` from z = -halfLengthZ to +halfLengthZ. An end-cap disk: an annulus at `z` over its rings. */
export type DetectorLayerOutline =
  | { readonly kind: 'barrel'; readonly volumeId: number; readonly layerId: number; readonly radius: number; readonly halfLengthZ: number }
  | { readonly kind: 'disk'; readonly volumeId: number; readonly layerId: number; readonly z: number; readonly rings: readonly { readonly rMin: number; readonly rMax: number }[] };

export interface PhoenixGeometryOptions {
  /** Straight segments per circle (default 72: the polygon's sagitta is 0.1 % of the radius). */
  readonly segments?: number;
  /** Opacity Phoenix gives the detector (default 0.25, so that tracks inside stay visible; 1 is opaque). */
  readonly opacity?: number;
}

/** The part of glTF 2.0 (Khronos) that the geometry export writes: a self-contained `.gltf` JSON file. */
export interface GltfDocument {
  asset: { version: '2.0'; generator: string };
  scene: number;
  scenes: { name: string; nodes: number[]; extras: { opacity?: number } }[];
  nodes: { name: string; mesh: number; extras: GltfLayerExtras }[];
  meshes: { name: string; primitives: { attributes: { POSITION: number; NORMAL: number }; indices: number; material: number; mode: 4 }[] }[];
  materials: { name: string; doubleSided: true; pbrMetallicRoughness: { baseColorFactor: [number, number, number, number]; metallicFactor: number; roughnessFactor: number } }[];
  accessors: GltfAccessor[];
  bufferViews: { buffer: 0; byteOffset: number; byteLength: number; target: 34962 | 34963 }[];
  buffers: [{ byteLength: number; uri: string }];
}

export interface GltfAccessor {
  bufferView: number;
  componentType: 5126 | 5123 | 5125;
  count: number;
  type: 'VEC3' | 'SCALAR';
  min?: number[];
  max?: number[];
}

/** What each node is, in the detector's own terms (mm), kept in the node's glTF `extras`. */
export type GltfLayerExtras =
  | { kind: 'barrel'; volumeId: number; layerId: number; radius: number; halfLengthZ: number }
  | { kind: 'disk'; volumeId: number; layerId: number; z: number; rMin: number; rMax: number }
  | { kind: 'passive'; radius: number; halfLengthZ: number };

/**
 * Colours (sRGB) per subsystem: a barrel volume and the end-cap volumes whose disks cover its radii,
 * in the order of the barrels from the inside out. The first three are those of Phoenix's own
 * TrackML demo (pixel, short strips, long strips). Passive material grey.
 */
const SUBSYSTEM_COLOURS = [0xe2a9e8, 0x369f95, 0xe9a23b, 0x4e79a7, 0xf28e2b, 0x59a14f, 0xb07aa1, 0x76b7b2, 0xedc948];
const PASSIVE_COLOUR = 0x7f7f7f;

/** Colour per volume id: barrel volumes by their inner radius; an end-cap volume shares the colour of the barrel volume its disks overlap most in r, or gets one of its own. */
function volumeColours(layers: readonly DetectorLayerOutline[]): Map<number, number> {
  const span = new Map<number, { kind: 'barrel' | 'disk'; rMin: number; rMax: number }>();
  for (const l of layers) {
    const [lo, hi] = l.kind === 'barrel' ? [l.radius, l.radius] : [Math.min(...l.rings.map((r) => r.rMin)), Math.max(...l.rings.map((r) => r.rMax))];
    const s = span.get(l.volumeId) ?? { kind: l.kind, rMin: lo, rMax: hi };
    span.set(l.volumeId, { kind: s.kind, rMin: Math.min(s.rMin, lo), rMax: Math.max(s.rMax, hi) });
  }
  const barrels = [...span].filter(([, s]) => s.kind === 'barrel').sort((a, b) => a[1].rMin - b[1].rMin);
  const colours = new Map<number, number>(barrels.map(([id], k) => [id, SUBSYSTEM_COLOURS[k % SUBSYSTEM_COLOURS.length]]));
  let next = barrels.length;
  for (const [id, s] of span) {
    if (s.kind === 'barrel') continue;
    const overlap = (b: { rMin: number; rMax: number }) => Math.min(s.rMax, b.rMax) - Math.max(s.rMin, b.rMin);
    const best = barrels.filter(([, b]) => overlap(b) >= 0).sort((a, b) => overlap(b[1]) - overlap(a[1]))[0];
    colours.set(id, best ? (colours.get(best[0]) as number) : SUBSYSTEM_COLOURS[next++ % SUBSYSTEM_COLOURS.length]);
  }
  return colours;
}

/** glTF colours are linear RGB; Phoenix turns them back into the sRGB hex given here. */
function linearRgba(hex: number): [number, number, number, number] {
  const linear = (c: number) => {
    const s = c / 255;
    return Math.round((s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4) * 1e6) / 1e6;
  };
  return [linear((hex >> 16) & 0xff), linear((hex >> 8) & 0xff), linear(hex & 0xff), 1];
}

interface Surface {
  positions: number[];
  normals: number[];
  indices: number[];
}

/** An open cylinder of radius r from z0 to z1: `segments` quads, normals pointing out. */
function cylinder(r: number, z0: number, z1: number, segments: number): Surface {
  const s: Surface = { positions: [], normals: [], indices: [] };
  for (let k = 0; k < segments; k++) {
    const phi = (2 * Math.PI * k) / segments;
    const [c, n] = [Math.cos(phi), Math.sin(phi)];
    s.positions.push(r * c, r * n, z0, r * c, r * n, z1);
    s.normals.push(c, n, 0, c, n, 0);
    const [a, b, a1, b1] = [2 * k, 2 * k + 1, (2 * k + 2) % (2 * segments), (2 * k + 3) % (2 * segments)];
    s.indices.push(a, a1, b, b, a1, b1);
  }
  return s;
}

/** An annulus from rMin to rMax at z: `segments` quads, normals along +z. */
function annulus(rMin: number, rMax: number, z: number, segments: number): Surface {
  const s: Surface = { positions: [], normals: [], indices: [] };
  for (let k = 0; k < segments; k++) {
    const phi = (2 * Math.PI * k) / segments;
    const [c, n] = [Math.cos(phi), Math.sin(phi)];
    s.positions.push(rMin * c, rMin * n, z, rMax * c, rMax * n, z);
    s.normals.push(0, 0, 1, 0, 0, 1);
    const [a, b, a1, b1] = [2 * k, 2 * k + 1, (2 * k + 2) % (2 * segments), (2 * k + 3) % (2 * segments)];
    s.indices.push(a, b, a1, a1, b, b1);
  }
  return s;
}

/**
 * The detector as a glTF 2.0 file for Phoenix's geometry import ("Load .gltf/.glb" in the
 * Import/export dialog, or `eventDisplay.loadGLTFGeometry(url, name)`): one node and mesh per
 * layer (barrels as open cylinders at their nominal radius, end-cap disks as flat annuli from the
 * innermost to the outermost ring radius at their nominal z) and one per passive cylinder, one
 * material per volume, coloured by subsystem (a barrel and its end-caps). An approximation at layer level: no modules, no staggering, circles as
 * regular polygons with their corners on the circle. Coordinates are in mm like Phoenix's event
 * data (not glTF's nominal metres: other glTF viewers show it 1000 times too large). Phoenix draws
 * it double-sided with the scene's `extras.opacity`.
 */
export function toPhoenixGeometry(detector: DetectorOutline, options: PhoenixGeometryOptions = {}): GltfDocument {
  const segments = options.segments ?? 72;
  const opacity = options.opacity ?? 0.25;
  if (!Number.isInteger(segments) || segments < 3 || segments > 16384) throw new ConfigError('segments', `must be an integer in [3, 16384], got ${segments}`);
  if (!(opacity > 0 && opacity <= 1)) throw new ConfigError('opacity', `must be in (0, 1], got ${opacity}`);

  const parts: { name: string; surface: Surface; material: string; extras: GltfLayerExtras }[] = [];
  for (const layer of detector.layers) {
    const id = `volume ${layer.volumeId} layer ${layer.layerId}`;
    if (layer.kind === 'barrel') {
      const { radius, halfLengthZ } = layer;
      if (!(radius > 0 && halfLengthZ > 0)) throw new ConfigError('detector', `${id}: radius and halfLengthZ must be > 0, got ${radius} and ${halfLengthZ}`);
      parts.push({ name: `${id}: barrel, r = ${radius} mm, |z| <= ${halfLengthZ} mm`, surface: cylinder(radius, -halfLengthZ, halfLengthZ, segments), material: `volume ${layer.volumeId}`, extras: { kind: 'barrel', volumeId: layer.volumeId, layerId: layer.layerId, radius, halfLengthZ } });
    } else {
      const rMin = Math.min(...layer.rings.map((r) => r.rMin));
      const rMax = Math.max(...layer.rings.map((r) => r.rMax));
      if (!(rMin >= 0 && rMax > rMin)) throw new ConfigError('detector', `${id}: a disk needs rings with 0 <= rMin < rMax, got ${rMin} to ${rMax}`);
      parts.push({ name: `${id}: disk, z = ${layer.z} mm, ${rMin} <= r <= ${rMax} mm`, surface: annulus(rMin, rMax, layer.z, segments), material: `volume ${layer.volumeId}`, extras: { kind: 'disk', volumeId: layer.volumeId, layerId: layer.layerId, z: layer.z, rMin, rMax } });
    }
  }
  for (const p of detector.passive ?? []) {
    parts.push({ name: `${p.name}: r = ${p.radius} mm, |z| <= ${p.halfLengthZ} mm`, surface: cylinder(p.radius, -p.halfLengthZ, p.halfLengthZ, segments), material: 'passive', extras: { kind: 'passive', radius: p.radius, halfLengthZ: p.halfLengthZ } });
  }

  const colours = volumeColours(detector.layers);
  const materialNames = [...new Set(parts.map((p) => p.material))];
  const materials = materialNames.map((name) => ({
    name,
    doubleSided: true as const,
    pbrMetallicRoughness: { baseColorFactor: linearRgba(colours.get(Number(name.replace('volume ', ''))) ?? PASSIVE_COLOUR), metallicFactor: 0, roughnessFactor: 1 },
  }));

  // One buffer: per part, positions and normals (float32), then indices (uint16 or uint32), each 4-byte aligned.
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const doc: GltfDocument = {
    asset: { version: '2.0', generator: '@hypertrack/report toPhoenixGeometry' },
    scene: 0,
    scenes: [{ name: `${detector.name} detector`, nodes: parts.map((_, i) => i), extras: opacity < 1 ? { opacity } : {} }],
    nodes: [],
    meshes: [],
    materials,
    accessors: [],
    bufferViews: [],
    buffers: [{ byteLength: 0, uri: '' }],
  };
  const view = (bytes: Uint8Array, target: 34962 | 34963): number => {
    doc.bufferViews.push({ buffer: 0, byteOffset: offset, byteLength: bytes.byteLength, target });
    const padded = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
    padded.set(bytes);
    chunks.push(padded);
    offset += padded.byteLength;
    return doc.bufferViews.length - 1;
  };
  const vec3 = (values: number[], bounds: boolean): number => {
    const data = Float32Array.from(values);
    const accessor: GltfAccessor = { bufferView: view(new Uint8Array(data.buffer), 34962), componentType: 5126, count: data.length / 3, type: 'VEC3' };
    if (bounds) {
      // min and max of the float32 values as stored (glTF requires them for POSITION).
      accessor.min = [0, 1, 2].map((c) => data.filter((_, i) => i % 3 === c).reduce((m, v) => Math.min(m, v), Infinity));
      accessor.max = [0, 1, 2].map((c) => data.filter((_, i) => i % 3 === c).reduce((m, v) => Math.max(m, v), -Infinity));
    }
    doc.accessors.push(accessor);
    return doc.accessors.length - 1;
  };
  for (const [i, part] of parts.entries()) {
    const { positions, normals, indices } = part.surface;
    const position = vec3(positions, true);
    const normal = vec3(normals, false);
    const wide = positions.length / 3 > 65535;
    const index = wide ? Uint32Array.from(indices) : Uint16Array.from(indices);
    doc.accessors.push({ bufferView: view(new Uint8Array(index.buffer), 34963), componentType: wide ? 5125 : 5123, count: index.length, type: 'SCALAR' });
    doc.meshes.push({ name: part.name, primitives: [{ attributes: { POSITION: position, NORMAL: normal }, indices: doc.accessors.length - 1, material: materialNames.indexOf(part.material), mode: 4 }] });
    doc.nodes.push({ name: part.name, mesh: i, extras: part.extras });
  }
  const buffer = Buffer.concat(chunks);
  doc.buffers[0] = { byteLength: buffer.byteLength, uri: `data:application/octet-stream;base64,${buffer.toString('base64')}` };
  return doc;
}

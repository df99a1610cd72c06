import { ConfigError } from '@hypertrack/core';
import { trackmlGeometry, type BarrelLayer, type DiskLayer } from '@hypertrack/detsim';
import { toPhoenixGeometry, type DetectorOutline, type GltfDocument } from './geometry';
import { accessorValues, gltfProblem } from './testing';

const detector = trackmlGeometry();
const doc = toPhoenixGeometry(detector);

/** The vertices of node `i`'s mesh as [x, y, z] triplets. */
function vertices(d: GltfDocument, i: number): [number, number, number][] {
  const values = accessorValues(d, d.meshes[d.nodes[i].mesh].primitives[0].attributes.POSITION);
  return Array.from({ length: values.length / 3 }, (_, k) => [values[3 * k], values[3 * k + 1], values[3 * k + 2]]);
}

describe('toPhoenixGeometry', () => {
  test('a glTF 2.0 document that a reader can load: references, bounds, indices and normals check out, and it survives JSON', () => {
    expect(gltfProblem(doc)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(doc.scenes).toEqual([{ name: 'trackml detector', nodes: doc.nodes.map((_, i) => i), extras: { opacity: 0.25 } }]);
    expect(toPhoenixGeometry(detector, { opacity: 1 }).scenes[0].extras).toEqual({});
  });

  test('the checker catches a broken document', () => {
    const broken = JSON.parse(JSON.stringify(doc)) as GltfDocument;
    broken.accessors[0].max = [0, 0, 0];
    expect(gltfProblem(broken)).toMatch(/min\/max do not match/);
    const missing = JSON.parse(JSON.stringify(doc)) as GltfDocument;
    missing.meshes[3].primitives[0].material = 99;
    expect(gltfProblem(missing)).toMatch(/mesh 3: not triangles, or a missing material/);
  });

  test('one node per layer and per passive cylinder: the TrackML detector has 10 barrel layers, 38 disks and the beam pipe', () => {
    const kinds = doc.nodes.map((n) => n.extras.kind);
    expect(kinds.filter((k) => k === 'barrel')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'disk')).toHaveLength(38);
    expect(kinds.filter((k) => k === 'passive')).toHaveLength(1);
    expect(doc.nodes).toHaveLength(detector.layers.length + detector.passive.length);
  });

  test('barrel layers: cylinders at the layer radii from -halfLengthZ to +halfLengthZ', () => {
    const barrels = detector.layers.filter((l): l is BarrelLayer => l.kind === 'barrel');
    expect(barrels.map((l) => l.radius)).toEqual([32, 72, 116, 172, 260, 360, 500, 660, 820, 1020]);
    for (const layer of barrels) {
      const i = doc.nodes.findIndex((n) => n.extras.kind === 'barrel' && n.extras.volumeId === layer.volumeId && n.extras.layerId === layer.layerId);
      expect(doc.nodes[i].extras).toEqual({ kind: 'barrel', volumeId: layer.volumeId, layerId: layer.layerId, radius: layer.radius, halfLengthZ: layer.halfLengthZ });
      const points = vertices(doc, i);
      expect(points).toHaveLength(2 * 72);
      for (const [x, y, z] of points) {
        expect(Math.hypot(x, y)).toBeCloseTo(layer.radius, 3);
        expect(Math.abs(z)).toBe(layer.halfLengthZ);
      }
      const accessor = doc.accessors[doc.meshes[i].primitives[0].attributes.POSITION];
      expect([accessor.min?.[2], accessor.max?.[2]]).toEqual([-layer.halfLengthZ, layer.halfLengthZ]);
      expect(accessor.max?.[0]).toBe(layer.radius);
    }
  });

  test('end-cap disks: annuli at the disk z from the innermost to the outermost ring radius', () => {
    const disks = detector.layers.filter((l): l is DiskLayer => l.kind === 'disk');
    expect([...new Set(disks.map((l) => Math.abs(l.z)))].sort((a, b) => a - b)).toEqual([600, 700, 820, 960, 1100, 1220, 1300, 1500, 1800, 2150, 2550, 2950]);
    for (const layer of disks) {
      const i = doc.nodes.findIndex((n) => n.extras.kind === 'disk' && n.extras.volumeId === layer.volumeId && n.extras.layerId === layer.layerId);
      const rMin = layer.rings[0].rMin;
      const rMax = layer.rings[layer.rings.length - 1].rMax;
      expect(doc.nodes[i].extras).toEqual({ kind: 'disk', volumeId: layer.volumeId, layerId: layer.layerId, z: layer.z, rMin, rMax });
      const radii = vertices(doc, i).map(([x, y, z]) => {
        expect(z).toBe(layer.z);
        return Math.hypot(x, y);
      });
      expect(Math.min(...radii)).toBeCloseTo(rMin, 3);
      expect(Math.max(...radii)).toBeCloseTo(rMax, 3);
    }
    // The pixel disks span 30-176 mm, the short strips 240-700 mm, the long strips 750-1020 mm.
    const spans = new Set(doc.nodes.flatMap((n) => (n.extras.kind === 'disk' ? [`${n.extras.rMin}-${n.extras.rMax}`] : [])));
    expect([...spans].sort()).toEqual(['240-700', '30-176', '750-1020']);
  });

  test('one material per volume, coloured per subsystem (a barrel and its end-caps), passive material grey, all double-sided', () => {
    const volumes = new Set(detector.layers.map((l) => l.volumeId));
    expect(doc.materials.map((m) => m.name)).toEqual([...[...volumes].map((v) => `volume ${v}`), 'passive']);
    expect(doc.materials.every((m) => m.doubleSided)).toBe(true);
    const colour = (name: string) => JSON.stringify(doc.materials.find((m) => m.name === name)?.pbrMetallicRoughness.baseColorFactor);
    const subsystems = [
      [7, 8, 9],
      [12, 13, 14],
      [16, 17, 18],
    ].map((ids) => new Set(ids.map((id) => colour(`volume ${id}`))));
    expect(subsystems.map((s) => s.size)).toEqual([1, 1, 1]);
    expect(new Set(subsystems.map((s) => [...s][0])).size).toBe(3);
    // Back to sRGB as three.js does (Color.getHex): Phoenix's TrackML demo colours, pixels #e2a9e8, short strips #369f95, long strips #e9a23b.
    const srgb = (name: string) =>
      (JSON.parse(colour(name)) as number[])
        .slice(0, 3)
        .map((c) => Math.round(255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055)).toString(16).padStart(2, '0'))
        .join('');
    expect(['volume 8', 'volume 13', 'volume 17'].map(srgb)).toEqual(['e2a9e8', '369f95', 'e9a23b']);
    const grey = JSON.parse(colour('passive'));
    expect(grey[0]).toBe(grey[1]);
  });

  test("segments and a detector of one's own; bad input is a ConfigError naming it", () => {
    const own: DetectorOutline = { name: 'toy', layers: [{ kind: 'barrel', volumeId: 1, layerId: 2, radius: 50, halfLengthZ: 100 }] };
    const small = toPhoenixGeometry(own, { segments: 4 });
    expect(gltfProblem(small)).toBeUndefined();
    expect(vertices(small, 0).map((p) => p.map((v) => Math.round(v) + 0))).toEqual([
      [50, 0, -100],
      [50, 0, 100],
      [0, 50, -100],
      [0, 50, 100],
      [-50, 0, -100],
      [-50, 0, 100],
      [0, -50, -100],
      [0, -50, 100],
    ]);
    expect(() => toPhoenixGeometry(own, { segments: 2 })).toThrow(new ConfigError('segments', 'must be an integer in [3, 16384], got 2'));
    expect(() => toPhoenixGeometry(own, { opacity: 0 })).toThrow('opacity: must be in (0, 1], got 0');
    expect(() => toPhoenixGeometry({ name: 'bad', layers: [{ kind: 'disk', volumeId: 1, layerId: 2, z: 5, rings: [] }] })).toThrow(/volume 1 layer 2: a disk needs rings/);
  });
});

/**
 * Checks for the tests: what Phoenix's JSON loader (phoenix-event-display, loaders/phoenix-loader.ts
 * and object-type-registry.ts) and the format checker of HSF phoenix-helpers
 * (checkers/event_file_checker.py) expect of an event file, and what a glTF 2.0 reader expects of
 * the geometry file. Not part of the package's API.
 */
import type { GltfDocument } from './geometry';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isTriplet = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every(isNumber);
const isHex = (v: unknown) => typeof v === 'string' && /^(0x)?[0-9a-fA-F]{6}$/.test(v) && Number.isInteger(parseInt(v, 16));

/** The object types of Phoenix's registry (getDefaultObjectTypeConfigs); any other key holding an object is not drawn. */
export const PHOENIX_OBJECT_TYPES = ['Tracks', 'Jets', 'Hits', 'CaloClusters', 'CaloCells', 'PlanarCaloCells', 'IrregularCaloCells', 'Muons', 'Photons', 'Electrons', 'Vertices', 'MissingEnergy'];
/** The fields of a track that Phoenix builds cut sliders for (if the collection's first track has them). */
export const PHOENIX_TRACK_CUTS = ['phi', 'eta', 'chi2', 'dof', 'pT', 'z0', 'd0', 'dca', 'angle'];

/** The first problem Phoenix would have with an event file, or undefined. */
export function phoenixProblem(file: unknown): string | undefined {
  if (!isObject(file)) return 'top level is not an object';
  for (const [name, event] of Object.entries(file)) {
    if (!isObject(event)) return `event ${name} is not an object`;
    if (!('event number' in event || 'eventNumber' in event)) return `event ${name} has no event number`;
    if (!('run number' in event || 'runNumber' in event)) return `event ${name} has no run number`;
    for (const [type, collections] of Object.entries(event)) {
      if (!isObject(collections)) continue;
      if (!PHOENIX_OBJECT_TYPES.includes(type)) return `unknown object type ${type}`;
      for (const [collection, objects] of Object.entries(collections)) {
        const where = `${name}/${type}/${collection}`;
        if (!Array.isArray(objects)) return `${where} is not a list`;
        if (type === 'Tracks') {
          for (const [k, t] of objects.entries()) {
            if (!isObject(t)) return `${where}[${k}] is not an object`;
            if (!Array.isArray(t.pos) || !t.pos.every(isTriplet)) return `${where}[${k}].pos is not a list of [x, y, z]`;
            if (t.pos.length < 3 && t.dparams === undefined) return `${where}[${k}] has fewer than 3 positions and no dparams: Phoenix would not draw it`;
            if (t.color !== undefined && !isHex(t.color)) return `${where}[${k}].color is not a hex string`;
            if (t.dparams !== undefined && !(Array.isArray(t.dparams) && t.dparams.length === 5 && t.dparams.every(isNumber))) return `${where}[${k}].dparams`;
            for (const cut of [...PHOENIX_TRACK_CUTS, 'mom', 'charge']) if (t[cut] !== undefined && !isNumber(t[cut])) return `${where}[${k}].${cut} is not a number`;
          }
        }
        if (type === 'Hits' && objects.length > 0) {
          if (Array.isArray(objects[0])) {
            if (!objects.every(isTriplet)) return `${where}: positions are not all [x, y, z]`;
            continue;
          }
          const hitType = isObject(objects[0]) ? (objects[0].type ?? 'Point') : undefined;
          for (const [k, h] of objects.entries()) {
            if (!isObject(h)) return `${where}[${k}] is not an object`;
            if ((h.type ?? 'Point') !== hitType) return `${where}[${k}]: all hits of a collection must share one type`;
            if (!['Point', 'CircularPoint', 'Line', 'Box'].includes(String(hitType))) return `${where}: unknown hit type ${String(hitType)}`;
            const n = hitType === 'Point' || hitType === 'CircularPoint' ? 3 : 6;
            if (!Array.isArray(h.pos) || h.pos.length !== n || !h.pos.every(isNumber)) return `${where}[${k}].pos needs ${n} numbers`;
            if (h.color !== undefined && typeof h.color !== 'string') return `${where}[${k}].color is not a string`;
          }
        }
      }
    }
  }
  return undefined;
}

const COMPONENTS = { SCALAR: 1, VEC3: 3 } as const;
const BYTES = { 5126: 4, 5123: 2, 5125: 4 } as const;

/** The buffer of an embedded glTF (its base64 data URI). */
export function gltfBuffer(doc: GltfDocument): Buffer {
  const prefix = 'data:application/octet-stream;base64,';
  return Buffer.from(doc.buffers[0].uri.slice(prefix.length), 'base64');
}

/** An accessor's values, as numbers. */
export function accessorValues(doc: GltfDocument, index: number): number[] {
  const a = doc.accessors[index];
  const view = doc.bufferViews[a.bufferView];
  const buffer = gltfBuffer(doc);
  const n = a.count * COMPONENTS[a.type];
  const start = buffer.byteOffset + view.byteOffset;
  const bytes = buffer.buffer.slice(start, start + n * BYTES[a.componentType]);
  const array = a.componentType === 5126 ? new Float32Array(bytes) : a.componentType === 5123 ? new Uint16Array(bytes) : new Uint32Array(bytes);
  return Array.from(array);
}

/**
 * The first problem a glTF 2.0 reader (three.js's GLTFLoader, which Phoenix uses) would have with
 * the document, or undefined: the references between its parts, the accessors within their views
 * and the buffer, POSITION bounds that match the data, indices within the vertices, triangles.
 */
export function gltfProblem(doc: GltfDocument): string | undefined {
  if (doc.asset?.version !== '2.0') return 'asset.version is not 2.0';
  const prefix = 'data:application/octet-stream;base64,';
  if (doc.buffers.length !== 1 || !doc.buffers[0].uri.startsWith(prefix)) return 'not one embedded buffer';
  const buffer = gltfBuffer(doc);
  if (buffer.byteLength !== doc.buffers[0].byteLength) return `buffer has ${buffer.byteLength} bytes, byteLength says ${doc.buffers[0].byteLength}`;
  if (!doc.scenes[doc.scene]) return 'no default scene';
  for (const scene of doc.scenes) if (!scene.nodes.every((n) => doc.nodes[n] !== undefined)) return `scene ${scene.name} names a missing node`;
  for (const [i, v] of doc.bufferViews.entries()) {
    if (v.byteOffset % 4 !== 0 || v.byteOffset + v.byteLength > buffer.byteLength) return `bufferView ${i} is misaligned or past the buffer`;
  }
  for (const [i, a] of doc.accessors.entries()) {
    const view = doc.bufferViews[a.bufferView];
    if (!view) return `accessor ${i} names a missing bufferView`;
    if (!(a.count > 0) || a.count * COMPONENTS[a.type] * BYTES[a.componentType] > view.byteLength) return `accessor ${i} does not fit its bufferView`;
    if (view.target !== (a.type === 'SCALAR' ? 34963 : 34962)) return `accessor ${i}: bufferView target`;
  }
  for (const [i, node] of doc.nodes.entries()) if (!doc.meshes[node.mesh]) return `node ${i} names a missing mesh`;
  for (const [m, mesh] of doc.meshes.entries()) {
    for (const p of mesh.primitives) {
      if (p.mode !== 4 || !doc.materials[p.material]) return `mesh ${m}: not triangles, or a missing material`;
      const position = doc.accessors[p.attributes.POSITION];
      const normal = doc.accessors[p.attributes.NORMAL];
      const indices = doc.accessors[p.indices];
      if (position?.type !== 'VEC3' || position.componentType !== 5126 || !position.min || !position.max) return `mesh ${m}: POSITION must be float VEC3 with min and max`;
      if (normal?.type !== 'VEC3' || normal.count !== position.count) return `mesh ${m}: NORMAL must match POSITION`;
      if (indices?.type !== 'SCALAR' || indices.componentType === 5126 || indices.count % 3 !== 0) return `mesh ${m}: indices must be integers, three per triangle`;
      const values = accessorValues(doc, p.attributes.POSITION);
      for (let c = 0; c < 3; c++) {
        const column = values.filter((_, k) => k % 3 === c);
        if (Math.min(...column) !== position.min[c] || Math.max(...column) !== position.max[c]) return `mesh ${m}: POSITION min/max do not match the data`;
      }
      const n = accessorValues(doc, p.attributes.NORMAL);
      for (let k = 0; k < n.length; k += 3) if (Math.abs(Math.hypot(n[k], n[k + 1], n[k + 2]) - 1) > 1e-6) return `mesh ${m}: a normal is not a unit vector`;
      if (!accessorValues(doc, p.indices).every((v) => v < position.count)) return `mesh ${m}: an index past the vertices`;
    }
  }
  return undefined;
}

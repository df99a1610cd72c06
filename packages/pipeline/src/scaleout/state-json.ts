/**
 * JSON that keeps what plain JSON loses: typed arrays (as base64 of their bytes, tagged with their
 * type) and non-finite numbers, so that a shard's evaluation state comes back exactly.
 */
const TYPED = {
  Float32Array,
  Float64Array,
  Int8Array,
  Int16Array,
  Int32Array,
  Uint8Array,
  Uint16Array,
  Uint32Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedName = keyof typeof TYPED;

export function encodeState(value: unknown): string {
  return JSON.stringify(tag(value));
}

export function decodeState(text: string): unknown {
  return untag(JSON.parse(text));
}

function tag(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { $number: Object.is(value, -0) ? '-0' : String(value) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name as TypedName;
    if (!(name in TYPED)) throw new TypeError(`cannot encode a ${name}`);
    return { $typed: name, base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(tag);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tag(v)]));
  return value;
}

function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$number === 'string') return record.$number === '-0' ? -0 : Number(record.$number);
    if (typeof record.$typed === 'string' && typeof record.base64 === 'string') {
      const Type = TYPED[record.$typed as TypedName];
      if (Type === undefined) throw new TypeError(`unknown typed array ${record.$typed}`);
      const bytes = Buffer.from(record.base64, 'base64');
      // A copy into fresh, aligned memory.
      const buffer = new ArrayBuffer(bytes.length);
      new Uint8Array(buffer).set(bytes);
      return new Type(buffer);
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, untag(v)]));
  }
  return value;
}

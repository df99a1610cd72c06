/**
 * TrackML's 64-bit particle_id layout, read off the challenge's particle tables:
 * bits 52-63 vertex id, 36-51 primary id (within the vertex), 24-35 generation,
 * 12-23 secondary id, 0-11 process. 0 is reserved for noise.
 */
export interface ParticleIdFields {
  vertex: number;
  primary: number;
  generation: number;
  secondary: number;
  process: number;
}

const FIELDS = [
  ['vertex', 52n, 12],
  ['primary', 36n, 16],
  ['generation', 24n, 12],
  ['secondary', 12n, 12],
  ['process', 0n, 12],
] as const;

export function encodeParticleId(fields: ParticleIdFields): bigint {
  let id = 0n;
  for (const [name, shift, bits] of FIELDS) {
    const value = fields[name];
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
      throw new RangeError(`particle id field ${name}=${value} does not fit in ${bits} bits`);
    }
    id |= BigInt(value) << shift;
  }
  return id;
}

export function decodeParticleId(id: bigint): ParticleIdFields {
  const out = { vertex: 0, primary: 0, generation: 0, secondary: 0, process: 0 };
  for (const [name, shift, bits] of FIELDS) out[name] = Number((id >> shift) & ((1n << BigInt(bits)) - 1n));
  return out;
}

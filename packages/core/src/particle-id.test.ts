import { decodeParticleId, encodeParticleId } from './particle-id';

describe('TrackML particle_id layout', () => {
  it('decodes ids from the real event 1000 particle table', () => {
    // First and a secondary row of ../shared/data/trackml/event000001000-particles.csv.
    expect(decodeParticleId(4503668346847232n)).toEqual({ vertex: 1, primary: 1, generation: 0, secondary: 0, process: 0 });
    expect(decodeParticleId(0xd701cc001002002n)).toEqual({ vertex: 215, primary: 460, generation: 1, secondary: 2, process: 2 });
  });

  it('round-trips every field at its extremes', () => {
    const fields = { vertex: 4095, primary: 65535, generation: 4095, secondary: 4095, process: 4095 };
    expect(encodeParticleId(fields)).toBe(2n ** 64n - 1n);
    expect(decodeParticleId(encodeParticleId(fields))).toEqual(fields);
    expect(() => encodeParticleId({ ...fields, primary: 65536 })).toThrow(/primary=65536/);
  });
});

import { Rng } from '@hypertrack/core';
import { awkwardFloat32 } from '../test-support';
import { formatFloat32 } from './format-number';

describe('formatFloat32', () => {
  it('prints short, exact forms of simple values', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(Math.fround(-64.4099))).toBe('-64.4099');
    expect(formatFloat32(3)).toBe('3');
    expect(formatFloat32(-1502.5)).toBe('-1502.5');
    expect(formatFloat32(16777216)).toBe('16777216');
    expect(formatFloat32(0)).toBe('0');
    expect(formatFloat32(-0)).toBe('-0');
    expect(formatFloat32(Math.fround(1e-45))).toBe('1e-45');
  });

  it('matches the toPrecision search it replaces, text for text', () => {
    const reference = (v: number): string => {
      if (v === 0) return Object.is(v, -0) ? '-0' : '0';
      for (let p = 1; p <= 9; p++) {
        const d = parseFloat(v.toPrecision(p));
        if (Math.fround(d) === v) return String(d);
      }
      throw new Error('unreachable');
    };
    const rng = Rng.fromSeed(9);
    const values = [...awkwardFloat32(rng, 20000)];
    for (let i = 0; i < 20000; i++) values.push(Math.fround(Number(rng.normal(0, 1000).toPrecision(1 + rng.int(9)))));
    for (const v of values) expect(formatFloat32(v)).toBe(reference(v));
  });

  it('reads back to the same float32 for every kind of value', () => {
    const values = awkwardFloat32(Rng.fromSeed(5), 20000);
    for (const v of values) {
      const text = formatFloat32(v);
      expect(Object.is(Math.fround(parseFloat(text)), v)).toBe(true);
      expect(text.replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '').length).toBeLessThanOrEqual(9);
    }
  });
});

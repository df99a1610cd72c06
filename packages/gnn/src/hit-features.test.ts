import { checkGnnConfig, TUNE5_GNN } from './config';
import { hitFeatureDim, hitFeatures } from './hit-features';

describe('hit features', () => {
  it('passes x, y, z through for tune-5', () => {
    const points = Float32Array.from([1, 2, 3, -4, 5, -6]);
    expect(hitFeatures(points, 'xyz')).toBe(points);
    expect(hitFeatureDim('xyz')).toBe(3);
  });

  it('appends r, eta, cos phi and sin phi, by hand on three hits', () => {
    // (3, 4, 0): r 5, eta 0 (perpendicular to the beam), direction (0.6, 0.8);
    // (0, 1, 1): r 1, theta 45 degrees so eta = -ln tan(pi/8) = asinh(1), direction (0, 1);
    // (-1, 0, -2): r 1, eta = -asinh(2) (backward), direction (-1, 0).
    const out = hitFeatures(Float32Array.from([3, 4, 0, 0, 1, 1, -1, 0, -2]), 'xyz-cylindrical');
    const expected = [3, 4, 0, 5, 0, 0.6, 0.8, 0, 1, 1, 1, -Math.log(Math.tan(Math.PI / 8)), 0, 1, -1, 0, -2, 1, -Math.asinh(2), -1, 0];
    expect(out.length).toBe(21);
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
  });

  it('puts neighbours across phi = +-pi close together', () => {
    const out = hitFeatures(Float32Array.from([-100, 1, 0, -100, -1, 0]), 'xyz-cylindrical');
    const gap = Math.hypot(out[5] - out[12], out[6] - out[13]);
    expect(gap).toBeCloseTo(0.02, 3);
  });

  it('keeps a hit on the beam line finite', () => {
    const out = hitFeatures(Float32Array.from([0, 0, 100]), 'xyz-cylindrical');
    expect(Array.from(out).every(Number.isFinite)).toBe(true);
    expect(out[4]).toBeGreaterThan(10);
    expect([out[5], out[6]]).toEqual([1, 0]);
  });

  it('is checked against the first layer width in the config', () => {
    expect(() => checkGnnConfig({ ...TUNE5_GNN, hitFeatures: 'xyz-cylindrical' })).toThrow("'coordDim' is 3 but hitFeatures 'xyz-cylindrical' gives 7");
    expect(() => checkGnnConfig({ ...TUNE5_GNN, hitFeatures: 'xyz-cylindrical', coordDim: 7 })).not.toThrow();
    // Without hitFeatures the caller's own inputs, of any width, are accepted (another detector).
    expect(() => checkGnnConfig({ ...TUNE5_GNN, coordDim: 4 })).not.toThrow();
  });
});

import { checkGnnConfig, TUNE5_GNN } from './config';
import { hitFeatureDim, hitFeatures } from './hit-features';

describe('hit features', () => {
  it('passes x, y, z through for tune-5', () => {
    const points = Float32Array.from([1, 2, 3, -4, 5, -6]);
    expect(hitFeatures(points, 'xyz')).toBe(points);
    expect(hitFeatureDim('xyz')).toBe(3);
  });

  it('appends r, phi and eta, by hand on three hits', () => {
    // (3, 4, 0): r 5, phi atan2(4, 3), eta 0 (perpendicular to the beam);
    // (0, 1, 1): r 1, phi pi/2, theta 45 degrees so eta = -ln tan(pi/8) = asinh(1);
    // (-1, 0, -2): r 1, phi pi, eta = -asinh(2) (backward).
    const out = hitFeatures(Float32Array.from([3, 4, 0, 0, 1, 1, -1, 0, -2]), 'xyz-r-phi-eta');
    const expected = [3, 4, 0, 5, Math.atan2(4, 3), 0, 0, 1, 1, 1, Math.PI / 2, -Math.log(Math.tan(Math.PI / 8)), -1, 0, -2, 1, Math.PI, -Math.asinh(2)];
    expect(out.length).toBe(18);
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
  });

  it('keeps a hit on the beam line finite', () => {
    const out = hitFeatures(Float32Array.from([0, 0, 100]), 'xyz-r-phi-eta');
    expect(Array.from(out).every(Number.isFinite)).toBe(true);
    expect(out[5]).toBeGreaterThan(10);
  });

  it('is checked against the first layer width in the config', () => {
    expect(() => checkGnnConfig({ ...TUNE5_GNN, hitFeatures: 'xyz-r-phi-eta' })).toThrow("'coordDim' is 3 but hitFeatures 'xyz-r-phi-eta' gives 6");
    expect(() => checkGnnConfig({ ...TUNE5_GNN, hitFeatures: 'xyz-r-phi-eta', coordDim: 6 })).not.toThrow();
    // Without hitFeatures the caller's own inputs, of any width, are accepted (another detector).
    expect(() => checkGnnConfig({ ...TUNE5_GNN, coordDim: 4 })).not.toThrow();
  });
});

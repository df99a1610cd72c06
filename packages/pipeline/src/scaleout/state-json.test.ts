import { decodeState, encodeState } from './state-json';

it('round-trips typed arrays, non-finite numbers and nesting exactly', () => {
  const value = {
    rows: [{ dms: 0.5, auc: Number.NaN, time: Infinity, low: -Infinity, zero: -0 }],
    f32: Float32Array.from([0.1, -2.5e-38, Number.NaN]),
    nested: [[Int32Array.from([-1, 2 ** 31 - 1])], { u8: Uint8Array.from([0, 255]), ids: BigUint64Array.from([2n ** 64n - 1n]) }],
    text: 'x',
    none: null,
  };
  const back = decodeState(encodeState(value)) as typeof value;
  expect(back).toEqual(value);
  expect(Object.is(back.rows[0].zero, -0)).toBe(true);
  expect(back.f32).toBeInstanceOf(Float32Array);
  expect(Buffer.from(back.f32.buffer).equals(Buffer.from(value.f32.buffer))).toBe(true);
  expect((back.nested[1] as { ids: BigUint64Array }).ids[0]).toBe(2n ** 64n - 1n);
});

/** JSON with typed arrays as plain arrays and non-finite numbers as null (JSON has neither). */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      return v;
    },
    1,
  );
}

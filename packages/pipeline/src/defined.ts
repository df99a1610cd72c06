/** The entries of `values` whose value is not undefined: a layer of settings, where undefined means "not set here". */
export function definedValues<T extends object>(values: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Every leaf of a JSON value under its dotted path (arrays are leaves). */
function leaves(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) leaves(child, path === '' ? key : `${path}.${key}`, out);
  } else out.set(path, JSON.stringify(value));
  return out;
}

/**
 * The settings that differ between a run's recorded config and the one a resume asks for, as
 * `key: old -> new` (absent keys shown as undefined), leaving out the keys in `free`.
 */
export function configChanges(recorded: unknown, wanted: unknown, free: readonly string[] = []): string[] {
  const before = leaves(recorded, '', new Map());
  const after = leaves(JSON.parse(JSON.stringify(wanted)) as unknown, '', new Map());
  const keys = [...new Set([...before.keys(), ...after.keys()])].filter((key) => !free.some((f) => key === f || key.startsWith(`${f}.`)));
  return keys.filter((key) => before.get(key) !== after.get(key)).map((key) => `${key}: ${before.get(key) ?? 'undefined'} -> ${after.get(key) ?? 'undefined'}`);
}

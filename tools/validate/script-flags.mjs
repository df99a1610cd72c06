// Flag reading shared by the validation scripts: `--name value` pairs, a one-line error naming the
// script and the flag, exit code 2.

/** Reads `--name value` flags of `argv` for the script `script`. */
export function scriptFlags(script, argv = process.argv.slice(2)) {
  const fail = (message) => {
    console.error(`${script}: ${message}`);
    process.exit(2);
  };
  const text = (name, fallback) => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return fallback;
    if (at + 1 >= argv.length) fail(`--${name} needs a value`);
    return argv[at + 1];
  };
  const number = (name, fallback) => {
    const value = text(name, undefined);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) fail(`--${name} must be a number, got "${value}"`);
    return parsed;
  };
  const required = (name, what) => text(name, undefined) ?? fail(`--${name} is required${what ? ` (${what})` : ''}`);
  /** Event ranges like 20-39,45 as [first, last] pairs, or undefined when the flag is absent. */
  const ranges = (name) => text(name, undefined)?.split(',').map((r) => {
    const [a, b] = r.split('-').map(Number);
    if (!Number.isInteger(a) || (b !== undefined && !Number.isInteger(b))) fail(`--${name} expects ranges like 20-39,45, got "${r}"`);
    return [a, b ?? a];
  });
  return { fail, text, number, required, ranges };
}

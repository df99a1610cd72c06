import { createRequire } from 'node:module';

let cached: NodeJS.Require | undefined;

/**
 * A CommonJS `require` made from this module's URL, in both builds (tsup shims `import.meta.url`
 * in the CJS build, swc does under jest). Optional backends and the tfjs backend packages load
 * through it, so a missing one is a caught error, not a failed import.
 */
export function nodeRequire(): NodeJS.Require {
  cached ??= createRequire(import.meta.url);
  return cached;
}

/** First line of an error's message, for one-line reasons in logs and errors. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}

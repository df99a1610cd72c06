import type { Options } from 'tsup';

/**
 * The one build recipe of every library: ESM + CJS + declarations for Node 20.
 * tsup sets `baseUrl` for its declaration build, which TypeScript 6 flags as deprecated.
 */
export function libraryBuild(entry: string[] = ['src/index.ts']): Options {
  return {
    entry,
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'node20',
  };
}

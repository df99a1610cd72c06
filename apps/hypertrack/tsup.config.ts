import { defineConfig } from 'tsup';

// The CLI ships as one CommonJS file with a shebang; the @hypertrack libraries stay external
// dependencies so an installed CLI uses the same library versions a user imports.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  banner: { js: '#!/usr/bin/env node' },
  sourcemap: true,
  clean: true,
  target: 'node20',
});

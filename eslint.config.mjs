// Lint is part of the test command: type-aware rules stay off (tsc typecheck covers types), and the
// Nx module-boundary rule keeps the dependency direction of docs/design.md (see README "Layout").
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const tensorPackages = ['@tensorflow/*'];

/** Which layers each layer may import; tests may also use data packages as fixtures. */
function boundaries({ dataMayUseData }) {
  const data = dataMayUseData ? ['layer:core', 'layer:data'] : ['layer:core'];
  const below = ['layer:pipeline', 'layer:stage', 'layer:tensor', 'layer:native', 'layer:data', 'layer:core'];
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      depConstraints: [
        { sourceTag: 'layer:core', onlyDependOnLibsWithTags: [], bannedExternalImports: tensorPackages },
        { sourceTag: 'layer:data', onlyDependOnLibsWithTags: data, bannedExternalImports: tensorPackages },
        // Native kernels sit under the tensor layer and depend on nothing of ours.
        { sourceTag: 'layer:native', onlyDependOnLibsWithTags: [], bannedExternalImports: tensorPackages },
        { sourceTag: 'layer:tensor', onlyDependOnLibsWithTags: ['layer:core', 'layer:native'] },
        { sourceTag: 'layer:stage', onlyDependOnLibsWithTags: ['layer:tensor', 'layer:data', 'layer:core'] },
        // The sequencer wires stages together, so it sits above them and below the apps.
        { sourceTag: 'layer:pipeline', onlyDependOnLibsWithTags: ['layer:stage', 'layer:tensor', 'layer:data', 'layer:core'] },
        { sourceTag: 'layer:app', onlyDependOnLibsWithTags: below },
      ],
    },
  ];
}

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.cjs', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { "@nx": nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries({ dataMayUseData: false }),
    },
  },
  // Metrics' property tests run over detsim events; source files keep the strict rule above.
  { files: ['packages/*/src/**/*.test.ts'], rules: { '@nx/enforce-module-boundaries': boundaries({ dataMayUseData: true }) } },
  // The shared build recipe sits at the workspace root, outside every project: build configuration,
  // not a dependency, which the boundary rule cannot classify.
  { files: ['**/tsup.config.ts'], rules: { '@nx/enforce-module-boundaries': 'off' } },
  // Examples import their own package by its published name, exactly as a user's script would.
  { files: ['packages/*/examples/**'], rules: { '@nx/enforce-module-boundaries': 'off' } },
];

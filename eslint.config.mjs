// Lint is part of the test command: type-aware rules stay off (tsc typecheck covers types), and the
// Nx module-boundary rule keeps the dependency direction of docs/design.md (see README "Layers").
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const tensorPackages = ['@tensorflow/*'];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.cjs', '.nx/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:core', onlyDependOnLibsWithTags: [], bannedExternalImports: tensorPackages },
            { sourceTag: 'layer:data', onlyDependOnLibsWithTags: ['layer:core'], bannedExternalImports: tensorPackages },
            { sourceTag: 'layer:tensor', onlyDependOnLibsWithTags: ['layer:core'] },
            { sourceTag: 'layer:stage', onlyDependOnLibsWithTags: ['layer:tensor', 'layer:data', 'layer:core'] },
            { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:stage', 'layer:tensor', 'layer:data', 'layer:core'] },
            { sourceTag: 'layer:tool', onlyDependOnLibsWithTags: ['layer:stage', 'layer:tensor', 'layer:data', 'layer:core'] },
          ],
        },
      ],
    },
  },
];

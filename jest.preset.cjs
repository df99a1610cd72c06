// Shared jest settings: swc transpiles TypeScript, and the '@hypertrack/source' export condition
// makes workspace packages resolve to their src/ so tests never need a prior build.
module.exports = {
  testEnvironment: 'node',
  // CI machines have 2 cores shared by several jest processes; simulation-backed tests need headroom.
  testTimeout: 60_000,
  transform: {
    '^.+\\.[tj]s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  testEnvironmentOptions: { customExportConditions: ['@hypertrack/source', 'node', 'require', 'default'] },
};

// tfjs-core's gradient registrations are ESM files without extensions: swc transforms them (nn's src/gradients.ts).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'pipeline',
  rootDir: __dirname,
  transformIgnorePatterns: ['/node_modules/(?!@tensorflow/tfjs-core/dist/(?!tf-core\\.node))'],
};

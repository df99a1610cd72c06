module.exports = { ...require('../../jest.preset.cjs'), displayName: 'cluster', rootDir: __dirname };

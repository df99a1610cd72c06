module.exports = { ...require('../../jest.preset.cjs'), displayName: 'detsim', rootDir: __dirname };

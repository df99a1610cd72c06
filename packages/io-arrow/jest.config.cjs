module.exports = { ...require('../../jest.preset.cjs'), displayName: 'io-arrow', rootDir: __dirname };

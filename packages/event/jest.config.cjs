module.exports = { ...require('../../jest.preset.cjs'), displayName: 'event', rootDir: __dirname };

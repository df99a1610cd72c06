module.exports = { ...require('../../jest.preset.cjs'), displayName: 'hypertrack', rootDir: __dirname };

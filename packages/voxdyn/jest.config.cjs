module.exports = { ...require('../../jest.preset.cjs'), displayName: 'voxdyn', rootDir: __dirname };

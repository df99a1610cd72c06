module.exports = require('../../jest.vega.cjs')({ displayName: 'report', rootDir: __dirname });

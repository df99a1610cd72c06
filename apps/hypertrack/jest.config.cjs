// The CLI's tests run the report and export-phoenix commands, which load vega (see jest.vega.cjs).
module.exports = require('../../jest.vega.cjs')({ displayName: 'hypertrack', rootDir: __dirname });

// vega, vega-lite and their d3 helpers ship ES modules only (.js and .mjs); jest runs CommonJS
// here, so swc transpiles those packages too (cached after the first run). vega-canvas's Node
// build awaits at top level, which CommonJS cannot express; its browser build finds no canvas
// either, exactly as the Node build does without the optional 'canvas' package.
// Every project whose tests load @hypertrack/report's source uses this on top of the preset.
const preset = require('./jest.preset.cjs');

const esmOnly = ['vega', 'vega-[^/]+', 'd3-[^/]+', 'internmap', 'delaunator', 'robust-predicates', 'json-stringify-pretty-compact', 'topojson-client'];

module.exports = function withVega(config) {
  const [swc] = Object.values(preset.transform);
  return {
    ...preset,
    ...config,
    transform: { '^.+\\.m?[tj]s$': swc },
    moduleFileExtensions: [...preset.moduleFileExtensions, 'mjs'],
    // tfjs-core's gradient registrations are extensionless ESM files too (see packages/nn/src/gradients.ts).
    transformIgnorePatterns: [`/node_modules/(?!((${esmOnly.join('|')})/|@tensorflow/tfjs-core/dist/(?!tf-core\\.node)))`],
    moduleNameMapper: { '^vega-canvas$': require.resolve('vega-canvas').replace(/vega-canvas\.node\.js$/, 'vega-canvas.browser.js') },
  };
};

// Target (voxdyn issue): C-matrix from 100 mu = 200 events <= 1 min, cell assignment and the CSR
// finish included. This one reads the events from an Arrow store (loading not timed) and takes the
// centroids of a stored model, so the figure is the accumulator's alone, on real-size events:
//   node tools/bench/cmatrix.bench.mjs STORE MODEL.vdm [EVENTS=0-99] [RUNS=3]
// e.g. the store and 262,144-cell model of docs/training.md. Prints the median of RUNS passes.
import { hitPoints, particleIndexOfHits } from '@hypertrack/event';
import { openArrowStore } from '@hypertrack/io-arrow';
import { CMatrixAccumulator, loadModel, NearestCentroidIndex } from '@hypertrack/voxdyn';
import { loadavg } from 'node:os';

const [storePath, modelPath, range = '0-99', runsArg = '3'] = process.argv.slice(2);
if (!storePath || !modelPath) {
  console.error('usage: node tools/bench/cmatrix.bench.mjs STORE MODEL.vdm [EVENTS=0-99] [RUNS=3]');
  process.exit(2);
}
const [first, last] = range.split('-').map(Number);
const model = await loadModel(modelPath);
const store = await openArrowStore(storePath);
const events = [];
for (let id = first; id <= last; id++) {
  const event = store.load(id);
  events.push({ points: hitPoints(event.hits), membership: particleIndexOfHits(event) });
}
const index = NearestCentroidIndex.build(model.centroids, model.dim);
const load = () => `load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;
console.log(`${events.length} events, ${events.reduce((s, e) => s + e.membership.length, 0)} hits; ${model.node2node}, ncell ${model.ncell}; ${load()}`);
const totals = [];
for (let run = 0; run < Number(runsArg); run++) {
  const acc = new CMatrixAccumulator(model.ncell);
  const started = performance.now();
  let assignMs = 0;
  for (const e of events) {
    const s = performance.now();
    const cells = index.assign(e.points);
    assignMs += performance.now() - s;
    acc.addEvent(model.node2node, e.points, model.dim, e.membership, cells);
  }
  const f = performance.now();
  const c = acc.finish();
  const end = performance.now();
  totals.push(end - started);
  const same = c.indices.length === model.cmatrix.indices.length && c.indptr.every((v, i) => v === model.cmatrix.indptr[i]);
  console.log(
    `run ${run + 1}: ${((end - started) / 1000).toFixed(1)} s (cells ${(assignMs / 1000).toFixed(1)} s, accumulate ${((f - started - assignMs) / 1000).toFixed(1)} s, ` +
      `finish ${((end - f) / 1000).toFixed(1)} s), ${c.indices.length} entries${same ? ', same CSR as the model' : ''}; rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(1)} GiB; ${load()}`,
  );
}
totals.sort((a, b) => a - b);
console.log(`C-matrix from ${events.length} events: median ${(totals[totals.length >> 1] / 1000).toFixed(1)} s over ${totals.length} runs`);

// The GNN edge predictor alone, on a detector of your own: hits as (x, y, z) in mm and any edge
// list. Run after a build: node packages/gnn/examples/edge-predictor.mjs
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@hypertrack/nn';
import { EdgePredictor, TUNE5_GNN, edgeFocalLoss, prepareGraph } from '@hypertrack/gnn';

await initBackend({ log: console.log });

// A toy telescope: 40 straight tracks through 6 planes at z = 100..600 mm, plus their graph:
// every pair of hits on neighbouring planes closer than 60 mm in (x, y), and self-loops.
const planes = 6;
const tracks = 40;
let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const coords = [];
const hitTrack = [];
for (let t = 0; t < tracks; t++) {
  const [x0, y0, tx, ty] = [random() * 400 - 200, random() * 400 - 200, random() * 0.2 - 0.1, random() * 0.2 - 0.1];
  for (let p = 0; p < planes; p++) {
    const z = 100 * (p + 1);
    coords.push(x0 + tx * z, y0 + ty * z, z);
    hitTrack.push(t);
  }
}
const numNodes = hitTrack.length;
const src = [];
const dst = [];
for (let i = 0; i < numNodes; i++) {
  for (let j = 0; j < numNodes; j++) {
    const dz = Math.abs(coords[3 * i + 2] - coords[3 * j + 2]);
    const dxy = Math.hypot(coords[3 * i] - coords[3 * j], coords[3 * i + 1] - coords[3 * j + 1]);
    if (i === j || (dz === 100 && dxy < 60)) {
      src.push(j);
      dst.push(i);
    }
  }
}
const input = { numNodes, coordDim: 3, coords: Float32Array.from(coords), src: Int32Array.from(src), dst: Int32Array.from(dst) };
const labels = Uint8Array.from(src, (j, e) => (hitTrack[j] === hitTrack[dst[e]] ? 1 : 0));
console.log(`${numNodes} hits, ${src.length} edges, ${labels.reduce((a, b) => a + b, 0)} true`);

// tune-5's architecture; seed fixes the initial weights.
const model = new EdgePredictor(TUNE5_GNN, 1234);
const graph = prepareGraph(input);
const optimizer = tf.train.adam(5e-3);
for (let step = 1; step <= 60; step++) {
  const loss = optimizer.minimize(() => edgeFocalLoss(model.forward(graph).logits, labels), true);
  if (step % 20 === 0) console.log(`step ${step}: focal loss ${loss.dataSync()[0].toFixed(4)}`);
  loss.dispose();
}
graph.dispose();

const { probabilities } = await model.predict(input);
const mean = (want) => {
  let sum = 0;
  let n = 0;
  labels.forEach((y, e) => {
    if (y === want && src[e] !== dst[e]) {
      sum += probabilities[e];
      n++;
    }
  });
  return sum / n;
};
console.log(`mean edge probability: true pairs ${mean(1).toFixed(3)}, false pairs ${mean(0).toFixed(3)}`);

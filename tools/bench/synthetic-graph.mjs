// The synthetic scored graphs of the clustering benchmarks (cluster.bench.mjs, density-clusterers.bench.mjs).

/**
 * `numHits` hits, 85% on tracks of 4-20 hits (mean about 10) and 15% noise, in random order. Each
 * hit gets `edgesPerHit` incoming edges on average: from the other hits of its track (true edges,
 * 90% of the pairs, probability 1 - 0.6 u^2, so 13% fall below 0.55) and from random hits (fake
 * edges, probability 0.55 u^2, except about 0.05 per hit above the threshold), so the cut finds
 * track-sized components with occasional merges.
 */
export function syntheticGraph(rng, numHits, edgesPerHit) {
  const track = new Int32Array(numHits).fill(-1);
  const order = rng.permutation(numHits);
  const members = [];
  let h = 0;
  const trackHits = Math.round(0.85 * numHits);
  while (h < trackHits) {
    const size = Math.min(4 + rng.poisson(6), trackHits - h);
    const list = order.subarray(h, h + size);
    for (const hit of list) track[hit] = members.length;
    members.push(list);
    h += size;
  }
  const capacity = Math.ceil(numHits * edgesPerHit * 1.2) + 64;
  let src = new Int32Array(capacity);
  let dst = new Int32Array(capacity);
  let prob = new Float32Array(capacity);
  let e = 0;
  const sources = [];
  for (let d = 0; d < numHits; d++) {
    sources.length = 0;
    const t = track[d];
    if (t >= 0) for (const s of members[t]) if (s !== d && rng.uniform() < 0.9) sources.push(s);
    const fakes = Math.max(0, Math.round(edgesPerHit - sources.length + rng.normal(0, 2)));
    const fakeKept = 0.05 / Math.max(1, edgesPerHit - 8);
    for (let k = 0; k < fakes; k++) sources.push(rng.int(numHits));
    sources.sort((a, b) => a - b);
    if (e + sources.length > src.length) {
      const grow = (a) => { const b = new a.constructor(a.length * 2); b.set(a); return b; };
      src = grow(src); dst = grow(dst); prob = grow(prob);
    }
    for (const s of sources) {
      const same = t >= 0 && track[s] === t;
      const u = rng.uniform();
      src[e] = s;
      dst[e] = d;
      prob[e] = same ? 1 - 0.6 * u * u : rng.uniform() < fakeKept ? 0.56 + 0.44 * u : 0.55 * u * u;
      e++;
    }
  }
  return { numHits, src: src.subarray(0, e), dst: dst.subarray(0, e), prob: prob.subarray(0, e) };
}


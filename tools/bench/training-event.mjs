// The random training event of the GNN benchmarks (gnn-train, vs-torch, step-profile,
// step-products): `hits` hits in a 500 mm cloud, `edges` random edges, tracks of ten consecutive
// hits and the labels they imply. The size of a mu = 2 event by default (1.2k hits, 55k edges).
import { Rng } from '@hypertrack/core';

export function trainingEvent(seed, hits = 1200, edges = 55_000) {
  const rng = Rng.fromSeed(seed);
  const coords = Float32Array.from({ length: 3 * hits }, () => rng.normal(0, 500));
  const src = Int32Array.from({ length: edges }, () => rng.int(hits));
  const dst = Int32Array.from({ length: edges }, () => rng.int(hits));
  const hitTrack = Int32Array.from({ length: hits }, (_, i) => Math.floor(i / 10));
  const labels = Uint8Array.from(src, (s, k) => (hitTrack[s] === hitTrack[dst[k]] ? 1 : 0));
  return { numNodes: hits, coordDim: 3, coords, src, dst, labels, hitTrack };
}

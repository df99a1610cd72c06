import { Rng } from '@hypertrack/core';
import { defaultSimulationConfig, simulateEvent } from '@hypertrack/detsim';

/** A small simulated event with a geometric graph, for tests that need real tracks. */
export interface ToyEvent {
  numNodes: number;
  coords: Float32Array;
  hitTrack: Int32Array;
  hitWeight: Float32Array;
  src: Int32Array;
  dst: Int32Array;
  labels: Uint8Array;
}

/**
 * Simulates one low pile-up event and joins every pair of hits whose directions from the origin
 * lie within `window` in both phi and eta (self-loops included): a crude graph constructor that
 * keeps most same-track pairs and many wrong ones, which is what the GNN has to sort out.
 */
export function toyEvent(seed: number, pileup = 1, window = 0.04): ToyEvent {
  const { event, hitParticle } = simulateEvent(seed, defaultSimulationConfig({ pileup, noiseFraction: 0.05 }), Rng.fromSeed(seed));
  const n = event.hits.x.length;
  const coords = new Float32Array(3 * n);
  const phi = new Float64Array(n);
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = event.hits.x[i];
    const y = event.hits.y[i];
    const z = event.hits.z[i];
    coords.set([x, y, z], 3 * i);
    phi[i] = Math.atan2(y, x);
    eta[i] = Math.asinh(z / Math.sqrt(x * x + y * y));
  }
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dphi = Math.abs(phi[i] - phi[j]);
      if (dphi > Math.PI) dphi = 2 * Math.PI - dphi;
      if (dphi < window && Math.abs(eta[i] - eta[j]) < window) {
        src.push(j);
        dst.push(i);
      }
    }
  }
  const truth = event.truth;
  if (truth === undefined) throw new Error('detsim events carry truth');
  const hitWeight = new Float32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += truth.weight[i];
  for (let i = 0; i < n; i++) hitWeight[i] = truth.weight[i] / total;
  const labels = Uint8Array.from(src, (j, e) => (hitParticle[j] >= 0 && hitParticle[j] === hitParticle[dst[e]] ? 1 : 0));
  return { numNodes: n, coords, hitTrack: hitParticle, hitWeight, src: Int32Array.from(src), dst: Int32Array.from(dst), labels };
}

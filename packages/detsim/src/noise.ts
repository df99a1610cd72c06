import type { Rng } from '@hypertrack/core';
import { findModule, type CompiledGeometry, type ModuleHit } from './geometry/compiled';
import type { HitBuffer } from './hit-buffer';

/**
 * Adds `count` noise hits spread uniformly over the sensitive area: a layer is chosen with
 * probability proportional to its area, then a uniform point on one of its two module surfaces.
 * Noise hits have particle -1 and their true position equals the measured one.
 */
export function addNoiseHits(geometry: CompiledGeometry, count: number, hits: HitBuffer, rng: Rng): void {
  const layers = geometry.layers;
  if (layers.length === 0 || count === 0) return;
  const cumulative = new Float64Array(layers.length);
  let total = 0;
  layers.forEach((layer, i) => {
    total += layer.area;
    cumulative[i] = total;
  });
  const module: ModuleHit = { moduleId: 0, phiMin: 0, phiMax: 0, localMin: 0, localMax: 0 };
  let added = 0;
  while (added < count) {
    const u = rng.uniform() * total;
    let li = 0;
    while (cumulative[li] < u) li++;
    const layer = layers[li];
    const parity = rng.int(2);
    const phi = rng.uniformIn(-Math.PI, Math.PI);
    let x: number, y: number, z: number, local: number;
    const offset = (parity === 0 ? -0.5 : 0.5) * layer.stagger;
    if (layer.kind === 'barrel') {
      local = rng.uniformIn(-layer.halfLengthZ, layer.halfLengthZ);
      const rho = layer.position + offset;
      x = rho * Math.cos(phi);
      y = rho * Math.sin(phi);
      z = local;
    } else {
      const rMin = layer.rings[0].rMin;
      const rMax = layer.rings[layer.rings.length - 1].rMax;
      // Uniform over the disk area: r^2 uniform.
      local = Math.sqrt(rMin * rMin + rng.uniform() * (rMax * rMax - rMin * rMin));
      x = local * Math.cos(phi);
      y = local * Math.sin(phi);
      z = layer.position + offset * Math.sign(layer.position || 1);
    }
    if (!findModule(layer, parity, phi, local, module)) continue; // fell between modules of this parity
    const i = hits.push();
    const f = hits.float;
    f.x[i] = f.tx[i] = x;
    f.y[i] = f.ty[i] = y;
    f.z[i] = f.tz[i] = z;
    f.tpx[i] = f.tpy[i] = f.tpz[i] = 0;
    f.path[i] = 0;
    hits.int.particle[i] = -1;
    hits.int.layer[i] = li;
    hits.int.module[i] = module.moduleId;
    added++;
  }
}

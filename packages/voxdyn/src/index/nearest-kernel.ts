/**
 * Exact nearest-centroid search for points `start..end-1`, writing the original centroid index
 * to `labels` and the squared distance to `dist2`.
 *
 * Ties: among centroids at exactly the same (double-precision) squared distance the smaller
 * original index wins, so results never depend on tree shape, thread count or warm start; far
 * branches are therefore visited while their bound is <= (not <) the best distance.
 *
 * With `warm` set, `labels[i]` on entry is a guess (e.g. the previous k-means assignment) whose
 * distance seeds the pruning bound; the answer is still exact.
 *
 * This function must stay self-contained (no imports, no module-level names): worker threads
 * receive its source text and evaluate it, so the main thread and the workers run the same code.
 */
export function nearestRange(
  coords: Float32Array,
  perm: Int32Array,
  position: Int32Array,
  splitDim: Int32Array,
  splitValue: Float64Array,
  size: number,
  dim: number,
  leafSize: number,
  points: Float32Array,
  start: number,
  end: number,
  labels: Int32Array,
  dist2: Float64Array | null,
  warm: boolean,
): void {
  const stackNode = new Int32Array(256);
  const stackLo = new Int32Array(256);
  const stackHi = new Int32Array(256);
  const stackBound = new Float64Array(256);
  const q = new Float64Array(dim);
  for (let i = start; i < end; i++) {
    const qb = i * dim;
    for (let c = 0; c < dim; c++) q[c] = points[qb + c];
    let best = Infinity;
    let bestIdx = 2147483647;
    if (warm) {
      const guess = labels[i];
      if (guess >= 0 && guess < size) {
        const pb = position[guess] * dim;
        let dd = 0;
        for (let c = 0; c < dim; c++) {
          const t = q[c] - coords[pb + c];
          dd += t * t;
        }
        best = dd;
        bestIdx = guess;
      }
    }
    let sp = 0;
    stackNode[0] = 0;
    stackLo[0] = 0;
    stackHi[0] = size;
    stackBound[0] = 0;
    sp = 1;
    while (sp > 0) {
      sp--;
      if (stackBound[sp] > best) continue;
      let node = stackNode[sp];
      let lo = stackLo[sp];
      let hi = stackHi[sp];
      while (hi - lo > leafSize) {
        const diff = q[splitDim[node]] - splitValue[node];
        const mid = (lo + hi) >>> 1;
        stackBound[sp] = diff * diff;
        if (diff < 0) {
          stackNode[sp] = 2 * node + 2;
          stackLo[sp] = mid;
          stackHi[sp] = hi;
          node = 2 * node + 1;
          hi = mid;
        } else {
          stackNode[sp] = 2 * node + 1;
          stackLo[sp] = lo;
          stackHi[sp] = mid;
          node = 2 * node + 2;
          lo = mid;
        }
        sp++;
      }
      if (dim === 3) {
        const q0 = q[0];
        const q1 = q[1];
        const q2 = q[2];
        for (let p = lo; p < hi; p++) {
          const pb = p * 3;
          const t0 = q0 - coords[pb];
          const t1 = q1 - coords[pb + 1];
          const t2 = q2 - coords[pb + 2];
          const dd = t0 * t0 + t1 * t1 + t2 * t2;
          if (dd <= best) {
            const idx = perm[p];
            if (dd < best || idx < bestIdx) {
              best = dd;
              bestIdx = idx;
            }
          }
        }
      } else {
        for (let p = lo; p < hi; p++) {
          const pb = p * dim;
          let dd = 0;
          for (let c = 0; c < dim; c++) {
            const t = q[c] - coords[pb + c];
            dd += t * t;
          }
          if (dd <= best) {
            const idx = perm[p];
            if (dd < best || idx < bestIdx) {
              best = dd;
              bestIdx = idx;
            }
          }
        }
      }
    }
    labels[i] = bestIdx;
    if (dist2 !== null) dist2[i] = best;
  }
}

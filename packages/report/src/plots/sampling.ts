/**
 * Thinning of long series before plotting: an SVG with a million path points is slow to open
 * and no sharper than one with a thousand.
 */

/**
 * Indices of the points of a polyline to keep so that no dropped point is farther than about
 * `tolerance` (a fraction of each axis range) from the drawn line: a point is kept when it moved
 * more than that in x or y since the last kept point, and the point just before every kept one is
 * kept too, so steps stay steps. First and last points are always kept.
 */
export function thinPolyline(x: ArrayLike<number>, y: ArrayLike<number>, tolerance: number): number[] {
  const n = x.length;
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const range = (v: ArrayLike<number>) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      if (v[i] < lo) lo = v[i];
      if (v[i] > hi) hi = v[i];
    }
    return hi > lo ? hi - lo : 1;
  };
  const dx = tolerance * range(x);
  const dy = tolerance * range(y);
  const keep = [0];
  let last = 0;
  for (let i = 1; i < n - 1; i++) {
    if (Math.abs(x[i] - x[last]) > dx || Math.abs(y[i] - y[last]) > dy) {
      if (i - 1 > last) keep.push(i - 1);
      keep.push(i);
      last = i;
    }
  }
  if (n - 2 > last) keep.push(n - 2);
  keep.push(n - 1);
  return keep;
}

/**
 * At most `maxPoints` (x, y) pairs: the means of consecutive, equally sized groups of points when
 * there are more (a running mean, as the original's training plots use), the points otherwise.
 */
export function bucketMeans(x: readonly number[], y: readonly number[], maxPoints: number): { x: number[]; y: number[] } {
  const n = x.length;
  if (n <= maxPoints) return { x: [...x], y: [...y] };
  const outX: number[] = [];
  const outY: number[] = [];
  for (let b = 0; b < maxPoints; b++) {
    const from = Math.floor((b * n) / maxPoints);
    const to = Math.floor(((b + 1) * n) / maxPoints);
    let sx = 0;
    let sy = 0;
    for (let i = from; i < to; i++) {
      sx += x[i];
      sy += y[i];
    }
    outX.push(sx / (to - from));
    outY.push(sy / (to - from));
  }
  return { x: outX, y: outY };
}

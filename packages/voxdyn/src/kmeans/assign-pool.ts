import { Worker } from 'node:worker_threads';
import type { KdTreeArrays } from '../index/kd-tree';
import { nearestRange } from '../index/nearest-kernel';

/**
 * Worker threads that run the nearest-centroid kernel on slices of shared points. The workers
 * are given the kernel's own source text, so there is one implementation and no separate worker
 * file to locate at run time (in src under jest, in dist as ESM or CJS alike).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const nearestRange = (${nearestRange.toString()});
let points = null, labels = null, dist2 = null;
parentPort.on('message', (msg) => {
  if (msg.type === 'init') {
    points = new Float32Array(msg.points);
    labels = new Int32Array(msg.labels);
    dist2 = new Float64Array(msg.dist2);
    return;
  }
  const t = msg.tree;
  nearestRange(new Float32Array(t.coords), new Int32Array(t.perm), new Int32Array(t.position), new Int32Array(t.splitDim),
    new Float64Array(t.splitValue), t.size, t.dim, t.leafSize, points, msg.start, msg.end, labels, dist2, msg.warm);
  parentPort.postMessage(msg.id);
});
`;

export const sharedAllocator = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

/** Copies a typed array onto shared memory unless it already is there. */
export function toShared<T extends Float32Array | Int32Array | Float64Array>(array: T, make: (buffer: SharedArrayBuffer) => T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const copy = make(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

export class AssignPool {
  private readonly workers: Worker[];
  private nextId = 0;

  /** `points`, `labels` and `dist2` must sit on SharedArrayBuffers. */
  constructor(
    size: number,
    private readonly points: Float32Array,
    private readonly labels: Int32Array,
    private readonly dist2: Float64Array,
  ) {
    this.workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.postMessage({ type: 'init', points: points.buffer, labels: labels.buffer, dist2: dist2.buffer });
      return worker;
    });
  }

  /**
   * Assigns all points: the range is cut into one slice per worker plus one for this thread,
   * which works instead of idling. Each point's answer is exact, so the split never changes it.
   */
  async assign(tree: KdTreeArrays, warm: boolean): Promise<void> {
    const n = this.labels.length;
    const parts = this.workers.length + 1;
    const bounds = Array.from({ length: parts + 1 }, (_, p) => Math.floor((p * n) / parts));
    const treeMessage = {
      coords: tree.coords.buffer,
      perm: tree.perm.buffer,
      position: tree.position.buffer,
      splitDim: tree.splitDim.buffer,
      splitValue: tree.splitValue.buffer,
      size: tree.size,
      dim: tree.dim,
      leafSize: tree.leafSize,
    };
    const pending = this.workers.map(
      (worker, w) =>
        new Promise<void>((resolve, reject) => {
          const id = this.nextId++;
          const onMessage = (reply: number): void => {
            if (reply !== id) return;
            worker.off('message', onMessage);
            worker.off('error', reject);
            resolve();
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
          worker.postMessage({ type: 'assign', id, tree: treeMessage, start: bounds[w + 1], end: bounds[w + 2], warm });
        }),
    );
    const t = tree;
    nearestRange(t.coords, t.perm, t.position, t.splitDim, t.splitValue, t.size, t.dim, t.leafSize, this.points, bounds[0], bounds[1], this.labels, this.dist2, warm);
    await Promise.all(pending);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

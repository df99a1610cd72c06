import { Worker } from 'node:worker_threads';
import { HyperTrackError } from '@hypertrack/core';
import { gatherSources, sortSmall, writeCellEdges, writeCellRange, type CellArrays } from './edge-kernel';

/**
 * A worker thread that writes the edges of a range of cells while the calling thread writes the
 * rest. It is handed the kernel's source text (no worker file to locate, in src or dist alike) and
 * the shared arrays; the caller waits on a shared flag with Atomics, so `build` stays synchronous.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const ${gatherSources.name} = (${gatherSources.toString()});
const ${sortSmall.name} = (${sortSmall.toString()});
const ${writeCellEdges.name} = (${writeCellEdges.toString()});
const ${writeCellRange.name} = (${writeCellRange.toString()});
parentPort.on('message', (m) => {
  const a = m.arrays;
  const flag = new Int32Array(m.flag);
  let state = 1;
  try {
    ${writeCellRange.name}(m.v0, m.v1, {
      colStart: new Int32Array(a.colStart), colRows: new Int32Array(a.colRows), cellStart: new Int32Array(a.cellStart),
      cellHits: new Int32Array(a.cellHits), cellDegree: new Float64Array(a.cellDegree), cellSelf: new Uint8Array(a.cellSelf),
      offsets: new Int32Array(a.offsets), src: new Int32Array(a.src), dst: new Int32Array(a.dst),
    }, m.selfLoops);
  } catch (e) {
    state = 2;
  }
  Atomics.store(flag, 0, state);
  Atomics.notify(flag, 0);
});
`;

export class EdgeWorker {
  private readonly worker: Worker;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    // An idle worker must not keep the process alive.
    this.worker.unref();
  }

  /** Starts writing cells [v0, v1); every array must sit on a SharedArrayBuffer. */
  start(v0: number, v1: number, arrays: CellArrays, selfLoops: boolean): void {
    Atomics.store(this.flag, 0, 0);
    const buffers = Object.fromEntries(Object.entries(arrays).map(([key, array]) => [key, (array as Int32Array).buffer]));
    this.worker.postMessage({ v0, v1, arrays: buffers, selfLoops, flag: this.flag.buffer });
  }

  /**
   * Blocks until the worker has written its cells. The worker reports failure through the flag
   * (its error events would need this thread's event loop, which is blocked here); a worker that
   * never answers (it died) is given up on after `timeoutMs`.
   */
  wait(timeoutMs = 300_000): void {
    const started = Date.now();
    while (Atomics.load(this.flag, 0) === 0) {
      if (Date.now() - started > timeoutMs) throw new HyperTrackError(`voxdyn edge worker did not answer within ${timeoutMs / 1000} s`);
      Atomics.wait(this.flag, 0, 0, 1000);
    }
    if (Atomics.load(this.flag, 0) === 2) throw new HyperTrackError('voxdyn edge worker failed while writing edges');
  }

  close(): void {
    void this.worker.terminate();
  }
}

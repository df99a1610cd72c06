import { Worker } from 'node:worker_threads';
import { HyperTrackError } from '@hypertrack/core';
import { compactRows, emitPairs, fillDst, lowerBound, scatterPairs } from './edge-kernel';

/**
 * A worker thread that runs its share of each phase of the edge kernel while the calling thread
 * runs the rest. It is handed the kernel's source text (no worker file to locate, in src or dist
 * alike); arrays travel as views on SharedArrayBuffers (shared, not copied). The caller waits on a
 * shared flag with Atomics, so `build` stays synchronous; the worker answers messages on its own
 * event loop, so it can be handed new arrays between phases.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const ${lowerBound.name} = (${lowerBound.toString()});
const ${compactRows.name} = (${compactRows.toString()});
const ${emitPairs.name} = (${emitPairs.toString()});
const ${scatterPairs.name} = (${scatterPairs.toString()});
const ${fillDst.name} = (${fillDst.toString()});
let arrays;
parentPort.on('message', (m) => {
  const flag = new Int32Array(m.flag);
  let state = 1;
  try {
    if (m.phase === 1) {
      arrays = m.arrays;
      ${compactRows.name}(m.u0, m.u1, m.w0, arrays, m.degree, m.shift, m.iSplit, m.below, m.above);
    } else if (m.phase === 2) {
      ${emitPairs.name}(m.i0, m.i1, arrays, m.shift, m.hitBits, m.heads, m.pairs);
    } else if (m.phase === 3) {
      ${scatterPairs.name}(m.p0, m.p1, arrays, m.out, m.shift, m.hitBits, m.bounds, m.selfLoops);
      ${fillDst.name}(m.j0, m.j1, m.out.offsets, m.out.dst);
      arrays = undefined;
    } else {
      arrays = undefined;
    }
  } catch (e) {
    state = 2;
  }
  Atomics.store(flag, 0, state);
  Atomics.notify(flag, 0);
});
`;

/** One phase's share for the worker: `phase` 1-3 of the edge kernel, 0 to drop the build's arrays. */
export type EdgeWorkerTask = { readonly phase: number } & Record<string, unknown>;

export class EdgeWorker {
  private readonly worker: Worker;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    // An idle worker must not keep the process alive.
    this.worker.unref();
  }

  /** Starts the worker's share of a phase; every array in it must sit on a SharedArrayBuffer. */
  start(task: EdgeWorkerTask): void {
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage({ ...task, flag: this.flag.buffer });
  }

  /**
   * Blocks until the worker has done its share. The worker reports failure through the flag (its
   * error events would need this thread's event loop, which is blocked here); a worker that never
   * answers (it died) is given up on after `timeoutMs`.
   */
  wait(timeoutMs = 300_000): void {
    const started = Date.now();
    while (Atomics.load(this.flag, 0) === 0) {
      if (Date.now() - started > timeoutMs) throw new HyperTrackError(`voxdyn edge worker did not answer within ${timeoutMs / 1000} s`);
      Atomics.wait(this.flag, 0, 0, 1000);
    }
    if (Atomics.load(this.flag, 0) === 2) throw new HyperTrackError('voxdyn edge worker failed while writing edges');
  }

  /** Lets the worker drop the arrays of a build abandoned between phases (no answer awaited). */
  release(): void {
    this.worker.postMessage({ phase: 0, flag: new SharedArrayBuffer(4) });
  }

  close(): void {
    void this.worker.terminate();
  }
}

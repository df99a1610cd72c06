import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HyperTrackError } from '@hypertrack/core';
import type { BackendName } from '@hypertrack/nn';
import type { GnnConfig } from '../config';
import type { TrainerConfig } from './config';
import type { GradientResult, GradientTask } from './gradient-task';
import type { LatentLossSpec } from './latent-loss';

/**
 * The built worker script. From the package's dist it sits beside this module; from the sources
 * (tests) it is the built one in ../../dist, which must exist (`nx build @hypertrack/gnn`).
 */
function workerScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, 'grad-worker.cjs'), join(here, '..', '..', 'dist', 'grad-worker.cjs')]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new HyperTrackError(`the gradient worker script is not built (looked beside ${here}); run: npx nx build @hypertrack/gnn`);
}

interface Pending {
  resolve: (result: GradientResult | undefined) => void;
  reject: (error: Error) => void;
}

/** Worker threads, each with its own backend and model replica, computing event gradients. */
export class GradientWorkers {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  private constructor() {}

  /** Starts `count` workers and waits until each has its backend and model. */
  static async start(count: number, gnn: GnnConfig, training: TrainerConfig, backend?: BackendName): Promise<GradientWorkers> {
    const pool = new GradientWorkers();
    const script = workerScript();
    await Promise.all(
      Array.from({ length: count }, async () => {
        const worker = new Worker(script);
        pool.workers.push(worker);
        await new Promise<void>((resolve, reject) => {
          const onMessage = (message: { kind: string; message?: string }) => {
            if (message.kind === 'ready') {
              worker.off('message', onMessage);
              resolve();
            } else if (message.kind === 'error') reject(new HyperTrackError(`gradient worker failed to start: ${message.message}`));
          };
          worker.on('message', onMessage);
          worker.once('error', reject);
          worker.postMessage({ kind: 'init', gnn, training, backend });
        });
        worker.on('message', (message: { kind: string; id: number; result?: GradientResult; message?: string }) => pool.settle(message));
        worker.on('error', (error) => pool.failAll(error));
      }),
    );
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs the tasks, task k on worker k mod size, and returns the results in task order. */
  run(tasks: readonly GradientTask[]): Promise<GradientResult[]> {
    return Promise.all(tasks.map((task, k) => this.request(k, { kind: 'task', task }) as Promise<GradientResult>));
  }

  /** Every worker builds the latent loss of `spec` and adds it to its tasks from now on. */
  async addLatentLoss(spec: LatentLossSpec): Promise<void> {
    await Promise.all(this.workers.map((_, k) => this.request(k, { kind: 'latent-loss', spec })));
  }

  private request(worker: number, message: Record<string, unknown>): Promise<GradientResult | undefined> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.workers[worker % this.workers.length].postMessage({ ...message, id });
    });
  }

  private settle(message: { kind: string; id: number; result?: GradientResult; message?: string }): void {
    const waiting = this.pending.get(message.id);
    if (waiting === undefined) return;
    this.pending.delete(message.id);
    if (message.kind === 'result' && message.result) waiting.resolve(message.result);
    else if (message.kind === 'latent-loss-ready') waiting.resolve(undefined);
    else waiting.reject(new HyperTrackError(`gradient worker failed: ${message.message ?? 'unknown error'}`));
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }
}

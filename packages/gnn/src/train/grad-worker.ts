/**
 * A worker thread holding its own tensor backend and model replica: it receives gradient tasks
 * and returns gradients (data parallelism over the events of a batch; the wasm backend is
 * single-threaded in Node, so this is how a second core helps).
 */
import { parentPort } from 'node:worker_threads';
import { initBackend, type BackendName } from '@hypertrack/nn';
import type { GnnConfig } from '../config';
import { EdgePredictor } from '../model';
import type { TrainerConfig } from './config';
import { runGradientTask, type GradientTask } from './gradient-task';
import { loadLatentLoss, type LatentLossExtension, type LatentLossSpec } from './latent-loss';

interface InitMessage {
  readonly kind: 'init';
  readonly gnn: GnnConfig;
  readonly training: TrainerConfig;
  readonly backend?: BackendName;
}

/** From now on every task adds this latent loss (the transformer phase). */
interface LatentLossMessage {
  readonly kind: 'latent-loss';
  readonly id: number;
  readonly spec: LatentLossSpec;
}

interface TaskMessage {
  readonly kind: 'task';
  readonly id: number;
  readonly task: GradientTask;
}

let model: EdgePredictor | null = null;
let training: TrainerConfig | null = null;
let extension: LatentLossExtension | undefined;

const port = parentPort;
if (port === null) throw new Error('grad-worker must run in a worker thread');

port.on('message', (message: InitMessage | LatentLossMessage | TaskMessage | { kind: 'close' }) => {
  void (async () => {
    try {
      if (message.kind === 'init') {
        const info = await initBackend({ prefer: message.backend });
        model = new EdgePredictor(message.gnn, 0);
        training = message.training;
        port.postMessage({ kind: 'ready', backend: info.name });
      } else if (message.kind === 'latent-loss') {
        extension?.dispose?.();
        extension = await loadLatentLoss(message.spec);
        port.postMessage({ kind: 'latent-loss-ready', id: message.id });
      } else if (message.kind === 'task') {
        if (model === null || training === null) throw new Error('task before init');
        const result = runGradientTask(model, training, message.task, extension);
        const transfer = [...result.grads.values(), ...result.buffers.values()].map((a) => a.buffer as ArrayBuffer);
        port.postMessage({ kind: 'result', id: message.id, result }, transfer);
      } else {
        model?.dispose();
        extension?.dispose?.();
        port.close();
      }
    } catch (error) {
      port.postMessage({ kind: 'error', id: 'id' in message ? message.id : -1, message: (error as Error).stack ?? String(error) });
    }
  })();
});

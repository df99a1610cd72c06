import * as tf from '@tensorflow/tfjs-core';
import { Rng, type RngSnapshot } from '@hypertrack/core';
import type { EdgePredictor } from '../model';
import type { TrainerConfig } from './config';
import type { TrainingExample } from './example';
import { eventGradients, type EventLosses } from './gradients';
import type { LatentLossExtension } from './latent-loss';

/** Named host arrays: parameters, gradients or BatchNorm buffers crossing a thread boundary. */
export type NamedArrays = Map<string, Float32Array | Int32Array>;

/** One event's gradient computation, as plain data. */
export interface GradientTask {
  /**
   * Model parameters to compute at (the state at the start of the step), the latent loss's
   * included; absent when the replica already holds them (the main thread's own model).
   */
  readonly params?: NamedArrays;
  /** BatchNorm buffers at the start of the step (each event of a batch starts from them). */
  readonly buffers: NamedArrays;
  readonly example: TrainingExample;
  readonly batchSize: number;
  readonly rng: RngSnapshot;
}

export interface GradientResult {
  readonly grads: NamedArrays;
  /** BatchNorm running statistics after this event's forward pass. */
  readonly buffers: NamedArrays;
  readonly losses: EventLosses;
}

/** Copies the named variables to host arrays. */
export function readNamed(variables: ReadonlyMap<string, tf.Tensor>): NamedArrays {
  const out: NamedArrays = new Map();
  for (const [name, tensor] of variables) {
    const data = tensor.dataSync();
    out.set(name, tensor.dtype === 'int32' ? Int32Array.from(data as Int32Array) : Float32Array.from(data as Float32Array));
  }
  return out;
}

/** Assigns host arrays to the named variables (shapes are the variables' own). */
export function writeNamed(variables: ReadonlyMap<string, tf.Variable>, values: NamedArrays): void {
  for (const [name, variable] of variables) {
    const value = values.get(name);
    if (value === undefined) throw new RangeError(`no value for '${name}'`);
    tf.tidy(() => variable.assign(tf.tensor(value, variable.shape, variable.dtype)));
  }
}

/** Runs a task on a model replica (the main thread's or a worker's), with the latent loss when one is active. */
export function runGradientTask(model: EdgePredictor, config: TrainerConfig, task: GradientTask, extension?: LatentLossExtension): GradientResult {
  if (task.params !== undefined) {
    writeNamed(model.namedParameters(), task.params);
    if (extension !== undefined) writeNamed(extension.parameters, task.params);
  }
  writeNamed(model.namedBuffers(), task.buffers);
  const { grads, losses } = eventGradients(model, task.example, task.batchSize, config, Rng.restore(task.rng), extension);
  const hostGrads = readNamed(grads);
  tf.dispose([...grads.values()]);
  return { grads: hostGrads, buffers: readNamed(model.namedBuffers()), losses };
}

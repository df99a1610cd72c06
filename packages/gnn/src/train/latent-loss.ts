import { createRequire } from 'node:module';
import type * as tf from '@tensorflow/tfjs-core';
import { HyperTrackError, type Rng } from '@hypertrack/core';
import type { TrainingExample } from './example';

/**
 * A loss on the GNN's latents that trains along with the edge losses: the transformer's cluster
 * losses (issue 16) plug in here, so that this package needs no transformer. Its parameters are
 * differentiated and optimised together with the GNN's; their names must not collide with the GNN's.
 */
export interface LatentLossExtension {
  readonly parameters: ReadonlyMap<string, tf.Variable>;
  /**
   * The extra loss of one event, already weighted, from the latents z [N, zDim] (differentiable)
   * and the edge probabilities (values); `scalars` are reported with the step's losses.
   */
  loss(z: tf.Tensor2D, probabilities: Float32Array, example: TrainingExample, rng: Rng): { total: tf.Scalar; scalars: Readonly<Record<string, number>> };
  /** Its weights as a checkpoint stores them (new tensors), e.g. in PyTorch layout; default: the parameters as they are. */
  stateDict?(): Map<string, tf.Tensor>;
  /** The inverse of stateDict (the caller keeps the tensors); default: assign the parameters by name. */
  loadStateDict?(state: ReadonlyMap<string, tf.Tensor>): void;
  dispose?(): void;
}

/**
 * How to build a LatentLossExtension anywhere, a worker thread included: `require(module)[factory](options)`.
 * Plain JSON, so it crosses threads and is stored in checkpoints; the same spec gives the same
 * initial weights.
 */
export interface LatentLossSpec {
  /** Short name: the checkpoint file `<name>.safetensors` and the metrics' `<name>_active`. */
  readonly name: string;
  /** A module specifier or an absolute path that `require` resolves. */
  readonly module: string;
  /** The exported function that makes the extension. */
  readonly factory: string;
  readonly options: unknown;
}

type Factory = (options: unknown) => LatentLossExtension | Promise<LatentLossExtension>;

/** Builds the extension a spec describes; a HyperTrackError names the module or factory that is missing. */
export async function loadLatentLoss(spec: LatentLossSpec): Promise<LatentLossExtension> {
  let exports: Record<string, unknown>;
  try {
    exports = createRequire(import.meta.url)(spec.module) as Record<string, unknown>;
  } catch (error) {
    throw new HyperTrackError(`the ${spec.name} loss's module '${spec.module}' cannot be loaded: ${(error as Error).message.split('\n')[0]}`);
  }
  const factory = exports[spec.factory];
  if (typeof factory !== 'function') throw new HyperTrackError(`the module '${spec.module}' exports no function '${spec.factory}' (the ${spec.name} loss's factory)`);
  return (factory as Factory)(spec.options);
}

/** The extension a trainer is running with, and when it joined. */
export interface ActiveLatentLoss {
  readonly spec: LatentLossSpec;
  readonly extension: LatentLossExtension;
  /** The step it joined at: the learning-rate schedule restarts there. */
  readonly since: number;
  /** The training edge AUC that switched it on (null when it came with a checkpoint or by hand). */
  readonly auc: number | null;
}

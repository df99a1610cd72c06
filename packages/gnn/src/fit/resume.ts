import { ConfigError } from '@hypertrack/core';
import { loadCheckpoint, restoreTrainer } from '../train/checkpoint';
import { loadLatentLoss, type LatentLossExtension, type LatentLossSpec } from '../train/latent-loss';
import type { GnnTrainer } from '../train/trainer';
import type { FitState } from './fit';

export interface ResumeOptions {
  /** Load only the weights: fresh optimizer and schedule (reference --soft_reset). */
  readonly softReset?: boolean;
  /** A transfer from another stage starts its own event sequence; a resume continues the run's. */
  readonly transfer?: boolean;
  /** The run's seed: the saved current events are taken over only when the seed is the same. */
  readonly seed: number;
  /**
   * Builds the latent loss a checkpoint trains with (default `loadLatentLoss`, by module name);
   * a caller that imports the module itself passes its factory, so one copy of it is loaded.
   */
  readonly createLatentLoss?: (spec: LatentLossSpec) => Promise<LatentLossExtension>;
}

/**
 * Puts checkpoint `from` into `trainer` (weights, and unless softReset the optimizer and step)
 * and gives the `fit` state to go on with. A checkpoint of the transformer phase brings it along:
 * the latent loss is built and joins with the saved weights (and, unless softReset, the saved
 * optimizer moments and the step its schedule restarted at; the reference keeps the optimizer on
 * resume too). A checkpoint of other hit features is a ConfigError naming `--hit-features`: its
 * first layer would read the wrong inputs.
 */
export async function resumeTraining(trainer: GnnTrainer, from: string, options: ResumeOptions): Promise<FitState> {
  const checkpoint = await loadCheckpoint(from);
  try {
    const saved = checkpoint.meta.gnn.hitFeatures ?? 'xyz';
    const wanted = trainer.model.config.hitFeatures ?? 'xyz';
    if (saved !== wanted) throw new ConfigError('--hit-features', `${from} was trained on hit features ${saved}, this run asks for ${wanted}`);
    const latent = checkpoint.meta.latentLoss;
    if (latent !== undefined && trainer.latentLoss === null) {
      const extension = await (options.createLatentLoss ?? loadLatentLoss)(latent.spec);
      await trainer.addLatentLoss(latent.spec, extension, { since: options.softReset ? 0 : latent.since, auc: latent.auc });
    }
    restoreTrainer(trainer, checkpoint, { softReset: options.softReset });
  } finally {
    checkpoint.dispose();
  }
  const extra = checkpoint.meta.extra as Partial<FitState>;
  const sameRun = !options.transfer && extra.seed === options.seed;
  return { seed: options.seed, currentEvent: sameRun ? (extra.currentEvent ?? null) : null, currentValEvent: sameRun ? (extra.currentValEvent ?? null) : null };
}

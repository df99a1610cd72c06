import { OPTIMIZERS, SCHEDULES, type OptimizerName, type ScheduleName } from '@hypertrack/nn';
import type { ContrastiveLossOptions, FocalLossOptions } from '../losses';

/** How the GNN is trained (reference 3.9 `train_param` and 4.4, for the edge phase). */
export interface TrainerConfig {
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  /** Decay of weights (Linear and BatchNorm weights, thr). */
  readonly weightDecayW: number;
  /** Decay of biases and LayerNorm weights. */
  readonly weightDecayB: number;
  readonly epsilon: number;
  /** Global L2 gradient norm cap. */
  readonly maxGradNorm: number;
  readonly scheduler: ScheduleName;
  readonly schedulerPeriod: number;
  /** beta.net.edge_BCE and beta.net.edge_contrastive. */
  readonly lossWeights: { readonly edgeBCE: number; readonly edgeContrastive: number };
  readonly focal: FocalLossOptions;
  readonly contrastive: ContrastiveLossOptions;
  /** The training edge AUC is computed on a random subset of at most this many edges. */
  readonly aucEdges: number;
}

export const TUNE5_TRAINING: TrainerConfig = Object.freeze({
  optimizer: 'AdamW',
  learningRate: 5e-4,
  weightDecayW: 1e-5,
  weightDecayB: 0,
  epsilon: 1e-6,
  maxGradNorm: 1.0,
  scheduler: 'warm-cos',
  schedulerPeriod: 10000,
  lossWeights: Object.freeze({ edgeBCE: 0.2, edgeContrastive: 1.0 }),
  focal: Object.freeze({ gamma: 1, edgeBalance: true }),
  contrastive: Object.freeze({ tau: 0.3, subSample: 300, minProb: 1e-3, trackWeights: true }),
  aucEdges: 200_000,
});

export function checkTrainerConfig(config: TrainerConfig): void {
  const positive = (key: string, value: number) => {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`training config '${key}' must be a positive number, got ${value}`);
  };
  const nonNegative = (key: string, value: number) => {
    if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`training config '${key}' must be a number >= 0, got ${value}`);
  };
  if (!OPTIMIZERS.includes(config.optimizer)) throw new RangeError(`training config 'optimizer' must be one of ${OPTIMIZERS.join(', ')}, got '${config.optimizer}'`);
  if (!SCHEDULES.includes(config.scheduler)) throw new RangeError(`training config 'scheduler' must be one of ${SCHEDULES.join(', ')}, got '${config.scheduler}'`);
  positive('learningRate', config.learningRate);
  positive('epsilon', config.epsilon);
  positive('maxGradNorm', config.maxGradNorm);
  positive('schedulerPeriod', config.schedulerPeriod);
  positive('aucEdges', config.aucEdges);
  nonNegative('weightDecayW', config.weightDecayW);
  nonNegative('weightDecayB', config.weightDecayB);
  nonNegative('lossWeights.edgeBCE', config.lossWeights.edgeBCE);
  nonNegative('lossWeights.edgeContrastive', config.lossWeights.edgeContrastive);
}

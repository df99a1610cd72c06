import type { ScalarValue } from './protobuf';

/**
 * The TensorBoard tag of each metrics.jsonl key that is a measurement worth a curve, grouped as
 * TensorBoard shows them; counters and identifiers (iteration, event, hits, tensors) are left out.
 */
export const TRAINING_SCALAR_TAGS: Readonly<Record<string, string>> = Object.freeze({
  loss: 'loss/train',
  edge_bce_loss: 'loss/edge_bce',
  edge_contrastive_loss: 'loss/edge_contrastive',
  cluster_bce_loss: 'loss/cluster_bce',
  cluster_contrastive_loss: 'loss/cluster_contrastive',
  val_loss: 'loss/validation',
  val_cluster_bce_loss: 'loss/validation_cluster_bce',
  val_cluster_contrastive_loss: 'loss/validation_cluster_contrastive',
  lr: 'optimizer/learning_rate',
  grad_norm: 'optimizer/grad_norm',
  trn_edge_auc: 'auc/train',
  trn_edge_auc_noself: 'auc/train_noself',
  val_edge_auc: 'auc/validation',
  val_edge_auc_noself: 'auc/validation_noself',
  majority_score: 'clustering/train_dms',
  efficiency: 'clustering/train_efficiency',
  purity: 'clustering/train_purity',
  val_majority_score: 'clustering/validation_dms',
  val_efficiency: 'clustering/validation_efficiency',
  val_purity: 'clustering/validation_purity',
  clusters: 'clustering/train_clusters',
  trials: 'clustering/train_trials',
  step_ms: 'time/step_ms',
  vd_ms: 'time/graph_ms',
  transformer_active: 'transformer/active',
  transformer_joined_auc: 'transformer/switch_auc',
  skipped: 'optimizer/skipped_step',
});

/** The scalars of one metrics line, in the table's order (absent and null values are skipped). */
export function trainingScalars(metrics: Readonly<Record<string, number | null | undefined>>): ScalarValue[] {
  const out: ScalarValue[] = [];
  for (const [key, tag] of Object.entries(TRAINING_SCALAR_TAGS)) {
    const value = metrics[key];
    if (typeof value === 'number') out.push({ tag, value });
  }
  return out;
}

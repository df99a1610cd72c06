import { ConfigError } from '@hypertrack/core';
import { selectEvents } from '@hypertrack/io-arrow';
import { formatIdRanges, idRanges, type TrainingStats } from '@hypertrack/voxdyn';

const WHY = 'on them its graph holds every true pair, unlike on new events';

/** The ids of `ids` that also trained the VD model, as "0-19,40", or null when none did (or the model does not say). */
function sharedWithVd(ids: readonly number[], stats: TrainingStats): string | null {
  if (stats.trainingEvents === undefined) return null;
  const shared = selectEvents(ids, stats.trainingEvents);
  return shared.length === 0 ? null : `${shared.length} of these events (${formatIdRanges(idRanges(shared))})`;
}

/**
 * Stops a training run whose events also built the VD model: the GNN would learn (or be scored
 * on) an edge population it never meets on new events.
 */
export function refuseVdOverlap(flag: string, ids: readonly number[], stats: TrainingStats, vdModel: string): void {
  const shared = sharedWithVd(ids, stats);
  if (shared === null) return;
  throw new ConfigError(
    flag,
    `${shared} also trained the VD model ${vdModel} (its events: ${formatIdRanges(stats.trainingEvents ?? [])}); ${WHY}. ` +
      'Choose events apart from them, or pass --allow-vd-overlap if these ids name other events',
  );
}

/** The note inference prints when it runs on the VD model's training events: its figures there flatter the model. */
export function vdOverlapNote(ids: readonly number[], stats: TrainingStats, vdModel: string): string | null {
  const shared = sharedWithVd(ids, stats);
  return shared === null ? null : `note: ${shared} also trained the VD model ${vdModel}; ${WHY}, so the VD TPR and the GNN figures there are not those of unseen events\n`;
}

import { InputError, type SubmissionTable, type TrackMLEvent } from '@hypertrack/core';
import { denseLabels } from '@hypertrack/metrics';

/** One event's part of a submission. */
export interface EventSubmission {
  hitId: Int32Array;
  trackId: Int32Array;
}

/** Splits a submission by event id, keeping file order within each event. */
export function splitByEvent(submission: SubmissionTable): Map<number, EventSubmission> {
  const rows = new Map<number, number[]>();
  submission.eventId.forEach((id, row) => {
    let list = rows.get(id);
    if (!list) rows.set(id, (list = []));
    list.push(row);
  });
  const out = new Map<number, EventSubmission>();
  for (const [id, list] of rows) {
    out.set(id, { hitId: Int32Array.from(list, (r) => submission.hitId[r]), trackId: Int32Array.from(list, (r) => submission.trackId[r]) });
  }
  return out;
}

/**
 * Dense cluster label per hit row of `event` from its submission rows; hits in the noise track,
 * and hits the submission leaves out, stay -1 (unassigned), as HyperTrack's own clusterings leave
 * them.
 */
export function clusterLabels(event: TrackMLEvent, part: EventSubmission, noiseTrackId: number, file: string): Int32Array {
  const rowOfHit = new Map<number, number>();
  event.hits.hitId.forEach((id, row) => rowOfHit.set(id, row));
  const labels = denseLabels(part.trackId).labels;
  const out = new Int32Array(event.hits.hitId.length).fill(-1);
  for (let k = 0; k < part.hitId.length; k++) {
    const row = rowOfHit.get(part.hitId[k]);
    if (row === undefined) throw new InputError({ file }, `event ${event.eventId}: hit_id ${part.hitId[k]} is not in the event`);
    if (part.trackId[k] !== noiseTrackId) out[row] = labels[k];
  }
  return out;
}

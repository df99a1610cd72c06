import { syntheticEvent } from '@hypertrack/event';
import { clusterLabels } from './submission';

// A submission's rows as cluster labels (export-phoenix draws them): a hit it does not know, or
// one it gives twice, is refused naming the file, never drawn in one track or the other.
describe('clusterLabels', () => {
  const event = syntheticEvent(1, { tracks: 3, invisible: 0, noise: 2, minHits: 3, maxHits: 3, eventId: 7 });
  const hitId = Int32Array.from(event.hits.hitId);
  const trackId = Int32Array.from(hitId, (_, k) => (k < 3 ? 5 : k < 6 ? -2 : 0));

  it('labels tracks densely in id order, the noise track and left-out hits -1', () => {
    const labels = clusterLabels(event, { hitId: hitId.subarray(0, 8), trackId: trackId.subarray(0, 8) }, 0, 'sub.csv');
    expect(Array.from(labels)).toEqual([1, 1, 1, 0, 0, 0, -1, -1, -1, -1, -1]);
  });

  it('refuses a hit the event does not have, or one given twice', () => {
    const unknown = Int32Array.from(hitId);
    unknown[2] = 9999;
    expect(() => clusterLabels(event, { hitId: unknown, trackId }, 0, 'sub.csv')).toThrow('sub.csv: event 7: hit_id 9999 is not in the event');
    const twice = Int32Array.from(hitId);
    twice[4] = hitId[1];
    expect(() => clusterLabels(event, { hitId: twice, trackId }, 0, 'sub.csv')).toThrow(`sub.csv: event 7: hit_id ${hitId[1]} appears twice; a hit belongs to one track`);
  });
});

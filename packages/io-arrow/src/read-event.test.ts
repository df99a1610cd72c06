import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@hypertrack/core';
import { listTrackMLEvents } from './event-files';
import { readTrackMLEvent } from './read-event';
import { listing, tempDir } from './test-support';
import { syntheticEvent } from '@hypertrack/event';
import { writeTrackMLEvent } from './write-event';

describe('TrackML events on disk', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('lists the events that have a hits file, plain or gzip, and nothing else', async () => {
    await writeTrackMLEvent(dir, syntheticEvent(1, { eventId: 1002 }));
    await writeTrackMLEvent(dir, syntheticEvent(2, { eventId: 7 }), { gzip: true });
    writeFileSync(join(dir, 'event000001005-truth.csv'), '');
    writeFileSync(join(dir, '.event000001006-hits.csv.123-abcd.tmp'), '');
    writeFileSync(join(dir, 'event1007-hits.csv'), '');
    expect(await listTrackMLEvents(dir)).toEqual([7, 1002]);
  });

  it('writes every table of an event and reads back the kinds asked for', async () => {
    const event = syntheticEvent(3, { eventId: 12, cells: true });
    const written = await writeTrackMLEvent(dir, event, { gzip: true });
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual([
      'event000000012-hits.csv.gz',
      'event000000012-particles.csv.gz',
      'event000000012-truth.csv.gz',
      'event000000012-cells.csv.gz',
    ]);
    const plain = await readTrackMLEvent(dir, 12);
    expect(plain.cells).toBeUndefined();
    expect(plain.truth?.weight).toEqual(event.truth?.weight);
    const all = await readTrackMLEvent(dir, 12, { kinds: ['cells', 'particles', 'hits'] });
    expect(all.truth).toBeUndefined();
    expect(all.cells?.value).toEqual(event.cells?.value);
  });

  it('rejects kinds without hits or particles and bad event ids, writing nothing', async () => {
    await expect(readTrackMLEvent(dir, 1, { kinds: ['hits', 'truth'] })).rejects.toThrow(
      new ConfigError('kinds', "must include 'particles', got hits, truth"),
    );
    await expect(readTrackMLEvent(dir, -1)).rejects.toThrow(new ConfigError('eventId', 'must be a non-negative integer, got -1'));
    await expect(writeTrackMLEvent(dir, { ...syntheticEvent(1), eventId: 1.5 })).rejects.toThrow(
      new ConfigError('eventId', 'must be a non-negative integer, got 1.5'),
    );
    expect(listing(dir)).toEqual([]);
  });
});

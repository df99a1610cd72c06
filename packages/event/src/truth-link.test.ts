import { InputError } from '@hypertrack/core';
import { syntheticEvent } from './testing/synthetic-event';
import { particleIndexOfHits } from './truth-link';

describe('particleIndexOfHits', () => {
  it('gives each hit the row of its particle, -1 for noise', () => {
    const event = syntheticEvent(21, { tracks: 30, invisible: 5, noise: 25 });
    const truth = event.truth;
    if (truth === undefined) throw new Error('fixture has truth');
    const index = particleIndexOfHits(event);
    expect(index).toBeInstanceOf(Int32Array);
    expect(index.length).toBe(event.hits.hitId.length);
    for (let hit = 0; hit < index.length; hit++) {
      const truthRow = truth.hitId.indexOf(event.hits.hitId[hit]);
      const id = truth.particleId[truthRow];
      if (id === 0n) expect(index[hit]).toBe(-1);
      else expect(event.particles.particleId[index[hit]]).toBe(id);
    }
    expect(index.filter((p) => p === -1).length).toBe(25);
  });

  it('follows hit ids when truth rows are in another order than hits', () => {
    const event = syntheticEvent(22, { tracks: 5, noise: 3 });
    const truth = event.truth;
    if (truth === undefined) throw new Error('fixture has truth');
    const expected = particleIndexOfHits(event);
    truth.hitId.reverse();
    truth.particleId.reverse();
    expect(particleIndexOfHits(event)).toEqual(expected);
  });

  it('names a truth particle that the particles table lacks', () => {
    const event = syntheticEvent(23, { tracks: 4, noise: 2 });
    const truth = event.truth;
    if (truth === undefined) throw new Error('fixture has truth');
    const row = truth.particleId.findIndex((id) => id !== 0n);
    truth.particleId[row] = 123n;
    expect(() => particleIndexOfHits(event)).toThrow(
      new InputError({ file: 'event 1000', column: 'particle_id' }, `particle_id 123 of hit_id ${truth.hitId[row]} is not in the particles table`),
    );
  });
});

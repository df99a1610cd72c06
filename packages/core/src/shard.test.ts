import { ConfigError } from './errors';
import { Rng } from './random';
import { parseShard, shardSlice } from './shard';

describe('shards', () => {
  it('parses i/n and names the key on anything else', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard(' 3/4 ')).toEqual({ index: 3, count: 4 });
    expect(() => parseShard('4/4')).toThrow(new ConfigError('--shard', 'shard index 4 is outside 0..3'));
    expect(() => parseShard('0/0')).toThrow(new ConfigError('--shard', 'the number of shards must be at least 1, got 0'));
    expect(() => parseShard('1-4', 'shard')).toThrow(new ConfigError('shard', "expected i/n, the 0-based index i of n shards (e.g. 0/4), got '1-4'"));
    expect(() => parseShard('-1/4')).toThrow(ConfigError);
  });

  it('splits 10 items into 4 shards as 3, 3, 2, 2 (worked by hand)', () => {
    const items = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect([0, 1, 2, 3].map((index) => shardSlice(items, { index, count: 4 }))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]]);
  });

  it('partitions any list: in order, disjoint, complete, balanced (seeded random lengths and counts)', () => {
    const rng = Rng.fromSeed(19);
    for (let trial = 0; trial < 200; trial++) {
      const items = Array.from({ length: rng.int(50) }, (_, i) => 100 + 3 * i);
      const count = 1 + rng.int(12);
      const parts = Array.from({ length: count }, (_, index) => shardSlice(items, { index, count }));
      expect(parts.flat()).toEqual(items);
      const sizes = parts.map((part) => part.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

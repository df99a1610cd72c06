import { DEFAULT_EDGE_THRESHOLD } from '@hypertrack/cluster';
import { ConfigError } from '@hypertrack/core';
import { mergeReconstructionSettings, RECONSTRUCTION_DEFAULTS, resolveReconstructionConfig, type ReconstructionSettings } from './config';

describe('resolveReconstructionConfig', () => {
  it('fills what is not set from the defaults, whose edge cut is the clusterer package\'s', () => {
    expect(resolveReconstructionConfig()).toEqual(RECONSTRUCTION_DEFAULTS);
    expect(RECONSTRUCTION_DEFAULTS.cluster.threshold).toBe(DEFAULT_EDGE_THRESHOLD);
    const config = resolveReconstructionConfig({ cluster: { threshold: 0.7 }, reduction: { rfactor: 0.01, seed: undefined } });
    expect(config.cluster).toEqual({ algorithm: 'cut', threshold: 0.7, minGraph: 4 });
    expect(config.reduction).toEqual({ rfactor: 0.01, noiseRatio: 0.05, seed: 1 });
  });

  it('names the unknown section or key', () => {
    expect(() => resolveReconstructionConfig({ clustering: {} } as unknown as ReconstructionSettings)).toThrow(
      new ConfigError('clustering', 'unknown section (known: reduction, graph, cluster, evaluation)'),
    );
    expect(() => resolveReconstructionConfig({ cluster: { treshold: 0.5 } } as unknown as ReconstructionSettings)).toThrow(
      new ConfigError('cluster.treshold', 'unknown key (known: algorithm, threshold, minGraph)'),
    );
  });

  it('names the key of a bad value', () => {
    const bad = (settings: object) => () => resolveReconstructionConfig(settings as ReconstructionSettings);
    expect(bad({ cluster: { threshold: 1.5 } })).toThrow('cluster.threshold: must be a number in [0, 1], got 1.5');
    expect(bad({ reduction: { rfactor: 0 } })).toThrow('reduction.rfactor: must be a number in (0, 1], got 0');
    expect(bad({ reduction: { noiseRatio: 1 } })).toThrow('reduction.noiseRatio: must be a number < 1, got 1');
    expect(bad({ graph: { minCount: 0.5 } })).toThrow('graph.minCount: must be an integer >= 1, got 0.5');
    expect(bad({ graph: { selfLoops: 'yes' } })).toThrow('graph.selfLoops: must be true or false, got yes');
    expect(bad({ evaluation: { hitsMin: NaN } })).toThrow('evaluation.hitsMin: must be an integer >= 1, got NaN');
  });
});

describe('mergeReconstructionSettings', () => {
  it('lays later settings over earlier ones key by key, undefined leaving the key below', () => {
    const tune: ReconstructionSettings = { cluster: { threshold: 0.8, minGraph: 5 } };
    const flags: ReconstructionSettings = { cluster: { threshold: undefined, minGraph: 3 }, reduction: { rfactor: 0.1, seed: undefined } };
    expect(mergeReconstructionSettings(tune, flags)).toEqual({ cluster: { threshold: 0.8, minGraph: 3 }, reduction: { rfactor: 0.1 } });
    expect(resolveReconstructionConfig(mergeReconstructionSettings(tune, flags)).cluster).toEqual({ algorithm: 'cut', threshold: 0.8, minGraph: 3 });
  });
});

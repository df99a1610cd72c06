import { ConfigError } from '@hypertrack/core';
import { refuseVdOverlap, vdOverlapNote } from './vd-overlap';

const stats = { trainingEvents: [[0, 19], [40, 40]] as const } as unknown as Parameters<typeof vdOverlapNote>[1];

describe('VD overlap', () => {
  it('names the shared events, as ranges', () => {
    expect(vdOverlapNote([18, 19, 20, 40], stats, 'vd.vdm')).toMatch(/^note: 3 of these events \(18-19,40\) also trained the VD model vd\.vdm/);
    expect(vdOverlapNote([20, 39, 41], stats, 'vd.vdm')).toBeNull();
    expect(() => refuseVdOverlap('--events', [5], stats, 'vd.vdm')).toThrow(ConfigError);
    expect(() => refuseVdOverlap('--events', [25], stats, 'vd.vdm')).not.toThrow();
  });

  it('says nothing when the model does not record its events', () => {
    expect(vdOverlapNote([1, 2], {} as typeof stats, 'old.vdm')).toBeNull();
  });
});

import { createSchedule, learningRateAt, SCHEDULES } from '../index';

describe('learning-rate schedules (reference 4.4)', () => {
  const lr = 5e-4;
  const period = 100;

  it('warm-cos restarts every period between lr0 and lr0 / 10', () => {
    const s = createSchedule('warm-cos', { lr, period });
    expect(s.lrAt(0)).toBeCloseTo(lr, 15);
    expect(s.lrAt(50)).toBeCloseTo(lr / 10 + (lr - lr / 10) / 2, 15); // half way
    expect(s.lrAt(25)).toBeCloseTo(lr / 10 + ((lr - lr / 10) * (1 + Math.cos(Math.PI / 4))) / 2, 15);
    expect(s.lrAt(99)).toBeCloseTo(lr / 10 + ((lr - lr / 10) * (1 + Math.cos((Math.PI * 99) / 100))) / 2, 15);
    expect(s.lrAt(100)).toBe(s.lrAt(0)); // restart
    expect(s.lrAt(237)).toBe(s.lrAt(37));
    expect(s.lrAt(99)).toBeGreaterThan(lr / 10);
  });

  it('cos oscillates with period 2 * period between lr0 and lr0 / 10, without restart', () => {
    const s = createSchedule('cos', { lr, period });
    expect(s.lrAt(0)).toBeCloseTo(lr, 15);
    expect(s.lrAt(100)).toBeCloseTo(lr * 0.1, 15);
    expect(s.lrAt(50)).toBeCloseTo(lr * (0.45 + 0.1), 15);
    expect(s.lrAt(200)).toBeCloseTo(lr, 15);
    expect(s.lrAt(150)).toBeCloseTo(s.lrAt(50), 15);
  });

  it('exp, step and constant', () => {
    expect(createSchedule('exp', { lr }).lrAt(0)).toBe(lr);
    expect(createSchedule('exp', { lr }).lrAt(100000)).toBeCloseTo(lr * (1 - 1e-5) ** 100000, 15);
    expect(createSchedule('exp', { lr }).lrAt(100000) / lr).toBeCloseTo(Math.exp(-1), 4);
    const step = createSchedule('step', { lr, period });
    expect(step.lrAt(999)).toBe(lr);
    expect(step.lrAt(1000)).toBeCloseTo(lr * 0.9, 15);
    expect(step.lrAt(2500)).toBeCloseTo(lr * 0.81, 15);
    expect(createSchedule('constant', { lr }).lrAt(123456)).toBe(lr);
    expect(learningRateAt('warm-cos', 5000, 1)).toBeCloseTo(0.55, 12); // default period 10000
  });

  it('rejects unknown names and bad arguments clearly', () => {
    expect(SCHEDULES).toEqual(['warm-cos', 'cos', 'exp', 'step', 'constant']);
    expect(() => createSchedule('cosine', { lr })).toThrow("unknown learning-rate schedule 'cosine' (expected one of warm-cos, cos, exp, step, constant)");
    expect(() => createSchedule('cos', { lr: 0 })).toThrow(/lr must be a positive number/);
    expect(() => createSchedule('cos', { lr, period: 0 })).toThrow(/period must be a positive integer/);
    expect(() => createSchedule('cos', { lr }).lrAt(-1)).toThrow(/non-negative integer/);
    expect(() => createSchedule('cos', { lr }).lrAt(1.5)).toThrow(/non-negative integer/);
  });
});

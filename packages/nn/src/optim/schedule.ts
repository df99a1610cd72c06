/** The learning-rate schedules of reference 4.4, stepped once per iteration. */
export type ScheduleName = 'warm-cos' | 'cos' | 'exp' | 'step' | 'constant';

export const SCHEDULES: readonly ScheduleName[] = ['warm-cos', 'cos', 'exp', 'step', 'constant'];

export interface ScheduleOptions {
  /** The initial learning rate lr0. */
  readonly lr: number;
  /** `scheduler_period`: T_0 of warm-cos and the half period of cos. Default 10000. */
  readonly period?: number;
}

export interface Schedule {
  readonly name: ScheduleName;
  /** The learning rate at iteration t (0 = when the scheduler was created). */
  lrAt(t: number): number;
}

/**
 * The learning rate at iteration `t`, in closed form:
 * - `warm-cos`: CosineAnnealingWarmRestarts(T_0 = period, T_mult = 1, eta_min = lr0 / 10),
 *   `eta_min + (lr0 - eta_min) (1 + cos(pi (t mod period) / period)) / 2`;
 * - `cos`: `lr0 (0.9 (1 + cos(pi t / period)) / 2 + 0.1)` (no restart);
 * - `exp`: `lr0 (1 - 1e-5)^t`;
 * - `step`: `lr0 0.9^floor(t / 1000)`;
 * - `constant`: `lr0`.
 */
export function learningRateAt(name: ScheduleName, t: number, lr0: number, period = 10000): number {
  if (!Number.isInteger(t) || t < 0) throw new RangeError(`schedule step must be a non-negative integer, got ${t}`);
  switch (name) {
    case 'warm-cos': {
      const etaMin = lr0 / 10;
      return etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * (t % period)) / period))) / 2;
    }
    case 'cos':
      return lr0 * ((0.9 * (1 + Math.cos((Math.PI * t) / period))) / 2 + 0.1);
    case 'exp':
      return lr0 * (1 - 1e-5) ** t;
    case 'step':
      return lr0 * 0.9 ** Math.floor(t / 1000);
    case 'constant':
      return lr0;
  }
}

export function checkSchedule(name: string): ScheduleName {
  if (!(SCHEDULES as readonly string[]).includes(name)) {
    throw new RangeError(`unknown learning-rate schedule '${name}' (expected one of ${SCHEDULES.join(', ')})`);
  }
  return name as ScheduleName;
}

export function createSchedule(name: string, options: ScheduleOptions): Schedule {
  const schedule = checkSchedule(name);
  const lr = options.lr;
  const period = options.period ?? 10000;
  if (!(Number.isFinite(lr) && lr > 0)) throw new RangeError(`schedule lr must be a positive number, got ${lr}`);
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`schedule period must be a positive integer, got ${period}`);
  return { name: schedule, lrAt: (t: number) => learningRateAt(schedule, t, lr, period) };
}

import * as tf from '@tensorflow/tfjs-core';
import { defaultDecayGroup, gradientEntries, type DecayGroup, type GradientMap } from './groups';

export type OptimizerName = 'AdamW' | 'Adam' | 'SGD';

export const OPTIMIZERS: readonly OptimizerName[] = ['AdamW', 'Adam', 'SGD'];

/** Optimizer state by name: `step`, and per parameter `step.<p>`, `exp_avg.<p>`, `exp_avg_sq.<p>`. */
export type OptimizerState = ReadonlyMap<string, tf.Tensor> | tf.NamedTensorMap;

export interface OptimizerOptions {
  /** Learning rate, used when `step` is not given one. */
  readonly lr: number;
  /** Adam's beta1, beta2. Default [0.9, 0.999]. */
  readonly betas?: readonly [number, number];
  /** Added to sqrt(v_hat). Default 1e-6 (the reference's, PyTorch's is 1e-8). */
  readonly eps?: number;
  /** Weight decay of the `decay` group (weights). Default 1e-5 (`weight_decay_w`). */
  readonly weightDecay?: number;
  /** Weight decay of the `no-decay` group (biases, LayerNorm weights). Default 0 (`weight_decay_b`). */
  readonly weightDecayNoDecay?: number;
  /** Group of each parameter name. Default `defaultDecayGroup` (reference 4.4). */
  readonly groupOf?: (name: string) => DecayGroup;
}

export interface Optimizer {
  readonly name: OptimizerName;
  /** The learning rate `step` uses when it is not given one. */
  lr: number;
  /** The parameters it updates, by name. */
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** Number of `step` calls so far. */
  readonly stepCount: number;
  /** The weight decay applied to a parameter. */
  weightDecayOf(name: string): number;
  /**
   * One update from gradients by parameter name. Parameters without a gradient are skipped
   * entirely (PyTorch's `grad is None`): no decay, no moment update, their own step count stays.
   * A gradient for a name the optimizer does not hold is an error (a frozen parameter?).
   * The gradients are not disposed.
   */
  step(grads: GradientMap, lr?: number): void;
  /** A copy of the state as named tensors (the caller disposes them), for checkpoints. */
  state(): Map<string, tf.Tensor>;
  /** Replaces the state with a copy of `state` (as returned by `state()`; tensors not taken over). */
  loadState(state: OptimizerState): void;
  /** Disposes the moment tensors (not the parameters). */
  dispose(): void;
}

type Rule = 'adamw' | 'adam' | 'sgd';

interface Slot {
  step: number;
  expAvg: tf.Tensor | null;
  expAvgSq: tf.Tensor | null;
}

/**
 * PyTorch's single-tensor AdamW / Adam / SGD (momentum 0, no amsgrad, no nesterov) over named
 * parameter groups. Per parameter with a gradient g at its own step t:
 *
 *     AdamW: p *= 1 - lr * wd                  (decoupled decay, first)
 *     Adam:  g += wd * p                       (L2 decay through the gradient)
 *     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *     p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 *     SGD:   p -= lr * (g + wd * p)
 *
 * Arithmetic is float32 on the tensor backend; bias corrections are float64 scalars.
 */
class GroupedOptimizer implements Optimizer {
  lr: number;
  readonly params: ReadonlyMap<string, tf.Variable>;
  private readonly rule: Rule;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly eps: number;
  private readonly decay = new Map<string, number>();
  private readonly slots = new Map<string, Slot>();
  private steps = 0;

  constructor(
    readonly name: OptimizerName,
    params: ReadonlyMap<string, tf.Variable>,
    options: OptimizerOptions,
  ) {
    this.rule = name === 'AdamW' ? 'adamw' : name === 'Adam' ? 'adam' : 'sgd';
    this.params = new Map(params);
    this.lr = checkLr(options.lr);
    const [beta1, beta2] = options.betas ?? [0.9, 0.999];
    if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) throw new RangeError(`${name}: betas must be in [0, 1), got [${beta1}, ${beta2}]`);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = options.eps ?? 1e-6;
    if (!(this.eps >= 0)) throw new RangeError(`${name}: eps must be non-negative, got ${this.eps}`);
    const wd = options.weightDecay ?? 1e-5;
    const wdNo = options.weightDecayNoDecay ?? 0;
    for (const value of [wd, wdNo]) if (!(value >= 0)) throw new RangeError(`${name}: weight decay must be non-negative, got ${value}`);
    const groupOf = options.groupOf ?? defaultDecayGroup;
    for (const [key, variable] of this.params) {
      if (variable.dtype !== 'float32') throw new RangeError(`${name}: parameter '${key}' is ${variable.dtype}, only float32 parameters can be optimised`);
      const group = groupOf(key);
      if (group !== 'decay' && group !== 'no-decay') throw new RangeError(`${name}: groupOf('${key}') returned '${String(group)}'`);
      this.decay.set(key, group === 'decay' ? wd : wdNo);
    }
  }

  get stepCount(): number {
    return this.steps;
  }

  weightDecayOf(name: string): number {
    const value = this.decay.get(name);
    if (value === undefined) throw new RangeError(`${this.name}: no parameter '${name}'`);
    return value;
  }

  step(grads: GradientMap, lr?: number): void {
    const rate = lr === undefined ? this.lr : checkLr(lr);
    const entries = gradientEntries(grads);
    for (const [key, grad] of entries) {
      const param = this.params.get(key);
      if (param === undefined) throw new RangeError(`${this.name}: gradient for '${key}', which is not among the optimised parameters (frozen?)`);
      if (!sameShape(grad.shape, param.shape)) {
        throw new RangeError(`${this.name}: gradient for '${key}' has shape [${grad.shape.join(', ')}], the parameter [${param.shape.join(', ')}]`);
      }
    }
    for (const [key, grad] of entries) this.update(key, this.params.get(key)!, grad, rate);
    this.steps++;
  }

  private update(key: string, param: tf.Variable, grad: tf.Tensor, lr: number): void {
    const wd = this.decay.get(key)!;
    if (this.rule === 'sgd') {
      tf.tidy(() => {
        const g = wd === 0 ? tf.cast(grad, 'float32') : tf.add(grad, tf.mul(param, wd));
        param.assign(tf.sub(param, tf.mul(g, lr)));
      });
      const slot = this.slotOf(key);
      slot.step++;
      return;
    }
    const slot = this.slotOf(key);
    slot.step++;
    const t = slot.step;
    const { beta1, beta2, eps } = this;
    const previous = [slot.expAvg, slot.expAvgSq];
    const [m, v] = tf.tidy(() => {
      let p: tf.Tensor = param;
      let g: tf.Tensor = tf.cast(grad, 'float32');
      if (this.rule === 'adamw' && wd !== 0) p = tf.mul(p, 1 - lr * wd);
      if (this.rule === 'adam' && wd !== 0) g = tf.add(g, tf.mul(p, wd));
      const m0 = slot.expAvg ?? tf.zerosLike(param);
      const v0 = slot.expAvgSq ?? tf.zerosLike(param);
      const m1 = tf.add(tf.mul(m0, beta1), tf.mul(g, 1 - beta1));
      const v1 = tf.add(tf.mul(v0, beta2), tf.mul(tf.square(g), 1 - beta2));
      const stepSize = lr / (1 - beta1 ** t);
      const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(1 - beta2 ** t)), eps);
      param.assign(tf.sub(p, tf.mul(tf.div(m1, denom), stepSize)));
      return [m1, v1];
    });
    slot.expAvg = m;
    slot.expAvgSq = v;
    for (const old of previous) old?.dispose();
  }

  private slotOf(key: string): Slot {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = { step: 0, expAvg: null, expAvgSq: null };
      this.slots.set(key, slot);
    }
    return slot;
  }

  state(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    out.set('step', tf.scalar(this.steps, 'int32'));
    for (const [key, slot] of this.slots) {
      out.set(`step.${key}`, tf.scalar(slot.step, 'int32'));
      if (slot.expAvg !== null) out.set(`exp_avg.${key}`, tf.clone(slot.expAvg));
      if (slot.expAvgSq !== null) out.set(`exp_avg_sq.${key}`, tf.clone(slot.expAvgSq));
    }
    return out;
  }

  loadState(state: OptimizerState): void {
    const entries = new Map(gradientEntries(state));
    const total = entries.get('step');
    if (total === undefined || total.size !== 1) throw new RangeError(`${this.name}: optimizer state has no scalar 'step'`);
    const slots = new Map<string, Slot>();
    const counts = new Map<string, number>();
    for (const [entry, tensor] of entries) {
      if (entry === 'step') continue;
      const match = /^(step|exp_avg|exp_avg_sq)\.(.+)$/.exec(entry);
      const key = match?.[2];
      if (match === null || key === undefined) throw new RangeError(`${this.name}: unexpected optimizer state entry '${entry}'`);
      const param = this.params.get(key);
      if (param === undefined) throw new RangeError(`${this.name}: optimizer state entry '${entry}' names no optimised parameter`);
      const slot = slots.get(key) ?? { step: -1, expAvg: null, expAvgSq: null };
      slots.set(key, slot);
      if (match[1] === 'step') {
        if (tensor.size !== 1) throw new RangeError(`${this.name}: optimizer state entry '${entry}' must be a scalar`);
        slot.step = readScalar(tensor);
        counts.set(key, slot.step);
      } else {
        if (!sameShape(tensor.shape, param.shape)) {
          throw new RangeError(`${this.name}: optimizer state entry '${entry}' has shape [${tensor.shape.join(', ')}], the parameter [${param.shape.join(', ')}]`);
        }
        const copy = tf.tidy(() => tf.cast(tensor, 'float32').clone());
        if (match[1] === 'exp_avg') slot.expAvg = copy;
        else slot.expAvgSq = copy;
      }
    }
    const problems: string[] = [];
    for (const [key, slot] of slots) {
      if (slot.step < 0 || !Number.isInteger(slot.step)) problems.push(`'${key}' has no valid step`);
      else if (this.rule !== 'sgd' && (slot.expAvg === null || slot.expAvgSq === null)) problems.push(`'${key}' lacks exp_avg or exp_avg_sq`);
    }
    if (problems.length > 0) {
      for (const slot of slots.values()) tf.dispose([slot.expAvg, slot.expAvgSq].filter((t): t is tf.Tensor => t !== null));
      throw new RangeError(`${this.name}: incomplete optimizer state (${problems.join('; ')})`);
    }
    this.dispose();
    for (const [key, slot] of slots) this.slots.set(key, slot);
    this.steps = readScalar(total);
  }

  dispose(): void {
    for (const slot of this.slots.values()) {
      slot.expAvg?.dispose();
      slot.expAvgSq?.dispose();
    }
    this.slots.clear();
  }
}

/** Decoupled weight decay (PyTorch `torch.optim.AdamW`), the reference's default. */
export class AdamW extends GroupedOptimizer {
  constructor(params: ReadonlyMap<string, tf.Variable>, options: OptimizerOptions) {
    super('AdamW', params, options);
  }
}

/** Adam with L2 decay added to the gradient (PyTorch `torch.optim.Adam`). */
export class Adam extends GroupedOptimizer {
  constructor(params: ReadonlyMap<string, tf.Variable>, options: OptimizerOptions) {
    super('Adam', params, options);
  }
}

/** Plain SGD, momentum 0, L2 decay added to the gradient (PyTorch `torch.optim.SGD`). */
export class SGD extends GroupedOptimizer {
  constructor(params: ReadonlyMap<string, tf.Variable>, options: OptimizerOptions) {
    super('SGD', params, options);
  }
}

export function createOptimizer(name: string, params: ReadonlyMap<string, tf.Variable>, options: OptimizerOptions): Optimizer {
  switch (name) {
    case 'AdamW':
      return new AdamW(params, options);
    case 'Adam':
      return new Adam(params, options);
    case 'SGD':
      return new SGD(params, options);
    default:
      throw new RangeError(`unknown optimizer '${name}' (expected one of ${OPTIMIZERS.join(', ')})`);
  }
}

function checkLr(lr: number): number {
  if (!(Number.isFinite(lr) && lr >= 0)) throw new RangeError(`learning rate must be a non-negative number, got ${lr}`);
  return lr;
}

function readScalar(tensor: tf.Tensor): number {
  return tensor.dataSync()[0] ?? Number.NaN;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, i) => size === b[i]);
}

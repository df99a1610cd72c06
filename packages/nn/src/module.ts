import * as tf from '@tensorflow/tfjs-core';

/**
 * A tensor as stored in a state dict: PyTorch layout, so a file written here loads into the
 * original's `state_dict` and the reverse (Linear weights are [out, in] there, [in, out] here).
 */
export type StateDict = Map<string, tf.Tensor>;

export interface LoadStateOptions {
  /**
   * Fail on state entries the model does not have, and on model entries the state lacks.
   * Default true; the original loads with `strict=False`, which hides typos in names.
   */
  readonly strict?: boolean;
}

/**
 * A building block with named trainable parameters, named buffers (running statistics) and
 * children, named like PyTorch modules so state dicts map one to one onto the original's keys
 * (`conv_gnn_edx.0.nn.0.0.weight`, reference 3.6).
 *
 * Variables are created without tfjs names: tfjs names are global, and two models of the same
 * architecture in one process (a worker's replica, a validation copy) must not collide.
 */
export abstract class Module {
  private readonly ownParameters = new Map<string, tf.Variable>();
  private readonly ownBuffers = new Map<string, tf.Variable>();
  private readonly ownChildren = new Map<string, Module>();
  private trainingMode = true;

  /** True in training mode (batch statistics, dropout on); false in evaluation mode. */
  get training(): boolean {
    return this.trainingMode;
  }

  /** Switches this module and every descendant to training (true) or evaluation (false) mode. */
  train(on = true): this {
    this.trainingMode = on;
    for (const child of this.ownChildren.values()) child.train(on);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  protected addParameter(name: string, initial: tf.Tensor): tf.Variable {
    checkLocalName(name, this.ownParameters, this.ownBuffers, this.ownChildren);
    const variable = tf.variable(initial, true);
    initial.dispose();
    this.ownParameters.set(name, variable);
    return variable;
  }

  protected addBuffer(name: string, initial: tf.Tensor): tf.Variable {
    checkLocalName(name, this.ownParameters, this.ownBuffers, this.ownChildren);
    const variable = tf.variable(initial, false);
    initial.dispose();
    this.ownBuffers.set(name, variable);
    return variable;
  }

  protected addChild<M extends Module>(name: string, child: M): M {
    checkLocalName(name, this.ownParameters, this.ownBuffers, this.ownChildren);
    this.ownChildren.set(name, child);
    child.train(this.trainingMode);
    return child;
  }

  /** Trainable variables under their full dotted names, in registration order. */
  namedParameters(prefix = ''): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    this.walk(prefix, (path, module) => {
      for (const [name, variable] of module.ownParameters) out.set(path + name, variable);
    });
    return out;
  }

  /** Non-trainable state (BatchNorm running statistics) under full dotted names. */
  namedBuffers(prefix = ''): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    this.walk(prefix, (path, module) => {
      for (const [name, variable] of module.ownBuffers) out.set(path + name, variable);
    });
    return out;
  }

  /** Number of trainable scalars (buffers excluded, as in the reference's counts). */
  parameterCount(): number {
    let count = 0;
    for (const variable of this.namedParameters().values()) count += variable.size;
    return count;
  }

  /** Parameters and buffers in PyTorch layout (new tensors; the caller disposes them). */
  stateDict(prefix = ''): StateDict {
    const out: StateDict = new Map();
    this.walk(prefix, (path, module) => {
      for (const [name, variable] of module.ownParameters) out.set(path + name, module.toStateLayout(name, variable));
      for (const [name, variable] of module.ownBuffers) out.set(path + name, module.toStateLayout(name, variable));
    });
    return out;
  }

  /**
   * Assigns parameters and buffers from a state dict in PyTorch layout. Shapes must match, floats
   * go into floats and integers into integers, and every float must be finite; the tensors are
   * not taken over (the caller still owns and disposes them).
   */
  loadStateDict(state: StateDict, options: LoadStateOptions = {}): void {
    const strict = options.strict ?? true;
    const used = new Set<string>();
    const missing: string[] = [];
    this.walk('', (path, module) => {
      for (const [name, variable] of [...module.ownParameters, ...module.ownBuffers]) {
        const key = path + name;
        const tensor = state.get(key);
        if (tensor === undefined) {
          missing.push(key);
          continue;
        }
        used.add(key);
        const value = module.fromStateLayout(name, tensor);
        if (!sameShape(value.shape, variable.shape)) {
          const got = tensor.shape.join(', ');
          value.dispose();
          throw new RangeError(`state entry '${key}' has shape [${got}], the model expects [${module.toStateShape(name, variable.shape).join(', ')}]`);
        }
        // float16/64 weights are cast, but an integer or boolean tensor in a float slot (or the
        // reverse) is another tensor altogether, and a NaN weight only shows as NaN scores later.
        const problem = valueProblem(value, variable.dtype);
        if (problem !== null) {
          if (value !== tensor) value.dispose();
          throw new RangeError(`state entry '${key}' ${problem}`);
        }
        const cast = value.dtype === variable.dtype ? value : tf.cast(value, variable.dtype);
        variable.assign(cast);
        if (cast !== value) cast.dispose();
        if (value !== tensor) value.dispose();
      }
    });
    if (strict) {
      const unexpected = [...state.keys()].filter((key) => !used.has(key));
      if (missing.length > 0 || unexpected.length > 0) {
        const parts = [];
        if (missing.length > 0) parts.push(`missing: ${preview(missing)}`);
        if (unexpected.length > 0) parts.push(`unexpected: ${preview(unexpected)}`);
        throw new RangeError(`state dict does not match the model (${parts.join('; ')})`);
      }
    }
  }

  /** Disposes every variable of this module and its descendants. */
  dispose(): void {
    this.walk('', (_path, module) => {
      for (const variable of module.ownParameters.values()) variable.dispose();
      for (const variable of module.ownBuffers.values()) variable.dispose();
    });
  }

  /** Layout change from this module's variable to the PyTorch state tensor; identity by default. */
  protected toStateLayout(_name: string, variable: tf.Variable): tf.Tensor {
    return tf.clone(variable);
  }

  /** Inverse of `toStateLayout`; may return `tensor` itself. */
  protected fromStateLayout(_name: string, tensor: tf.Tensor): tf.Tensor {
    return tensor;
  }

  /** The state-dict shape of a variable shape (for messages). */
  protected toStateShape(_name: string, shape: readonly number[]): readonly number[] {
    return shape;
  }

  private walk(prefix: string, visit: (path: string, module: Module) => void): void {
    visit(prefix === '' ? '' : `${prefix}.`, this);
    for (const [name, child] of this.ownChildren) child.walk(prefix === '' ? name : `${prefix}.${name}`, visit);
  }
}

function checkLocalName(name: string, ...taken: Array<Map<string, unknown>>): void {
  if (name === '' || name.includes('.')) throw new RangeError(`module entry name must be non-empty without dots, got '${name}'`);
  if (taken.some((map) => map.has(name))) throw new RangeError(`module entry '${name}' is registered twice`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, i) => size === b[i]);
}

function preview(keys: string[]): string {
  return keys.length <= 5 ? keys.join(', ') : `${keys.slice(0, 5).join(', ')} and ${keys.length - 5} more`;
}

/** Why a state tensor cannot fill a variable of this dtype, or null. */
function valueProblem(value: tf.Tensor, dtype: tf.DataType): string | null {
  const isFloat = (d: tf.DataType) => d === 'float32' || d === 'complex64';
  if (isFloat(value.dtype) !== isFloat(dtype)) return `is ${value.dtype}, the model expects ${dtype}`;
  if (!isFloat(dtype)) return null;
  const data = value.dataSync() as Float32Array;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) return `holds ${data[i]} at flat index ${i}; weights must be finite`;
  }
  return null;
}

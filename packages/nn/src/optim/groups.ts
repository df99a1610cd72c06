import * as tf from '@tensorflow/tfjs-core';

/** Which weight-decay group a parameter belongs to (reference 4.4, `seperate_weight_param`). */
export type DecayGroup = 'decay' | 'no-decay';

/** Gradients by dotted parameter name: a Map, or a plain object such as tf.NamedTensorMap. */
export type GradientMap = ReadonlyMap<string, tf.Tensor> | tf.NamedTensorMap;

/** A name pattern: a string matches as a substring (so also as a prefix), a RegExp by `test`. */
export type NamePattern = string | RegExp;

/**
 * The reference's grouping: names ending with `bias`, and `weight`s of LayerNorms (name contains
 * `.ln` or `.LayerNorm`), get no decay; everything else, including BatchNorm weights and `thr`,
 * is decayed. A name is matched with a leading dot, so a LayerNorm at the top level of the
 * optimised module (`ln0.weight`) counts as one too; for the reference's names, which always have
 * a prefix, that changes nothing.
 */
export function defaultDecayGroup(name: string): DecayGroup {
  if (name.endsWith('bias')) return 'no-decay';
  const dotted = `.${name}`;
  if (name.endsWith('weight') && (dotted.includes('.ln') || dotted.includes('.LayerNorm'))) return 'no-decay';
  return 'decay';
}

export function matchesName(name: string, pattern: NamePattern): boolean {
  return typeof pattern === 'string' ? name.includes(pattern) : pattern.test(name);
}

export interface SelectOptions {
  /** Keep only names matching at least one of these (all names when absent or empty). */
  readonly include?: readonly NamePattern[];
  /** Then drop names matching any of these. */
  readonly exclude?: readonly NamePattern[];
}

/**
 * The trainable subset of `params` in their order: the reference trains `edx` first and freezes
 * `ccx` (`selectTrainable(params, { exclude: ['ccx'] })`), then trains everything. The variables
 * themselves are not changed.
 */
export function selectTrainable<V>(params: ReadonlyMap<string, V>, options: SelectOptions = {}): Map<string, V> {
  const include = options.include ?? [];
  const exclude = options.exclude ?? [];
  const out = new Map<string, V>();
  for (const [name, value] of params) {
    if (include.length > 0 && !include.some((p) => matchesName(name, p))) continue;
    if (exclude.some((p) => matchesName(name, p))) continue;
    out.set(name, value);
  }
  return out;
}

/** `params` without the names matching any pattern (those are frozen). */
export function freezeByName<V>(params: ReadonlyMap<string, V>, patterns: readonly NamePattern[]): Map<string, V> {
  return selectTrainable(params, { exclude: patterns });
}

/** Number of scalars in the given variables (Module.parameterCount for a selection). */
export function countParameters(params: ReadonlyMap<string, tf.Tensor>): number {
  let count = 0;
  for (const variable of params.values()) count += variable.size;
  return count;
}

/** Gradients as a Map, from either accepted form. */
export function gradientEntries(grads: GradientMap): Array<[string, tf.Tensor]> {
  return grads instanceof Map ? [...(grads as ReadonlyMap<string, tf.Tensor>)] : Object.entries(grads as tf.NamedTensorMap);
}

/**
 * `tf.variableGrads` keyed by the dotted parameter names instead of tfjs' global variable names.
 * `value` and the gradients are new tensors (the caller disposes them). Only trainable variables
 * get gradients (tfjs drops the others).
 */
export function namedGradients(loss: () => tf.Scalar, params: ReadonlyMap<string, tf.Variable>): { value: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const { value, grads } = tf.variableGrads(loss, [...params.values()]);
  const out = new Map<string, tf.Tensor>();
  for (const [name, variable] of params) {
    const grad = grads[variable.name];
    if (grad !== undefined) out.set(name, grad);
  }
  return { value, grads: out };
}

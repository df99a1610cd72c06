import type { Rng } from '@hypertrack/core';

/** How a Linear layer's weights start (reference 3.3). */
export type LinearInit = 'xavier-normal' | 'torch-default';

/**
 * Initial kernel [fanIn, fanOut] (row-major, tfjs layout) and bias, drawn from `rng` so that a
 * model is fixed by its seed.
 * - `xavier-normal`: N(0, 2 / (fanIn + fanOut)), bias 0 (SuperEdgeConv's own layers).
 * - `torch-default`: weights and bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)), PyTorch's nn.Linear default
 *   (kaiming_uniform with a = sqrt(5) reduces to that bound).
 */
export function initialLinear(
  fanIn: number,
  fanOut: number,
  init: LinearInit,
  rng: Rng,
): { kernel: Float32Array; bias: Float32Array } {
  const kernel = new Float32Array(fanIn * fanOut);
  const bias = new Float32Array(fanOut);
  if (init === 'xavier-normal') {
    const sigma = Math.sqrt(2 / (fanIn + fanOut));
    for (let i = 0; i < kernel.length; i++) kernel[i] = rng.normal(0, sigma);
  } else {
    const bound = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < kernel.length; i++) kernel[i] = rng.uniformIn(-bound, bound);
    for (let i = 0; i < bias.length; i++) bias[i] = rng.uniformIn(-bound, bound);
  }
  return { kernel, bias };
}

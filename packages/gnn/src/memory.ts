import { totalmem } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { HyperTrackError } from '@hypertrack/core';
import type { GnnConfig } from './config';
import { PAIR_GEOMETRY_DIM } from './pair-geometry';
import { CHECKPOINT_AUTO_EDGES } from './super-edge-conv';

/** What the GNN is asked to do with a graph: a training step (forward and backward) or a forward pass. */
export type GnnWork = 'train' | 'infer';

export interface GraphSize {
  readonly nodes: number;
  readonly edges: number;
}

/**
 * A wasm32 heap ends at 4 GiB; past it the wasm backend fails with "memory access out of bounds"
 * instead of an allocation error, after the memory is already spent.
 */
export const WASM_HEAP_BYTES = 4 * 2 ** 30;

/**
 * Heap kept out of the default budget: the wasm backend's own (code, stacks, tables: 16 MiB at
 * start), the weights and optimizer moments, and other stages' tensors alive beside the GNN.
 */
const RESERVED_BYTES = 256 * 2 ** 20;

/**
 * The fits sit within 0.94-1.27 of tf.profile's peak on the WebAssembly path, which keeps 14-18%
 * more than the native kernels; the margins lift the low side above 1 on both.
 */
const TRAIN_MARGIN = 1.2;
const INFER_MARGIN = 1.06;

/**
 * Peak tensor memory (bytes of live tensors), of one training step or one forward pass of the GNN on a graph of
 * this size, from the model's widths. The per-edge and per-node float counts follow the code: every
 * SuperEdgeConv layer alive in a training step holds, per edge, its pair features (width
 * d + 3 [+ 8 geometry]) and its message MLP's activations and gradients (width m), the edge
 * decoder its latent pairs (z [+ 8]) and hidden layers; with gradient checkpointing (from
 * CHECKPOINT_AUTO_EDGES edges) one layer is alive at a time. The coefficients are least-squares
 * fits of tf.profile's peakBytes over eight configurations (widths 32-96, 3-5 layers, with and
 * without geometry; tools/bench/gnn-memory.bench.mjs prints estimate against measurement), so the
 * estimate is an upper bound on both kernel paths: 1.02-1.3x the WebAssembly path's peak and
 * 1.1-1.6x the native kernels'.
 */
export function gnnMemoryBytes(config: GnnConfig, size: GraphSize, work: GnnWork): number {
  const messageGeometry = config.messageGeometry === true ? PAIR_GEOMETRY_DIM : 0;
  const pairInput = config.hDim + 3 + messageGeometry;
  const latentPair = (config.edgeType === 'symmetric-dot' ? config.zDim : 2 * config.zDim) + (config.pairFeatures === 'geometry' ? PAIR_GEOMETRY_DIM : 0);
  const hidden = config.correlateHidden;
  let floatsPerEdge: number;
  let floatsPerNode: number;
  if (work === 'train') {
    const aliveLayers = size.edges >= CHECKPOINT_AUTO_EDGES ? 1 : config.nstack;
    floatsPerEdge = TRAIN_MARGIN * (aliveLayers * (2.8 * pairInput + 11 * config.mDim) + 5.7 * latentPair + 5 * sum(hidden) + 180);
    floatsPerNode = TRAIN_MARGIN * 6.5 * config.nstack * (config.hDim + config.mDim);
  } else {
    floatsPerEdge = INFER_MARGIN * (0.5 * pairInput + 4.3 * latentPair + 1.5 * Math.max(0, ...hidden));
    floatsPerNode = INFER_MARGIN * (2 * (config.hDim + config.mDim) + config.zDim);
  }
  return 4 * (floatsPerEdge * size.edges + floatsPerNode * size.nodes);
}

/**
 * Memory one tfjs backend can give the GNN's tensors: the wasm heap's 4 GiB (the wasm backend, with
 * or without native kernels, keeps every tensor there), else 80% of the machine's memory, less a
 * reserve for everything else.
 */
export function defaultMemoryBudget(backendName: string = tf.getBackend()): number {
  return (backendName === 'wasm' ? WASM_HEAP_BYTES : Math.floor(0.8 * totalmem())) - RESERVED_BYTES;
}

/** A graph too large for the GNN's memory budget, raised before anything is allocated. */
export class GnnMemoryError extends HyperTrackError {
  constructor(
    readonly size: GraphSize,
    readonly work: GnnWork,
    readonly neededBytes: number,
    readonly budgetBytes: number,
  ) {
    super(
      `the GNN ${work === 'train' ? 'training step' : 'forward pass'} on ${size.edges.toLocaleString('en-US')} edges and ${size.nodes.toLocaleString('en-US')} hits ` +
        `needs about ${gib(neededBytes)} GiB, above the memory budget of ${gib(budgetBytes)} GiB; give it fewer edges`,
    );
  }
}

/** Throws GnnMemoryError when the graph does not fit; returns the estimate otherwise. */
export function checkGnnMemory(config: GnnConfig, size: GraphSize, work: GnnWork, budgetBytes: number = defaultMemoryBudget()): number {
  const needed = gnnMemoryBytes(config, size, work);
  if (needed > budgetBytes) throw new GnnMemoryError(size, work, needed, budgetBytes);
  return needed;
}

/**
 * The most edges a graph with `edgesPerHit` edges per hit may have within the budget (for messages
 * and defaults). Memory is linear in the edges on either side of CHECKPOINT_AUTO_EDGES, where a
 * training step drops to one layer's activations, so each side is solved on its own.
 */
export function maxEdgesWithin(config: GnnConfig, budgetBytes: number, work: GnnWork, edgesPerHit = 40): number {
  const fits = (edges: number) => gnnMemoryBytes(config, { edges, nodes: Math.ceil(edges / edgesPerHit) }, work) <= budgetBytes;
  const largest = (from: number, to: number): number => {
    // The largest e in [from, to] that fits, by bisection of a linear function; from - 1 if none.
    if (!fits(from)) return from - 1;
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = Math.floor((lo + hi + 1) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const checkpointed = largest(CHECKPOINT_AUTO_EDGES, 2 ** 31 - 1);
  return checkpointed >= CHECKPOINT_AUTO_EDGES ? checkpointed : Math.max(0, largest(0, CHECKPOINT_AUTO_EDGES - 1));
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function gib(bytes: number): string {
  return (bytes / 2 ** 30).toFixed(2);
}

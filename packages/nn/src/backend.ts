import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type * as WasmBackend from '@tensorflow/tfjs-backend-wasm';
import { ConfigError } from '@hypertrack/core';
import './gradients';
import { patchWasmIdentity } from './identity-patch';
import { patchWasmBatchMatMul } from './matmul-patch';
import { nativeStatus, setNativeThreads } from './native';
import { patchWasmRowKernels } from './rows-patch';
import { firstLine, nodeRequire } from './node-require';
import { kernelState, type KernelState } from './kernel-state';

/** The backends HyperTrack can run on, fastest first. */
export const BACKEND_ORDER = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface BackendAttempt {
  readonly name: BackendName;
  readonly ok: boolean;
  /** Why it failed, or a short description of what runs when it worked. */
  readonly reason: string;
}

export interface BackendInfo {
  /** The backend now active. */
  readonly name: BackendName;
  /** The tfjs registry name of that backend ('tensorflow', 'wasm' or 'cpu'). */
  readonly tfName: string;
  /** Every backend tried, in order, with the outcome. */
  readonly tried: readonly BackendAttempt[];
  /** nn's kernel switches and counters (fused kernels, SIMD loops), the same object for every call. */
  readonly kernels: KernelState;
}

export interface InitBackendOptions {
  /** Force one backend instead of taking the fastest available; unavailable means ConfigError. */
  readonly prefer?: BackendName;
  /** Receives one line naming the backend that runs (and what was tried before it). */
  readonly log?: (message: string) => void;
  /**
   * Folder (or URL prefix) holding the tfjs-backend-wasm .wasm files. By default it is the
   * installed package's dist folder, which works from the workspace and from an installed tarball.
   */
  readonly wasmPath?: string;
  /**
   * Threads of the native kernels and their BLAS. Default: every core on the main thread, one in a
   * worker thread (data-parallel training runs one worker per core; more would oversubscribe).
   */
  readonly nativeThreads?: number;
}

interface Candidate {
  /** tfjs registry name. */
  readonly tfName: string;
  /** Loads the package that registers the backend; throws when it is absent or broken. */
  readonly load: (options: InitBackendOptions) => void;
  /** A few words on what runs, for the log line. */
  readonly describe: () => string;
  /** Checks, after loading, that the backend can run here; resolves to why not, or null. */
  readonly probe?: () => Promise<string | null>;
}

const WHY_NO_NATIVE =
  'an optional dependency whose install script downloads libtensorflow from storage.googleapis.com';

const CANDIDATES: Record<BackendName, Candidate> = {
  'node-gpu': {
    tfName: 'tensorflow',
    load: () => loadNative('@tensorflow/tfjs-node-gpu'),
    describe: () => 'libtensorflow with CUDA',
  },
  webgpu: {
    tfName: 'webgpu',
    load: () => loadWebGpu(),
    describe: () => `WebGPU through Dawn${webGpuAdapter === '' ? '' : ` on ${webGpuAdapter}`}`,
    probe: probeWebGpu,
  },
  node: {
    tfName: 'tensorflow',
    load: () => loadNative('@tensorflow/tfjs-node'),
    describe: () => 'libtensorflow on the CPU',
  },
  wasm: {
    tfName: 'wasm',
    load: (options) => loadWasm(options.wasmPath),
    describe: () => {
      const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD on' : 'SIMD off';
      const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threads on' : '1 thread';
      return `WebAssembly, ${simd}, ${threads}`;
    },
  },
  cpu: {
    tfName: 'cpu',
    load: () => {
      nodeRequire()('@tensorflow/tfjs-backend-cpu');
    },
    describe: () => 'pure JavaScript, slow: for small tests only',
  },
};

function loadNative(pkg: string): void {
  try {
    nodeRequire()(pkg);
  } catch (error) {
    throw new Error(`${pkg} cannot be loaded (${firstLine(error)}); ${WHY_NO_NATIVE}`);
  }
}

const WHY_NO_WEBGPU = 'optional: npm install webgpu @tensorflow/tfjs-backend-webgpu to try a GPU through WebGPU';

interface GpuAdapter {
  readonly info?: { readonly vendor?: string; readonly description?: string };
}
interface Gpu {
  requestAdapter(options?: object): Promise<GpuAdapter | null>;
}
interface NavigatorWithGpu {
  gpu?: Gpu;
}

let webGpuAdapter = '';

/**
 * The webgpu package (Dawn's Node binding, prebuilt in the npm registry) provides navigator.gpu,
 * which @tensorflow/tfjs-backend-webgpu expects as in a browser. Neither is a dependency: both are
 * large, and Dawn needs a Vulkan (or Metal, D3D12) driver with a GPU behind it.
 */
function loadWebGpu(): void {
  const req = nodeRequire();
  let webgpu: { create: (flags: string[]) => Gpu; globals: Record<string, unknown> };
  try {
    webgpu = req('webgpu') as typeof webgpu;
    req('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    const missing = /Cannot find module '([^']+)'/.exec(firstLine(error));
    throw new Error(`${missing === null ? firstLine(error) : `${missing[1]} is not installed`} (${WHY_NO_WEBGPU})`);
  }
  const scope = globalThis as unknown as { navigator?: NavigatorWithGpu };
  if (scope.navigator?.gpu !== undefined) return;
  Object.assign(globalThis, webgpu.globals);
  const gpu = webgpu.create([]);
  if (scope.navigator === undefined) scope.navigator = { gpu };
  else Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true });
}

async function probeWebGpu(): Promise<string | null> {
  const gpu = (globalThis as unknown as { navigator?: NavigatorWithGpu }).navigator?.gpu;
  const adapter = gpu === undefined ? null : await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return 'no WebGPU adapter (Dawn found no GPU with a usable Vulkan, Metal or D3D12 driver)';
  webGpuAdapter = [adapter.info?.vendor, adapter.info?.description].filter((part) => part !== undefined && part !== '').join(' ');
  return null;
}

let wasmPathsSet = false;

function loadWasm(wasmPath: string | undefined): void {
  const req = nodeRequire();
  const wasm = req('@tensorflow/tfjs-backend-wasm') as typeof WasmBackend;
  if (wasmPathsSet || tf.findBackend('wasm') !== null) return;
  // Point at the .wasm files explicitly: the package's own lookup relies on its __dirname, which
  // breaks when a consumer bundles it.
  const dir = wasmPath ?? dirname(req.resolve('@tensorflow/tfjs-backend-wasm'));
  if (wasmPath === undefined && !existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm'))) {
    throw new Error(`the tfjs-backend-wasm .wasm files are not in ${dir}`);
  }
  wasm.setWasmPaths(dir.endsWith('/') ? dir : `${dir}/`);
  wasmPathsSet = true;
}

async function tryBackend(name: BackendName, options: InitBackendOptions): Promise<BackendAttempt> {
  const candidate = CANDIDATES[name];
  try {
    candidate.load(options);
  } catch (error) {
    return { name, ok: false, reason: firstLine(error) };
  }
  const unusable = candidate.probe === undefined ? null : await candidate.probe().catch((error: unknown) => `probe failed: ${firstLine(error)}`);
  if (unusable !== null) return { name, ok: false, reason: unusable };
  if (tf.findBackendFactory(candidate.tfName) === null) {
    return { name, ok: false, reason: `loaded, but no '${candidate.tfName}' backend is registered with this copy of @tensorflow/tfjs-core` };
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(candidate.tfName);
    await tf.ready();
  } catch (error) {
    return { name, ok: false, reason: `initialisation failed: ${firstLine(error)}` };
  }
  if (!ok || tf.getBackend() !== candidate.tfName) {
    return { name, ok: false, reason: 'initialisation failed (tfjs setBackend returned false)' };
  }
  if (name === 'wasm') {
    setNativeThreads(options.nativeThreads ?? (isMainThread ? availableParallelism() : 1));
    patchWasmBatchMatMul();
    patchWasmIdentity(); // share buffers when tfjs saves tensors for the backward pass
    patchWasmRowKernels();
  }
  if (name === 'cpu') silenceCpuBanner();
  return { name, ok: true, reason: candidate.describe() };
}

/**
 * The cpu backend prints an "install tfjs-node" banner on its first write in Node; that advice
 * cannot be followed here and the log line already says cpu is slow. Write once with warnings off.
 */
function silenceCpuBanner(): void {
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.scalar(0).dispose();
  } finally {
    env.set('PROD', prod);
  }
}

function describeAttempts(chosen: BackendAttempt, tried: readonly BackendAttempt[]): string {
  const failed = tried.filter((t) => !t.ok).map((t) => `${t.name} (${t.reason})`);
  const native = chosen.name === 'wasm' ? `, ${nativeStatus()}` : '';
  const head = `tensor backend: ${chosen.name} (${chosen.reason})${native}`;
  return failed.length === 0 ? head : `${head}; unavailable: ${failed.join('; ')}`;
}

/**
 * Activates the fastest tensor backend present (node-gpu, webgpu, node, wasm, cpu), or the one forced
 * with `prefer`, and reports which runs through `log`. On wasm it also registers the
 * transpose-free BatchMatMul (see `patchWasmBatchMatMul`).
 *
 * @throws ConfigError (key 'backend') when the forced backend is unavailable, or none works.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const { prefer } = options;
  if (prefer !== undefined && !(BACKEND_ORDER as readonly string[]).includes(prefer)) {
    throw new ConfigError('backend', `unknown backend '${String(prefer)}'; expected one of ${BACKEND_ORDER.join(', ')}`);
  }
  const { nativeThreads } = options;
  if (nativeThreads !== undefined && !(Number.isInteger(nativeThreads) && nativeThreads >= 1)) {
    throw new ConfigError('nativeThreads', `must be a positive integer, got ${String(nativeThreads)}`);
  }
  const order: readonly BackendName[] = prefer === undefined ? BACKEND_ORDER : [prefer];
  const tried: BackendAttempt[] = [];
  for (const name of order) {
    const attempt = await tryBackend(name, options);
    tried.push(attempt);
    if (attempt.ok) {
      options.log?.(describeAttempts(attempt, tried));
      return { name, tfName: CANDIDATES[name].tfName, tried, kernels: kernelState };
    }
  }
  const reasons = tried.map((t) => `${t.name}: ${t.reason}`).join('; ');
  if (prefer !== undefined) {
    throw new ConfigError('backend', `'${prefer}' is not available: ${reasons}. Choose another with --backend (${BACKEND_ORDER.join(', ')}).`);
  }
  throw new ConfigError('backend', `no tensor backend could be initialised: ${reasons}`);
}

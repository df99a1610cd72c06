import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeAddon } from './addon';

/** What build/build-info.json records about the last build (scripts/build-addon.mjs). */
export interface NativeBuildInfo {
  readonly ok: boolean;
  /** Why the last build did not produce an addon. */
  readonly reason?: string;
  readonly compiler?: string;
  readonly variants?: readonly string[];
  /** The BLAS linked for the dense products, or null without one. */
  readonly blas?: string | null;
}

export interface NativeKernels {
  readonly addon: NativeAddon;
  /** 'avx512' (AVX-512F + FMA), 'avx2' (AVX2 + FMA) or 'generic', chosen by the CPU at load. */
  readonly variant: string;
  /** The BLAS behind `addon.gemm`, or null. */
  readonly blas: string | null;
  /** A few words for the backend line: "AVX2/FMA kernels, OpenBLAS". */
  readonly description: string;
}

export type NativeLoad = { readonly kernels: NativeKernels; readonly reason?: undefined } | { readonly kernels: null; readonly reason: string };

/** The environment switch that keeps the tensor layer on WebAssembly: HYPERTRACK_NATIVE=off (or 0). */
export const NATIVE_SWITCH = 'HYPERTRACK_NATIVE';

/** The package's build folder: beside src/ and dist/ alike. */
function buildFolder(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
}

function readBuildInfo(folder: string): NativeBuildInfo | null {
  try {
    return JSON.parse(readFileSync(join(folder, 'build-info.json'), 'utf8')) as NativeBuildInfo;
  } catch {
    return null;
  }
}

let cached: NativeLoad | undefined;

/**
 * Loads the native kernels once per thread, or says in one line why not: switched off, never
 * built (the install script did not run, or found no compiler), or not loadable here.
 */
export function loadNativeKernels(): NativeLoad {
  if (cached !== undefined) return cached;
  cached = attemptLoad();
  return cached;
}

function attemptLoad(): NativeLoad {
  const setting = process.env[NATIVE_SWITCH];
  if (setting === 'off' || setting === '0') return { kernels: null, reason: `switched off by ${NATIVE_SWITCH}=${setting}` };
  const folder = buildFolder();
  const file = join(folder, 'hypertrack_native.node');
  const info = readBuildInfo(folder);
  if (!existsSync(file)) {
    const why = info === null ? 'its install script has not run' : (info.reason ?? 'the last build left no addon');
    return { kernels: null, reason: `@hypertrack/native is not built (${why}); run \`npm rebuild @hypertrack/native\` after fixing that` };
  }
  let addon: NativeAddon;
  try {
    addon = createRequire(import.meta.url)(file) as NativeAddon;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    return { kernels: null, reason: `@hypertrack/native does not load (${message}); run \`npm rebuild @hypertrack/native\`` };
  }
  const described = addon.describe();
  const blas = described.blas === '' ? null : described.blas;
  const kernelsWord = { avx512: 'AVX-512 kernels', avx2: 'AVX2/FMA kernels' }[described.variant] ?? 'portable C kernels';
  const blasWord = blas === null ? null : `${blas === 'openblas' ? 'OpenBLAS' : blas}`;
  const tiles = described.gemm.startsWith('avx512');
  const products = tiles ? `AVX-512 narrow products${blasWord === null ? ' (other products in WebAssembly: no BLAS)' : ` + ${blasWord}`}` : blasWord === null ? 'no BLAS (dense products in WebAssembly)' : `${blasWord} products`;
  return { kernels: { addon, variant: described.variant, blas, description: `${kernelsWord}, ${products}` } };
}

/** Forgets the cached outcome (tests flip NATIVE_SWITCH and load again). */
export function resetNativeKernels(): void {
  cached = undefined;
}

import { wasmApi, type WasmMemory, type WasmModule } from './wasm-api';
import { encodeModule, type FunctionSpec } from './wasm-encoder';

/** An exported loop: every argument is an i32 (a heap address, a count or a stride). */
export type Loop = (...args: number[]) => void;

/**
 * A module of loops, encoded and compiled on first use and instantiated once per heap memory,
 * wrapped by `wrap` into a typed interface. `bind` gives null where the runtime rejects the module
 * (no wasm SIMD); callers then run their JS loops.
 */
export class LoopModule<T> {
  private encoded: Uint8Array | undefined;
  private compiled: WasmModule | null | undefined;
  private readonly instances = new WeakMap<WasmMemory, T>();

  constructor(
    private readonly functions: () => readonly FunctionSpec[],
    private readonly wrap: (exports: Record<string, Loop>) => T,
  ) {}

  /** The module's bytes (for tests that check it validates). */
  bytes(): Uint8Array {
    this.encoded ??= encodeModule(this.functions());
    return this.encoded;
  }

  bind(memory: WasmMemory): T | null {
    const cached = this.instances.get(memory);
    if (cached !== undefined) return cached;
    if (this.compiled === undefined) {
      const bytes = this.bytes();
      this.compiled = wasmApi.validate(bytes) ? new wasmApi.Module(bytes) : null;
    }
    if (this.compiled === null) return null;
    const exports = new wasmApi.Instance(this.compiled, { env: { memory } }).exports as Record<string, Loop>;
    const loops = this.wrap(exports);
    this.instances.set(memory, loops);
    return loops;
  }
}

import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@hypertrack/core';
import { initBackend, isWasmBatchMatMulPatched, kernelState, nativeKernels } from './index';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('initBackend', () => {
  it('picks wasm here after reporting node-gpu and node unavailable', async () => {
    const lines: string[] = [];
    const info = await initBackend({ log: (line) => lines.push(line) });
    expect(info.name).toBe('wasm');
    expect(info.tfName).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.tried.map((t) => [t.name, t.ok])).toEqual([
      ['node-gpu', false],
      ['webgpu', false],
      ['node', false],
      ['wasm', true],
    ]);
    expect(info.tried[0].reason).toMatch(/@tensorflow\/tfjs-node-gpu cannot be loaded/);
    expect(info.tried[1].reason).toBe('webgpu is not installed (optional: npm install webgpu @tensorflow/tfjs-backend-webgpu to try a GPU through WebGPU)');
    expect(info.tried[2].reason).toMatch(/@tensorflow\/tfjs-node cannot be loaded/);
    expect(info.tried[3].reason).toMatch(/SIMD on/);
    expect(lines).toHaveLength(1);
    // Switched off (the test:wasm run), not built (a machine without a compiler), or running.
    const kernels = nativeKernels();
    const native =
      process.env.HYPERTRACK_NATIVE === 'off'
        ? 'native kernels off: switched off by HYPERTRACK_NATIVE=off'
        : kernels === null
          ? 'native kernels off: @hypertrack/native (is not built|does not load) \\(.*\\); run `npm rebuild @hypertrack/native`[^;]*'
          : `native kernels: ${escapeRegExp(kernels.description)}, 2 thread\\(s\\)`;
    expect(lines[0]).toMatch(new RegExp(`^tensor backend: wasm \\(WebAssembly, SIMD on, 1 thread\\), ${native}; unavailable: node-gpu \\(.*\\); webgpu \\(.*\\); node \\(`));
    expect(isWasmBatchMatMulPatched()).toBe(true);
    // Idempotent: a second call keeps one patch and the same backend.
    expect((await initBackend()).name).toBe('wasm');
    expect(isWasmBatchMatMulPatched()).toBe(true);
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4]]), false, true));
    expect(Array.from(y.dataSync())).toEqual([11]);
    y.dispose();
  });

  it('honours a forced cpu backend', async () => {
    const lines: string[] = [];
    const info = await initBackend({ prefer: 'cpu', log: (line) => lines.push(line) });
    expect(info).toEqual({ name: 'cpu', tfName: 'cpu', tried: [{ name: 'cpu', ok: true, reason: expect.stringMatching(/JavaScript/) }], kernels: kernelState });
    expect(tf.getBackend()).toBe('cpu');
    expect(lines[0]).toMatch(/^tensor backend: cpu/);
  });

  it('fails with a clear ConfigError when a forced backend is unavailable', async () => {
    const attempt = initBackend({ prefer: 'node-gpu' });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(initBackend({ prefer: 'node-gpu' })).rejects.toThrow(
      /^backend: 'node-gpu' is not available: node-gpu: @tensorflow\/tfjs-node-gpu cannot be loaded \(.+\); an optional dependency whose install script downloads libtensorflow/,
    );
    await expect(initBackend({ prefer: 'node' })).rejects.toThrow(/'node' is not available/);
    // The previous backend stays active and a later switch still works.
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend({ prefer: 'wasm' })).name).toBe('wasm');
  });

  it('rejects an unknown backend name', async () => {
    await expect(initBackend({ prefer: 'webgl' as never })).rejects.toThrow(/unknown backend 'webgl'/);
  });
});

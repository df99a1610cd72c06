import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// The gradient worker is its own entry: worker threads load it by path (src/train/worker-pool.ts).
export default defineConfig({ ...libraryBuild(), entry: { index: 'src/index.ts', 'grad-worker': 'src/train/grad-worker.ts' }, shims: true });

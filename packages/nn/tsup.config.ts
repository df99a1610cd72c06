import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';
// Bundle tfjs-core's gradient registrations (ESM-only files Node cannot load; see src/gradients.ts).
export default defineConfig({ ...libraryBuild(), noExternal: [/^@tensorflow\/tfjs-core\/dist\/register_all_gradients/], shims: true });

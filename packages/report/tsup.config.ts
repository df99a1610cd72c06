import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// shims: the font lookup resolves files next to this package through import.meta.url, which the
// CommonJS build has to get from __filename.
export default defineConfig({ ...libraryBuild(), shims: true });

import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';
// shims: the loader finds build/ from import.meta.url in the CJS build too.
export default defineConfig({ ...libraryBuild(), shims: true });

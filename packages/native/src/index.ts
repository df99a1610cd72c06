export type { NativeAddon } from './addon';
export { loadNativeKernels, resetNativeKernels, NATIVE_SWITCH, type NativeBuildInfo, type NativeKernels, type NativeLoad } from './load';

export { wasmAddCenteredGram, wasmSyrkUpperAdd } from './gram-kernels.js';
export { WasmKernelUnavailableError, wasmKernelsAvailable } from './kernel-module.js';
export {
  wasmAnnihilateBlock,
  wasmMergeTriangles,
  wasmUpdateQr,
} from './qr-kernels.js';

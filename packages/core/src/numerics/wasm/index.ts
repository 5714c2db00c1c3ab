export { wasmXxh32Stripes } from './checksum-kernel.js';
export { wasmMergeTrianglesDd } from './dd-merge-kernels.js';
export {
  wasmAddCenteredGram,
  wasmSyrkUpperAdd,
  wasmTriangularGramPanels,
} from './gram-kernels.js';
export { wasmInverseIteration } from './inverse-iteration-kernel.js';
export {
  wasmGramApplier,
  wasmInvertUpper,
} from './inverse-kernels.js';
export { wasmKernelsAvailable } from './kernel-module.js';
export { wasmLeverageChunk } from './leverage-kernels.js';
export {
  wasmAnnihilateBlock,
  wasmFoldRows,
  wasmUpdateQr,
} from './qr-kernels.js';
export { wasmAddRefineColumns } from './refine-kernels.js';
export {
  type WasmSgdRows,
  wasmLoadSgdRows,
  wasmSgdBatch,
  wasmSgdEvaluateRows,
  wasmSgdRowsFit,
} from './sgd-kernels.js';

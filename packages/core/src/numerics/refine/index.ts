export {
  applyRefinement,
  createRefineState,
  deserializeRefineState,
  mergeRefineStates,
  needsRefinement,
  normWiseNeedsRefinement,
  type RefineMode,
  type RefinementRun,
  type RefinePassOptions,
  type RefineState,
  refineInMemory,
  runRefinement,
  serializeRefineState,
  updateRefineState,
} from './refine.js';
export { refineCoefficients, refineOffsets, refineRows } from './refine-state.js';

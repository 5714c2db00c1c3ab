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
export {
  GRAM_MAX_COLUMNS,
  refineCoefficients,
  refineOffsets,
  refineRows,
  tryUpdateRefineState,
} from './refine-state.js';
export { leadingRefineState } from './refine-target.js';

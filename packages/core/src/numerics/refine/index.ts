export {
  applyRefinement,
  continueRefinement,
  createRefineState,
  deserializeRefineState,
  mergeRefineStates,
  needsRefinement,
  normWiseNeedsRefinement,
  type RefineDecisionInput,
  type RefineMode,
  type RefinementRun,
  type RefinePass,
  type RefinePassOptions,
  type RefineState,
  refineInMemory,
  refinementPlan,
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

export {
  applyRefinement,
  createRefineState,
  deserializeRefineState,
  mergeRefineStates,
  needsRefinement,
  type RefineState,
  refineInMemory,
  serializeRefineState,
  updateRefineState,
} from './refine.js';
export {
  GRAM_MAX_COLUMNS,
  refineCoefficients,
  refineOffsets,
  refineRows,
} from './refine-state.js';
export { leadingRefineState } from './refine-target.js';

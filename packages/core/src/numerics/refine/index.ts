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
export { refineCoefficients, refineOffsets, refineRows } from './refine-state.js';

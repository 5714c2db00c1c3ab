export {
  type AccumulatorState,
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  serializeAccumulator,
  tryUpdateAccumulator,
  updateAccumulator,
} from './accumulator.js';
export { addBatchComoments } from './comoments.js';
export { mergeTrianglesDd } from './dd-triangle-merge.js';
export {
  createMoments,
  deserializeMoments,
  type Moments,
  type MomentsState,
  mergeMoments,
  readMoments,
  serializeMoments,
  updateMoments,
} from './moments.js';
export { updateQrState } from './qr-accumulator.js';
export {
  augmentedColumns,
  H_ACCUMULATOR_KIND,
  H_FLAGS,
  H_P,
  H_ROWS,
  H_ROWS_POSITIVE,
  H_SUM_LOG_WEIGHTS,
  H_SUM_WEIGHTS,
  HEADER_LENGTH,
} from './state-format.js';
export { targetState } from './target-state.js';
export { annihilateBlock } from './tsqr.js';
export { columnsInRange, magnitudeInRange } from './value-range.js';

/**
 * `@linreg/core/numerics`: the numerics without files or threads — build a
 * partial state per chunk of rows, merge, solve, infer (the README's
 * "Library" example). Only these functions and their types are public; the
 * parts behind them live in the folders named for them (docs/architecture.md).
 */
export {
  type AccumulatorState,
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  serializeAccumulator,
  updateAccumulator,
} from './accumulate/index.js';
export { computeInference, type Inference, type InferenceOptions } from './inference/index.js';
export {
  type AliasedPolicy,
  type AliasRelation,
  type Solution,
  type SolveOptions,
  solve,
} from './solve/index.js';
export type {
  AccumulatorKind,
  AccumulatorSpec,
  DesignBatch,
  TriangularFactor,
} from './types.js';

export type { FitOptions, FitResult, FitStats } from './engine/fit.js';
export { fit } from './engine/fit.js';
export type { PoolOptions, WorkerPool } from './engine/pool.js';
export { createPool, defaultWorkers } from './engine/pool.js';
export type { PredictFilesOptions, PredictFilesResult } from './engine/predict-files.js';
export { predictFiles } from './engine/predict-files.js';
export type { Phase, Progress } from './engine/progress.js';
export type { MissingPolicy } from './engine/protocol.js';
export type { SgdEpochReport, SgdExactCheck, SgdFit } from './engine/sgd/sgd-result.js';
export type { FitSpec, RefineMode, SgdOptions, Solver } from './engine/spec.js';
export {
  CancelledError,
  FitError,
  MissingValueError,
  SpecError,
  UnitError,
} from './errors.js';
export type { BuildModelInput } from './model/build-model.js';
export { buildModel } from './model/build-model.js';
export type {
  LinregModel,
  ModelAlias,
  ModelCoefficient,
  ModelGcv,
  ModelRelationTerm,
  ModelRidge,
  ModelRows,
  ModelSolver,
  ModelStatistics,
} from './model/model.js';
export { designNames, INTERCEPT_NAME, MODEL_FORMAT, MODEL_VERSION } from './model/model.js';
export { ModelFormatError } from './model/model-format-error.js';
export { modelToJson, parseModel } from './model/model-json.js';
export type { IntervalKind, PredictBatch, Prediction, PredictOptions } from './model/predict.js';
export { predict } from './model/predict.js';
export { relationText } from './model/relation-text.js';
export { StateFormatError } from './numerics/accumulate/index.js';
export { SolveOptionError } from './numerics/solve/index.js';
export { NumericInputError } from './numerics/types.js';

export {
  CancelledError,
  FitError,
  MissingValueError,
  ModelFormatError,
  ModelMismatchError,
  NumericInputError,
  SolveOptionError,
  SpecError,
  StateFormatError,
  UnitError,
} from '@linreg/errors';
export type { FitInput, FitOptions, FitResult, FitStats } from './engine/fit.js';
export { fit } from './engine/fit.js';
export type {
  FitGroupsResult,
  GroupFit,
  GroupKeyRecord,
  SkippedGroup,
} from './engine/groups/fit-groups.js';
export { fitGroups } from './engine/groups/fit-groups.js';
export type { PoolOptions, WorkerPool } from './engine/pool.js';
export { createPool, defaultWorkers } from './engine/pool.js';
export type { PredictFilesOptions, PredictFilesResult } from './engine/predict/predict-files.js';
export { predictFiles } from './engine/predict/predict-files.js';
export type {
  DensityGrid,
  InfluentialRow,
  ReportData,
  ReportFilesOptions,
} from './engine/report/report-files.js';
export { reportFiles } from './engine/report/report-files.js';
export * from './engine/rounds/index.js';
export type { Phase, Progress } from './engine/run/progress.js';
export type { ScoreFilesOptions, ScoreResult } from './engine/score/score-files.js';
export { scoreFiles } from './engine/score/score-files.js';
export type { SgdEpochReport, SgdExactCheck, SgdFit } from './engine/sgd/sgd-result.js';
export type { DataSource } from './engine/source/data-source.js';
export {
  type MemoryBatch,
  type MemoryColumn,
  memorySource,
} from './engine/source/memory-source.js';
export type { FitTargetsResult, TargetFit } from './engine/targets/fit-targets.js';
export { fitTargets } from './engine/targets/fit-targets.js';
export { targetsOf } from './engine/targets/target-options.js';
export type { MissingPolicy } from './engine/tasks/protocol.js';
export type {
  Coding,
  DesignProgram,
  FactorSource,
  NumExpr,
  PolyCoefs,
  ProgramInput,
  ProgramTerm,
  Variable,
} from './formula/program.js';
export type { AnovaRow, AnovaTable } from './model/anova.js';
export { anovaModels, modelFormula } from './model/anova.js';
export type { BuildModelInput } from './model/build-model.js';
export { buildModel } from './model/build-model.js';
export type { ModelGroup, ModelGroups } from './model/groups-json.js';
export {
  isModelGroupsText,
  MODEL_GROUPS_FORMAT,
  MODEL_GROUPS_VERSION,
  modelGroupLine,
  modelGroupsOf,
  modelGroupsToJson,
  parseModelGroups,
} from './model/groups-json.js';
export { parseJsonBytes } from './model/json-bytes.js';
export { jsonChunks, LARGE_MATRIX_ENTRIES } from './model/json-chunks.js';
export type {
  LinregModel,
  ModelAlias,
  ModelAnovaTerm,
  ModelCluster,
  ModelCoefficient,
  ModelDiagnostics,
  ModelGcv,
  ModelRelationTerm,
  ModelRidge,
  ModelRows,
  ModelSeType,
  ModelSgd,
  ModelSgdEpoch,
  ModelSolver,
  ModelStatistics,
  ModelTerms,
  ModelTopRow,
} from './model/model.js';
export { designNames, INTERCEPT_NAME, MODEL_FORMAT, MODEL_VERSION } from './model/model.js';
export type { ModelFile } from './model/model-file.js';
export { parseModelFile } from './model/model-file.js';
export { MAX_STRING_CHARS, modelJsonChunks, modelToJson, parseModel } from './model/model-json.js';
export type { IntervalKind, PredictBatch, Prediction, PredictOptions } from './model/predict.js';
export { predict } from './model/predict.js';
export { relationText } from './model/relation-text.js';
export type { ModelTargets } from './model/targets-json.js';
export {
  isModelTargetsText,
  MODEL_TARGETS_FORMAT,
  MODEL_TARGETS_VERSION,
  modelTargetsOf,
  modelTargetsToJson,
  parseModelTargets,
} from './model/targets-json.js';
export type {
  Command,
  FitSpec,
  InputOf,
  OptionDecl,
  OptionKey,
  OptionTable,
  PredictSpec,
  RefineMode,
  ReportSpec,
  ResolvedFitSpec,
  ResolvedOf,
  ResolvedPredictSpec,
  ResolvedReportSpec,
  ResolvedScoreSpec,
  ScoreSpec,
  Solver,
} from './options/index.js';
export {
  OPTIONS,
  optionsOf,
  resolveFitSpec,
  resolvePredictSpec,
  resolveReportSpec,
  resolveScoreSpec,
  show,
} from './options/index.js';

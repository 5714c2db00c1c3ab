export { fitSgd } from './fit-sgd.js';
export { type InMemoryRunnerOptions, inMemorySgdRunner } from './in-memory-runner.js';
export { type PoolRunnerOptions, poolSgdRunner, type SgdTaskRun } from './pool-runner.js';
export type {
  EpochOutput,
  EpochPass,
  EvaluateOutput,
  EvaluatePass,
  OutputOf,
  SgdPass,
  SgdRunner,
  SgdTaskMessage,
  SgdTaskReply,
  SgdTaskSuccess,
  SgdUnitOutput,
  SgdUnitRows,
  StatisticsOutput,
  StatisticsPass,
} from './protocol.js';
export type { SgdEpochReport, SgdExactCheck, SgdFit } from './sgd-result.js';
export { sgdSolution } from './sgd-solution.js';
export { type ResolvedSgdSpec, resolveSgdSpec, type SgdSpec } from './sgd-spec.js';
export { defaultBatchSize, defaultLearningRate, standardizedGramNorm } from './step-size.js';
export { createSgdEpochTask, sgdEpochTask, type UnitReader } from './task.js';
export { collectUnitRows, type UnitRows } from './unit-rows.js';
export { runSgdUnit } from './unit-work.js';

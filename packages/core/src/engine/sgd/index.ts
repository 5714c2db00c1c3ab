export {
  fitSgd,
  type SgdEpochReport,
  type SgdExactCheck,
  type SgdFit,
  type SgdSpec,
  standardizedGramNorm,
} from './fit-sgd.js';
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
export { sgdSolution } from './sgd-solution.js';
export { createSgdEpochTask, sgdEpochTask, type UnitReader } from './task.js';
export { collectUnitRows, type UnitRows } from './unit-rows.js';
export { runSgdUnit } from './unit-work.js';

/**
 * What the SGD driver asks of each unit, and what a unit answers. Plain,
 * structured-clone-able data only (typed arrays, numbers, strings), so the
 * same shapes serve the in-process runner and the piscina worker task.
 *
 * A fit is a sequence of passes over all units, each unit's answer depending
 * only on the pass and the unit's rows (never on which worker ran it):
 *
 * 1. `statistics`: per-column weighted moments (for standardization) and,
 *    when the driver checks against the exact solution, an exact accumulator
 *    state of the same rows.
 * 2. `epoch` (repeated): one epoch of the kernel from the broadcast params.
 * 3. `evaluate`: full-batch loss and gradient at the final parameters.
 */
import type { WorkUnit } from '@linreg/io';
import type {
  SgdEpochOptions,
  SgdEpochResult,
  SgdEvaluation,
  SgdParams,
  Standardization,
} from '../../numerics/sgd/index.js';
import type { AccumulatorSpec } from '../../numerics/types.js';
import type { DesignColumns, MissingPolicy, WorkerFailure } from '../protocol.js';

export interface StatisticsPass {
  readonly kind: 'statistics';
  /** Number of feature columns. */
  readonly p: number;
  /** Whether the rows carry weights (checked against every unit's batch). */
  readonly weighted: boolean;
  /** Also build an exact accumulator of this spec (for `check`); omitted when not checking. */
  readonly exact?: AccumulatorSpec | undefined;
}

export interface EpochPass {
  readonly kind: 'epoch';
  readonly params: SgdParams;
  /** Kernel options; the unit index is filled in per unit. */
  readonly options: Omit<SgdEpochOptions, 'unitIndex'>;
}

export interface EvaluatePass {
  readonly kind: 'evaluate';
  /** Candidate standardized parameter vectors to evaluate at (each of the model's dimension). */
  readonly thetas: readonly Float64Array[];
  readonly standardization: Standardization;
}

export type SgdPass = StatisticsPass | EpochPass | EvaluatePass;

/** Row counts every unit reports with its answer. */
export interface SgdUnitRows {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly rowsDropped: number;
}

export interface StatisticsOutput extends SgdUnitRows {
  readonly kind: 'statistics';
  /** Serialized moments state (moments.ts). */
  readonly moments: ArrayBuffer;
  /** Serialized accumulator state when the pass asked for one. */
  readonly exact?: ArrayBuffer | undefined;
}

export interface EpochOutput extends SgdUnitRows {
  readonly kind: 'epoch';
  readonly result: SgdEpochResult;
}

export interface EvaluateOutput extends SgdUnitRows {
  readonly kind: 'evaluate';
  /** One per candidate, in the pass's order. */
  readonly evaluations: readonly SgdEvaluation[];
}

export type SgdUnitOutput = StatisticsOutput | EpochOutput | EvaluateOutput;

/** The output type that answers a given pass. */
export type OutputOf<P extends SgdPass> = Extract<SgdUnitOutput, { kind: P['kind'] }>;

/**
 * Runs one pass over every unit and returns the outputs in UNIT order
 * (index i = unit i), whatever order they were computed in.
 */
export interface SgdRunner {
  readonly units: number;
  runPass<P extends SgdPass>(pass: P): Promise<readonly OutputOf<P>[]>;
}

/** The message the worker-side task `sgdEpochTask` receives: one unit, one pass. */
export interface SgdTaskMessage {
  readonly kind: 'sgd';
  readonly unit: WorkUnit;
  readonly design: DesignColumns;
  readonly missing: MissingPolicy;
  readonly batchRows: number;
  readonly pass: SgdPass;
}

export interface SgdTaskSuccess {
  readonly kind: 'sgd';
  readonly unit: number;
  readonly output: SgdUnitOutput;
}

export type SgdTaskReply = SgdTaskSuccess | WorkerFailure;

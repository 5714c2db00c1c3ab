/**
 * Messages between the main thread and the pool's workers. Plain,
 * structured-clone-able data only: no class instances, no closures. A partial
 * state travels as one ArrayBuffer, moved (not copied) with piscina's move().
 *
 * Errors do not cross the boundary as thrown objects, because structured clone
 * keeps only `message` of an Error subclass and loses its fields; a worker
 * returns a `WorkerFailure` instead and the main thread rebuilds the class.
 */
import type { WorkUnit } from '@linreg/io';
import type { AccumulatorSpec } from '../numerics/types.js';

export type MissingPolicy = 'drop' | 'error';

/** Which projected columns a task reads, in this order: features, target, then weights. */
export interface DesignColumns {
  readonly features: readonly string[];
  readonly target: string;
  readonly weights?: string | undefined;
}

interface TaskBase {
  readonly unit: WorkUnit;
  readonly design: DesignColumns;
  readonly missing: MissingPolicy;
  readonly batchRows: number;
}

/** Pass 1: accumulate the unit's rows into a fresh state and return it serialized. */
export interface AccumulateTask extends TaskBase {
  readonly kind: 'accumulate';
  readonly spec: AccumulatorSpec;
}

/** Pass 2: residual statistics of the unit's rows at a broadcast β (iterative refinement). */
export interface RefineTask extends TaskBase {
  readonly kind: 'refine';
  readonly spec: AccumulatorSpec;
  /** Length m coefficients (intercept first when there is one). */
  readonly beta: Float64Array;
}

/**
 * Predict the unit's rows. Rows with a missing feature get NaN (the output
 * keeps one row per input row, in input order).
 */
export interface PredictTask {
  readonly kind: 'predict';
  readonly unit: WorkUnit;
  /** The model as its JSON text (parsed once per task in the worker). */
  readonly modelJson: string;
  readonly features: readonly string[];
  readonly keep: readonly string[];
  readonly interval: 'none' | 'confidence' | 'prediction';
  readonly level: number;
  readonly batchRows: number;
}

export type WorkerTask = AccumulateTask | RefineTask | PredictTask;

/** Counters every unit reports. */
export interface UnitCounts {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly rowsDropped: number;
  /** Bytes of the unit (its byte extent when known, else 0). */
  readonly bytes: number;
}

export interface StateResult extends UnitCounts {
  readonly kind: 'state';
  readonly unit: number;
  readonly state: ArrayBuffer;
}

/** Predicted columns of one unit; each Float64Array is backed by its own moved buffer. */
export interface PredictResult extends UnitCounts {
  readonly kind: 'predictions';
  readonly unit: number;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
}

/** An error in a worker, flattened to fields so the main thread can rebuild its class. */
export interface WorkerFailure {
  readonly kind: 'failure';
  readonly unit: number;
  readonly error: FlatError;
}

export interface FlatError {
  readonly name: string;
  readonly message: string;
  /** Own enumerable fields of the error (file, column, where, code, problem, row, …). */
  readonly fields: Readonly<Record<string, string | number | undefined>>;
  readonly stack?: string | undefined;
}

export type WorkerResult = StateResult | PredictResult | WorkerFailure;

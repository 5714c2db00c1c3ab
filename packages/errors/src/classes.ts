/**
 * Every error class linreg reports, in one file: each class exported here is
 * registered for the worker boundary (wire.ts) by being here. Each carries the
 * fields that name the offender, so the CLI can print one line
 * `linreg: <file>: <column>: <problem>` and exit by the class's `exit` kind.
 */
import { LinregError, type UnitNaming } from './linreg-error.js';

// ---------------------------------------------------------------- engine (core)

/** What the caller asked for cannot be done as stated (bad option, unknown column, …). */
export class SpecError extends LinregError {
  override readonly name = 'SpecError';
  readonly code = 'spec';
  readonly exit = 'usage';
  constructor(
    readonly option: string,
    readonly problem: string,
  ) {
    super(`${option}: ${problem}`);
  }
}

/** A used column holds a missing value (null or NaN) under `missing: 'error'`, or a non-finite value. */
export class MissingValueError extends LinregError {
  override readonly name = 'MissingValueError';
  readonly code = 'missing-value';
  readonly exit = 'usage';
  constructor(
    readonly file: string,
    readonly column: string,
    /** e.g. 'row group 2, row 17' (0-based row inside the unit). */
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${file}: ${column}: ${where}: ${problem}`);
  }
}

/**
 * The data were read but no model can be fitted (e.g. no usable rows). Thrown
 * in a worker without a file, it is rebuilt naming the unit's file.
 */
export class FitError extends LinregError {
  static override readonly unitNaming: UnitNaming = 'file';
  override readonly name = 'FitError';
  readonly code = 'fit-failed';
  readonly exit = 'failed';
  constructor(
    readonly problem: string,
    readonly file?: string,
  ) {
    super(file === undefined ? problem : `${file}: ${problem}`);
  }
}

/**
 * A model formula that does not parse, or asks for what cannot be built (an
 * unknown function, a column used as both target and feature, …). `position`
 * is the 1-based column of the formula text where the problem is.
 */
export class FormulaError extends LinregError {
  override readonly name = 'FormulaError';
  readonly code = 'formula';
  readonly exit = 'usage';
  constructor(
    readonly formula: string,
    readonly position: number,
    readonly problem: string,
  ) {
    // A long formula is quoted by its start: the column points into it.
    const shown = formula.length > 60 ? `${formula.slice(0, 57)}…` : formula;
    super(`formula '${shown}': column ${position}: ${problem}`);
  }
}

/** The run was cancelled through its AbortSignal (e.g. SIGINT in the CLI). */
export class CancelledError extends LinregError {
  override readonly name = 'CancelledError';
  readonly code = 'cancelled';
  readonly exit = 'interrupted';
  constructor(readonly reason: string = 'cancelled') {
    super(reason);
  }
}

/**
 * A worker failed on a unit with an error that is not a registered LinregError
 * (a bug, or an out-of-memory in the worker). Names the unit so the user can
 * find the file and row group.
 */
export class UnitError extends LinregError {
  override readonly name = 'UnitError';
  readonly code = 'unit-failed';
  readonly exit = 'failed';
  constructor(
    readonly file: string,
    /** The unit label, e.g. 'data/part-3.parquet row group 2'. */
    readonly unit: string,
    readonly problem: string,
  ) {
    super(`${file}: ${unit}: ${problem}`);
  }
}

// ---------------------------------------------------------------- io

export type IoErrorCode =
  | 'not-found'
  | 'unreadable'
  | 'empty'
  | 'bad-format'
  | 'truncated'
  | 'corrupt'
  | 'schema-mismatch'
  | 'missing-column'
  | 'non-numeric'
  | 'unsupported'
  | 'bad-value'
  | 'changed'
  | 'write-failed';

export interface IoErrorDetails {
  readonly file: string;
  readonly column?: string | undefined;
  /** e.g. 'row group 3', 'record batch 1', 'bytes 0-1048576', 'line 17'. */
  readonly where?: string | undefined;
}

/**
 * Every failure io reports on bad input: one line that names the file (and the
 * column, unit or row when known). Its `code` is the finer IoErrorCode.
 */
export class IoError extends LinregError {
  override readonly name = 'IoError';
  readonly exit = 'usage';
  readonly file: string;
  readonly column: string | undefined;
  readonly where: string | undefined;

  constructor(
    readonly code: IoErrorCode,
    details: IoErrorDetails,
    readonly problem: string,
  ) {
    super(
      [details.file, details.column, details.where, problem]
        .filter((s): s is string => s !== undefined && s !== '')
        .join(': '),
    );
    this.file = details.file;
    this.column = details.column;
    this.where = details.where;
  }
}

// ---------------------------------------------------------------- numerics

/**
 * Invalid numeric input (e.g. a negative weight). Fields name the offender;
 * thrown in a worker, its message is prefixed with the unit label.
 */
export class NumericInputError extends LinregError {
  static override readonly unitNaming: UnitNaming = 'label';
  override readonly name = 'NumericInputError';
  readonly code = 'numeric-input';
  readonly exit = 'usage';
  constructor(
    message: string,
    readonly row?: number,
    readonly column?: string,
  ) {
    super(message);
  }
}

/** A binary state buffer (accumulator, refinement, moments) is not valid. Names the header field at fault. */
export class StateFormatError extends LinregError {
  override readonly name = 'StateFormatError';
  readonly code = 'state-format';
  readonly exit = 'usage';
  constructor(
    /** The header field (or 'length') that failed validation. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`state buffer: ${field}: ${problem}`);
  }
}

/** An invalid solver option; `option` names it and `value` is what was given. */
export class SolveOptionError extends LinregError {
  override readonly name = 'SolveOptionError';
  readonly code = 'solve-option';
  readonly exit = 'usage';
  constructor(
    readonly option: string,
    readonly value: unknown,
    problem: string,
  ) {
    super(`solve option ${option} = ${String(value)}: ${problem}`);
  }
}

/** A WebAssembly kernel was called although wasmKernelsAvailable() is false (a bug). */
export class WasmKernelUnavailableError extends LinregError {
  override readonly name = 'WasmKernelUnavailableError';
  readonly code = 'wasm-kernel-unavailable';
  readonly exit = 'failed';
  constructor(readonly kernel: string) {
    super(`WebAssembly kernel ${kernel} called, but the SIMD kernels are unavailable or disabled`);
  }
}

// ---------------------------------------------------------------- model

/**
 * A model file (or a model being built) that is not a valid linreg model.
 * `source` names the file (or `<string>` / `buildModel`), `field` the JSON
 * path of the offending value, e.g. `coefficients[2].stdError`.
 */
export class ModelFormatError extends LinregError {
  override readonly name = 'ModelFormatError';
  readonly code = 'model-format';
  readonly exit = 'usage';
  constructor(
    readonly source: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(field === '' ? `${source}: ${problem}` : `${source}: ${field}: ${problem}`);
  }
}

/**
 * Two model files that cannot be compared (`linreg anova`): not fitted to the
 * same rows, target, weights or intercept, or not nested. `source` names the
 * second file, `field` the model field that differs.
 */
export class ModelMismatchError extends LinregError {
  override readonly name = 'ModelMismatchError';
  readonly code = 'model-mismatch';
  readonly exit = 'usage';
  constructor(
    readonly source: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${source}: ${field}: ${problem}`);
  }
}

// ---------------------------------------------------------------- cli

/** A command-line usage problem found by the CLI itself (not by yargs). */
export class UsageError extends LinregError {
  override readonly name = 'UsageError';
  readonly code = 'usage';
  readonly exit = 'usage';
}
